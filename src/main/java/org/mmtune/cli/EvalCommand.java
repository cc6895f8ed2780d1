package org.mmtune.cli;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.mmtune.data.ImagePair;
import org.mmtune.data.SegmentationDataset;
import org.mmtune.eval.ClassIoU;
import org.mmtune.eval.EvalResult;
import org.mmtune.experiment.DatasetPaths;
import org.mmtune.experiment.DatasetSource;
import org.mmtune.experiment.DatasetSources;
import org.mmtune.experiment.ExperimentRunner;
import org.mmtune.train.Devices;
import org.mmtune.util.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mmtune eval}: mIoU, per-class IoU and pixel accuracy of a run's fine-tuned network. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a run's fine-tuned network on a split (whole images at their own size).")
public final class EvalCommand implements Callable<Integer>, LoadsLibtorch {

    @Option(names = "--run", paramLabel = "DIR", required = true, description = "Run folder.")
    Path run;

    @Option(names = "--dataset", paramLabel = "PATH", description = "Dataset folder (default: the run's).")
    String dataset;

    @Option(names = "--split", paramLabel = "S", description = "Split (default: the run's evaluation split).")
    String split;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the metrics as JSON.")
    Path json;

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
        DatasetSource src = DatasetSources.standard();
        SegmentationDataset ds = src.open(DatasetPaths.resolve(dataset != null ? dataset : info.config().dataset));
        String s = split != null ? split : info.config().evalSplit();
        List<ImagePair> pairs = ds.pairs(s);
        Device dev = Devices.select(device);
        EvalResult r = ExperimentRunner.evaluateCheckpoint(info.params(), ds, pairs, src, dev, s, null, null,
                List.of(ProgressPrinter.forCli(System.err, "eval")), null);
        System.out.printf(Locale.ROOT, "%s on %s/%s (%d images): mIoU %.4f, pixel accuracy %.4f%n", run, ds.name(), s,
                r.images(), r.mIoU(), r.pixelAccuracy());
        for (ClassIoU c : r.perClass()) {
            System.out.printf(Locale.ROOT, "  %-16s %s%n", c.name(), c.iou() == null ? "absent" : String.format(Locale.ROOT, "%.4f", c.iou()));
        }
        if (json != null) {
            AtomicFiles.writeString(json, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r));
        }
        return 0;
    }
}
