package org.mmtune.cli;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.mmtune.data.ImagePair;
import org.mmtune.data.Sample;
import org.mmtune.data.SegmentationDataset;
import org.mmtune.experiment.DatasetPaths;
import org.mmtune.experiment.DatasetSource;
import org.mmtune.experiment.DatasetSources;
import org.mmtune.experiment.ExperimentConfig;
import org.mmtune.experiment.MixMatchSource;
import org.mmtune.nn.BackboneType;
import org.mmtune.nn.NetSpec;
import org.mmtune.train.CancellationToken;
import org.mmtune.train.Devices;
import org.mmtune.train.IterationMetrics;
import org.mmtune.train.KernelCheck;
import org.mmtune.train.LrSchedule;
import org.mmtune.train.MixMatchStage;
import org.mmtune.train.StageContext;
import org.mmtune.train.StageOutcome;
import org.mmtune.train.TrainingListener;
import org.mmtune.train.TrainingLoop;
import org.mmtune.util.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mmtune bench memory}: runs the real M&amp;M stage ({@link MixMatchStage}, the same code as
 * {@code mmtune train}) for N iterations on real mixed batches and reports the process resident set size
 * (VmRSS from {@code /proc/self/status}) after iteration 100 and after iteration N, and their relative
 * difference: native memory must stay flat over a long run.
 */
@Command(name = "memory", mixinStandardHelpOptions = true,
        description = "Run N real M&M iterations and print the process RSS after 100 and after N.")
public final class BenchMemoryCommand implements Callable<Integer>, LoadsLibtorch {

    static final int FIRST_MARK = 100;

    @Option(names = "--iterations", paramLabel = "N", description = "M&M iterations, at least 100 (default ${DEFAULT-VALUE}).")
    int iterations = 1000;

    @Option(names = "--batch", paramLabel = "B", description = "Patches per M&M batch, a multiple of 10, at least 10 (default ${DEFAULT-VALUE}).")
    int batch = 20;

    @Option(names = "--width-divisor", paramLabel = "D", description = "Channel divisor (default ${DEFAULT-VALUE}).")
    int widthDivisor = 4;

    @Option(names = "--dataset", paramLabel = "PATH", description = "Dataset folder (default ${DEFAULT-VALUE}).")
    String dataset = "sample-data";

    @Option(names = "--device", paramLabel = "cpu|gpu|auto", description = "Device (default ${DEFAULT-VALUE}).")
    String device = "auto";

    @Option(names = "--json", paramLabel = "FILE", description = "Write the figures as JSON.")
    Path json;

    @Override
    public void validate() {
        if (iterations < FIRST_MARK || batch < 10 || widthDivisor < 1) {
            throw new IllegalArgumentException("--iterations must be at least " + FIRST_MARK
                    + ", --batch at least 10 (one image) and --width-divisor positive");
        }
    }

    @Override
    public Integer call() throws Exception {
        Device dev = Devices.select(device);
        if (!dev.isGpu()) {
            KernelCheck.requireFiniteGradients();
        }
        DatasetSource src = DatasetSources.standard();
        Path dsPath = DatasetPaths.resolve(dataset);
        SegmentationDataset ds = src.open(dsPath);
        String split = ds.hasSplit("train") ? "train" : ds.splitNames().get(0);
        List<ImagePair> pairs = ds.pairs(split);
        ExperimentConfig.MixMatch mm = new ExperimentConfig.MixMatch();
        mm.patchesPerImage = 10;
        mm.imagesPerBatch = Math.max(1, batch / mm.patchesPerImage);
        List<Sample> samples = new ArrayList<>();
        for (ImagePair p : pairs.subList(0, Math.min(pairs.size(), Math.max(mm.imagesPerBatch * 4, 20)))) {
            samples.add(src.read(ds, p));
        }
        MixMatchSource mix = new MixMatchSource(mm, ds, samples, 7);
        double[] rss = {-1, -1};
        ProgressPrinter progress = ProgressPrinter.forCli(System.err, "bench");
        TrainingListener probe = new TrainingListener() {
            @Override
            public void onIteration(IterationMetrics m) {
                if (m.iteration() == FIRST_MARK) {
                    rss[0] = rssMb();
                }
                if (m.iteration() == iterations) {
                    rss[1] = rssMb();
                }
            }
        };
        Path ckpt = Files.createTempDirectory("mmtune-bench-memory");
        TrainingLoop.Result r;
        try {
            StageContext ctx = new StageContext(new NetSpec(BackboneType.ALEXNET, widthDivisor), dev, ckpt,
                    new CancellationToken(), List.of(probe, progress), 7);
            MixMatchStage.Settings s = new MixMatchStage.Settings(iterations, new LrSchedule(mm.learningRate, 0, 1f),
                    mm.momentum, mm.weightDecay, mm.margin, 0, 0, mm.outSize);
            r = MixMatchStage.run(ctx, s, mix, null, false);
        } finally {
            deleteTree(ckpt);
        }
        progress.finish();
        if (r.outcome() != StageOutcome.FINISHED) {
            System.err.println("M&M stage did not finish: " + r.message());
            return 1;
        }
        double growth = (rss[1] - rss[0]) / rss[0];
        System.out.printf(Locale.ROOT, "device %s, AlexNet-BN width /%d, %d patches per batch, %s (%s)%n",
                Devices.describe(dev), widthDivisor, mm.imagesPerBatch * mm.patchesPerImage, ds.name(), dsPath);
        System.out.printf(Locale.ROOT, "RSS after %d iterations: %.1f MB%n", FIRST_MARK, rss[0]);
        System.out.printf(Locale.ROOT, "RSS after %d iterations: %.1f MB%n", iterations, rss[1]);
        System.out.printf(Locale.ROOT, "relative growth: %+.2f%%%n", 100 * growth);
        if (json != null) {
            ObjectNode n = new ObjectMapper().createObjectNode();
            n.put("rssAfter100Mb", Math.round(rss[0] * 10) / 10.0);
            n.put("rssAfterNMb", Math.round(rss[1] * 10) / 10.0);
            n.put("iterations", iterations);
            n.put("relativeGrowth", Math.round(growth * 10000) / 10000.0);
            AtomicFiles.writeString(json, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(n));
        }
        return 0;
    }

    /** The process's current resident set size (VmRSS) in MB, or -1 when /proc is not available. */
    static double rssMb() {
        try {
            return parseVmRssMb(Files.readAllLines(Path.of("/proc/self/status")));
        } catch (IOException e) {
            return -1;
        }
    }

    /** VmRSS in MB from the lines of a {@code /proc/<pid>/status} file; -1 when absent. */
    static double parseVmRssMb(List<String> statusLines) {
        for (String line : statusLines) {
            if (line.startsWith("VmRSS:")) {
                String digits = line.replaceAll("[^0-9]", "");
                return digits.isEmpty() ? -1 : Long.parseLong(digits) / 1024.0;
            }
        }
        return -1;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
