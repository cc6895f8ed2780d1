package org.mmtune.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.mmtune.nn.BackboneType;
import org.mmtune.nn.NetSpec;
import org.mmtune.nn.weights.ImportReport;
import org.mmtune.nn.weights.SourceInput;
import org.mmtune.train.PretrainedWeights;
import org.mmtune.train.Stage;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mmtune weights import|export}: networks trained elsewhere in, mmtune backbones out. */
@Command(name = "weights", mixinStandardHelpOptions = true,
        description = "Import pretrained weights (PyTorch .pth/.pt, safetensors, npz, ONNX, Caffe) as an mmtune checkpoint, "
                + "or export a run's backbone under torchvision names.",
        subcommands = {WeightsCommand.Import.class, WeightsCommand.Export.class})
public final class WeightsCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code mmtune weights import}. */
    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Map a weights file onto a backbone and write an mmtune checkpoint (+ its .json) that "
                    + "initCheckpoint, embed, eval and the workbench load. Nothing in the file is run.")
    public static final class Import implements Callable<Integer>, LoadsLibtorch {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec cmd;

        private java.io.PrintWriter out() {
            java.io.PrintWriter w = cmd.commandLine().getOut();
            return w;
        }

        @Parameters(paramLabel = "FILE", description = "Weights file: .pth/.pt (torch.save zip), .safetensors, .npz, "
                + ".onnx, .caffemodel (with its .prototxt).")
        Path file;

        @Option(names = "--prototxt", paramLabel = "DEPLOY.prototxt",
                description = "Network definition of a .caffemodel (default: the .prototxt of the same name next to "
                        + "it, else deploy.prototxt there).")
        Path prototxt;

        @Option(names = "--backbone", paramLabel = "TYPE", required = true,
                description = "Backbone to fill: alexnet, alexnet-ref or vgg16.")
        String backbone;

        @Option(names = "--width-divisor", paramLabel = "N", description = "Width divisor of the backbone (default ${DEFAULT-VALUE}).")
        int widthDivisor = 1;

        @Option(names = "--map", paramLabel = "MAP.json",
                description = "Explicit mapping {\"conv1\": \"source.layer\", \"bn1.running_mean\": \"x.mean\", …} "
                        + "overriding the automatic one.")
        Path map;

        @Option(names = "--input-norm", paramLabel = "NORM",
                description = "How the source network's input was normalised: imagenet (torchvision), caffe, unit, "
                        + "mm-reference (the reference implementation's gray/255 − 0.4488) or mmtune. Default: "
                        + "imagenet for a 3-channel first convolution, mmtune for a gray one.")
        String inputNorm;

        @Option(names = "--out", paramLabel = "CKPT.params", required = true, description = "Checkpoint to write.")
        Path out;

        @Option(names = "--report", paramLabel = "REPORT.json", description = "Write the import report as JSON.")
        Path report;

        private NetSpec netSpec;
        private SourceInput input;

        @Override
        public void validate() {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(file + ": no such file");
            }
            if (widthDivisor < 1) {
                throw new IllegalArgumentException("--width-divisor must be at least 1, was " + widthDivisor);
            }
            netSpec = new NetSpec(BackboneType.parse(backbone), widthDivisor);
            input = inputNorm == null ? null : SourceInput.parse(inputNorm);
            if (!out.getFileName().toString().endsWith(".params")) {
                throw new IllegalArgumentException(out + ": the checkpoint's name must end in .params");
            }
            if (map != null && !Files.isRegularFile(map)) {
                throw new IllegalArgumentException(map + ": no such map file");
            }
            if (prototxt != null) {
                if (!org.mmtune.nn.weights.WeightFiles.extension(file).equals("caffemodel")) {
                    throw new IllegalArgumentException("--prototxt is for a .caffemodel, not " + file.getFileName());
                }
                if (!Files.isRegularFile(prototxt)) {
                    throw new IllegalArgumentException(prototxt + ": no such prototxt file");
                }
            }
        }

        @Override
        public Integer call() throws Exception {
            if (netSpec == null) {
                validate();
            }
            ImportReport r = PretrainedWeights.importFile(file, new PretrainedWeights.ImportOptions(netSpec, map, input, prototxt),
                    out, report);
            out().println(r.summary());
            out().println("wrote " + out + (report != null ? " and " + report : ""));
            out().flush();
            return 0;
        }
    }

    /** {@code mmtune weights export}. */
    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write a run's backbone as .safetensors or .npz under torchvision names (features.N.*), "
                    + "which the matching torchvision model at the same width loads with load_state_dict(strict=False).")
    public static final class Export implements Callable<Integer>, LoadsLibtorch {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec cmd;

        private java.io.PrintWriter out() {
            java.io.PrintWriter w = cmd.commandLine().getOut();
            return w;
        }

        @Option(names = "--run", paramLabel = "DIR", description = "Run folder.")
        Path run;

        @Option(names = "--checkpoint", paramLabel = "CKPT.params", description = "A checkpoint instead of a run.")
        Path checkpoint;

        @Option(names = "--stage", paramLabel = "STAGE",
                description = "proxy, mm or finetune (default: mm, else proxy, else finetune).")
        String stage;

        @Option(names = "--out", paramLabel = "FILE", required = true, description = "FILE.safetensors or FILE.npz.")
        Path out;

        private Path params;

        @Override
        public void validate() throws Exception {
            String ext = org.mmtune.nn.weights.WeightFiles.extension(out);
            if (!ext.equals("safetensors") && !ext.equals("npz")) {
                throw new IllegalArgumentException(out + ": --out must end in .safetensors or .npz");
            }
            if ((run == null) == (checkpoint == null)) {
                throw new IllegalArgumentException("give either --run DIR or --checkpoint CKPT.params");
            }
            if (checkpoint != null) {
                if (!Files.isRegularFile(checkpoint)) {
                    throw new IllegalArgumentException(checkpoint + ": no such file");
                }
                params = checkpoint;
                return;
            }
            if (!Files.isDirectory(run)) {
                throw new IllegalArgumentException(run + ": no such run folder");
            }
            Stage s = null;
            if (stage != null) {
                s = switch (stage.toLowerCase(java.util.Locale.ROOT)) {
                    case "proxy" -> Stage.PROXY;
                    case "mm" -> Stage.MM;
                    case "finetune" -> Stage.FINETUNE;
                    default -> throw new IllegalArgumentException("--stage: unknown stage '" + stage
                            + "' (use proxy, mm or finetune)");
                };
            }
            try {
                params = PretrainedWeights.checkpointOfRun(run, s);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }

        @Override
        public Integer call() throws Exception {
            if (params == null) {
                validate();
            }
            int n = PretrainedWeights.export(params, out);
            out().println("wrote " + n + " tensors of " + params + " to " + out);
            out().flush();
            return 0;
        }
    }
}
