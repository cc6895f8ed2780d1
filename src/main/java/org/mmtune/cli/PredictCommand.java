package org.mmtune.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.mmtune.data.ClassInfo;
import org.mmtune.data.DatasetException;
import org.mmtune.data.RgbImage;
import org.mmtune.data.SampleReader;
import org.mmtune.eval.Evaluator;
import org.mmtune.eval.PredictionImages;
import org.mmtune.experiment.DatasetPaths;
import org.mmtune.experiment.DatasetSources;
import org.mmtune.experiment.ExperimentRunner;
import org.mmtune.experiment.runs.RunFiles;
import org.mmtune.train.Checkpoints;
import org.mmtune.train.Devices;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mmtune predict}: palette-PNG predictions (and colour overlays) of a run's network for any images. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Segment images with a run's fine-tuned network: OUT/<name>.png palette PNGs (+ OUT/overlays/).")
public final class PredictCommand implements Callable<Integer>, LoadsLibtorch {

    @Option(names = "--run", paramLabel = "DIR", required = true, description = "Run folder.")
    Path run;

    @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "Images to segment.")
    List<Path> images;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Output folder.")
    Path out;

    @Option(names = "--overlay", description = "Also write colour overlays to OUT/overlays/.")
    boolean overlay;

    @Option(names = "--device", paramLabel = "cpu|gpu|auto", description = "Device (default ${DEFAULT-VALUE}).")
    String device = "auto";

    /** The run folder read by {@link #validate()}. */
    private RunInfo info;

    @Override
    public void validate() throws Exception {
        info = RunInfo.open(run);
    }

    @Override
    public Integer call() throws Exception {
        int outputs = Checkpoints.header(info.params()).outputs();
        List<ClassInfo> classes = classes(info, outputs);
        Files.createDirectories(out);
        int failed = 0;
        try (ExperimentRunner.Loaded l = ExperimentRunner.loadSegmenter(info.params(), outputs, Devices.select(device))) {
            ProgressPrinter progress = ProgressPrinter.forCli(System.err, "");
            int i = 0;
            for (Path img : images) {
                i++;
                RgbImage rgb;
                try {
                    rgb = SampleReader.readImage(img);
                } catch (DatasetException e) {
                    progress.finish();
                    System.err.println("mmtune: " + e.getMessage() + " (skipped)");
                    failed++;
                    continue;
                }
                byte[] gray = new byte[rgb.width() * rgb.height()];
                byte[] c = rgb.rgb();
                for (int p = 0, j = 0; p < gray.length; p++, j += 3) {
                    gray[p] = (byte) ((299 * (c[j] & 0xFF) + 587 * (c[j + 1] & 0xFF) + 114 * (c[j + 2] & 0xFF) + 500) / 1000);
                }
                int[] pred = l.segmenter().predict(gray, rgb.width(), rgb.height());
                String id = Evaluator.safe(stem(img));
                PredictionImages.writePalette(out.resolve(id + ".png"), pred, rgb.width(), rgb.height(), classes);
                if (overlay) {
                    PredictionImages.writeOverlay(out.resolve(RunFiles.OVERLAYS).resolve(id + ".png"), c, pred, rgb.width(),
                            rgb.height(), classes, 0.5);
                }
                progress.update("predict", i, images.size(), "");
            }
            progress.finish();
        }
        System.out.println((images.size() - failed) + " prediction(s) written to " + out
                + (failed > 0 ? " (" + failed + " image(s) skipped)" : ""));
        return failed == images.size() ? 1 : 0;
    }

    private static List<ClassInfo> classes(RunInfo info, int outputs) {
        try {
            List<ClassInfo> c = DatasetSources.standard().open(DatasetPaths.resolve(info.config().dataset)).classes();
            if (c.size() == outputs) {
                return c;
            }
        } catch (DatasetException | RuntimeException e) {
            // fall back to a generated palette below
        }
        List<ClassInfo> c = new ArrayList<>();
        for (int k = 0; k < outputs; k++) {
            int h = (k * 0x9E3779B9) >>> 8;
            c.add(new ClassInfo(k, "class " + k, h & 0xFFFFFF));
        }
        return c;
    }

    private static String stem(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
