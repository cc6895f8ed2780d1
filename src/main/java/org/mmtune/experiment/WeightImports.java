package org.mmtune.experiment;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.mmtune.nn.BackboneType;
import org.mmtune.nn.NetSpec;
import org.mmtune.nn.weights.ImportReport;
import org.mmtune.nn.weights.WeightFiles;
import org.mmtune.train.PretrainedWeights;

/**
 * Weight import and export as the workbench uses them: the same code as {@code mmtune weights import|export}
 * ({@link PretrainedWeights}), behind plain values, so that the views need neither the network nor the trainer.
 * Every call that reads or writes files blocks: call it off the FX thread.
 */
public final class WeightImports {

    /**
     * A weights file imported into an mmtune checkpoint.
     *
     * @param params       the checkpoint written
     * @param backbone     the backbone it holds (e.g. {@code vgg16})
     * @param widthDivisor its width divisor
     * @param summary      the import report's summary (matched, missing, unused, transforms)
     */
    public record Imported(Path params, String backbone, int widthDivisor, String summary) {

        static Imported of(PretrainedWeights.Imported imp) {
            ImportReport r = imp.report();
            return new Imported(imp.params(), r.backbone(), r.widthDivisor(), r.summary());
        }
    }

    private WeightImports() {
    }

    /** File-chooser patterns ({@code *.pth}, …) of the files {@link #isImportable} accepts. */
    public static List<String> patterns() {
        return WeightFiles.IMPORT_EXTENSIONS.stream().map(e -> "*." + e).toList();
    }

    /** True for a weights file of another framework that can be imported (not an mmtune checkpoint). */
    public static boolean isImportable(Path file) {
        return WeightFiles.isImportable(file);
    }

    /** Imports {@code source}, trying every backbone and width divisor, into {@code outDir}. */
    public static Imported importGuessing(Path source, Path outDir) throws IOException {
        return Imported.of(PretrainedWeights.importGuessing(source, outDir));
    }

    /** Imports {@code source} for the given backbone type and width divisor into {@code dir}. */
    public static Imported importFor(Path source, String backboneType, int widthDivisor, Path dir) throws IOException {
        NetSpec spec;
        try {
            spec = new NetSpec(BackboneType.parse(backboneType), widthDivisor);
        } catch (IllegalArgumentException e) {
            throw new IOException("backbone: " + e.getMessage(), e);
        }
        return Imported.of(PretrainedWeights.importInto(source, spec, dir));
    }

    /**
     * Writes a run's backbone (its M&amp;M checkpoint, else proxy, else fine-tuned) to {@code out} under
     * torchvision names; a name without {@code .safetensors} or {@code .npz} gets {@code .safetensors}.
     * Returns a line for the status bar.
     */
    public static String exportRunBackbone(Path runDir, Path out) throws IOException {
        String ext = WeightFiles.extension(out);
        Path target = ext.equals("safetensors") || ext.equals("npz") ? out
                : out.resolveSibling(out.getFileName() + ".safetensors");
        Path params = PretrainedWeights.checkpointOfRun(runDir, null);
        int n = PretrainedWeights.export(params, target);
        return "Exported " + n + " tensors of " + runDir.getFileName() + "/checkpoints/" + params.getFileName()
                + " to " + target;
    }
}
