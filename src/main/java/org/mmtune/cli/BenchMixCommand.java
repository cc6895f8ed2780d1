package org.mmtune.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.mmtune.data.DatasetException;
import org.mmtune.data.DatasetLoader;
import org.mmtune.data.ImagePair;
import org.mmtune.data.Sample;
import org.mmtune.data.SampleData;
import org.mmtune.data.SampleReader;
import org.mmtune.data.SegmentationDataset;
import org.mmtune.match.MixBenchmark;
import org.mmtune.match.MixCheck;
import org.mmtune.mix.MixConfig;
import org.mmtune.mix.PatchSampler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mmtune bench mix}: decode + sample + crop + graph over a whole split, and a statistics check. */
@Command(name = "mix", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Time the mix-and-match data path over a whole split on all cores: decode every image/label "
                + "pair, sample the paper's patches (defaults: 10 per image, sides 64-256), crop them (gray, 128x128, "
                + "OpenCV) and build the class-wise graph of each batch of 40 images.",
            "Prints decodeSeconds, sampleCropGraphSeconds (images already decoded in memory: the live-preview case), "
                + "endToEndSeconds and graph100kSeconds (one graph of 100,000 nodes): medians after a warm-up, with "
                + "the fastest repeat and the CPU seconds (other processes on a shared machine slow the medians).",
            "Then checks the patches against the algorithm's definition (void centres, sizes, labels, purity, "
                + "class shares against uniform foreground centres, graph connectivity)."})
public final class BenchMixCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(BenchMixCommand.class);

    @Parameters(index = "0", arity = "0..1", paramLabel = "DATASET", description = "Dataset folder; default: the bundled sample data.")
    Path dataset;

    @Option(names = "--split", paramLabel = "S", defaultValue = "train", description = "Split (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--repeats", paramLabel = "N", defaultValue = "3", description = "Timed repeats (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--threads", paramLabel = "T", description = "Threads (default: all cores).")
    Integer threads;

    @Option(names = "--check-rounds", paramLabel = "R", defaultValue = "20",
            description = "Batches per image for the class-share check; 0 skips the check (default: ${DEFAULT-VALUE}).")
    int checkRounds;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the figures as JSON.")
    Path json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws DatasetException, IOException {
        if (repeats < 1) {
            throw new IllegalArgumentException("--repeats must be at least 1 (got " + repeats + ")");
        }
        if (checkRounds < 0) {
            throw new IllegalArgumentException("--check-rounds must be 0 or more (got " + checkRounds + ")");
        }
        int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (t < 1) {
            throw new IllegalArgumentException("--threads must be at least 1 (got " + t + ")");
        }
        Path folder = dataset != null ? dataset : SampleData.locate().orElseThrow(() -> new DatasetException(
                "no DATASET given and no sample-data folder found (run 'mmtune synth --out sample-data')"));
        SegmentationDataset ds = DatasetLoader.open(folder);
        if (!ds.hasSplit(split)) {
            throw new IllegalArgumentException("--split: dataset " + ds.name() + " has no split '" + split
                    + "' (it has: " + String.join(", ", ds.splitNames()) + ")");
        }
        List<ImagePair> pairs = ds.pairs(split);
        if (pairs.isEmpty()) {
            throw new DatasetException(ds.root() + ": split '" + split + "' has no image/label pairs");
        }
        PrintWriter out = spec.commandLine().getOut();
        MixConfig cfg = MixConfig.defaults();
        PatchSampler sampler = PatchSampler.forDataset(cfg, ds);
        AtomicInteger failures = new AtomicInteger();
        List<String> firstFailure = new ArrayList<>();
        MixBenchmark bench = new MixBenchmark(sampler, t);
        out.printf("dataset %s, split %s: %d pairs, %d threads, %d repeats after a warm-up%n", ds.name(), split,
                pairs.size(), t, repeats);
        out.flush();
        MixBenchmark.Result r = bench.run(pairs.size(), i -> {
            try {
                return SampleReader.read(ds, pairs.get(i));
            } catch (DatasetException e) {
                LOG.debug("skipping {}", pairs.get(i).image(), e);
                failures.incrementAndGet();
                synchronized (firstFailure) {
                    if (firstFailure.isEmpty()) {
                        firstFailure.add(e.getMessage());
                    }
                }
                return null;
            }
        }, repeats, ds.numClasses());
        out.printf("images                  %d (%d unreadable, skipped)%n", r.images(), r.skipped());
        if (!firstFailure.isEmpty()) {
            out.printf("  first unreadable: %s%n", firstFailure.get(0));
        }
        out.printf("patches                 %d in %d batches of %d images%n", r.patches(), r.batches(), cfg.imagesPerBatch());
        out.printf("decodeSeconds           %.3f  (%.3f s of CPU)%n", r.decodeSeconds(), r.decodeCpuSeconds());
        out.printf("sampleCropGraphSeconds  %.3f  (best %.3f, first %.3f; %.3f s of CPU over all threads)%n",
                r.sampleCropGraphSeconds(), r.sampleCropGraphBestSeconds(), r.sampleCropGraphFirstSeconds(),
                r.sampleCropGraphCpuSeconds());
        out.printf("endToEndSeconds         %.3f  (best %.3f; %.3f s of CPU)%n", r.endToEndSeconds(),
                r.endToEndBestSeconds(), r.endToEndCpuSeconds());
        out.printf("graph100kSeconds        %.4f%n", r.graph100kSeconds());
        out.printf("load average            %.2f (other processes share the cores)%n", r.loadAverage());
        out.flush();

        Map<String, Object> m = new LinkedHashMap<>(r.toMap());
        m.put("dataset", ds.name());
        m.put("split", split);
        m.put("config", cfg);
        if (checkRounds > 0) {
            Sample[] samples = bench.decodeAll(pairs.size(), i -> {
                try {
                    return SampleReader.read(ds, pairs.get(i));
                } catch (DatasetException e) {
                    return null;
                }
            });
            MixCheck.Result c = MixCheck.run(sampler, Arrays.asList(samples), checkRounds);
            printCheck(out, c, ds);
            m.put("check", c.toMap());
        }
        if (json != null) {
            MixRun.writeJson(json, m);
            out.printf("wrote %s%n", json);
        }
        out.flush();
        return 0;
    }

    private static void printCheck(PrintWriter out, MixCheck.Result c, SegmentationDataset ds) {
        out.printf("%nstatistics check (patches against the algorithm's definition, default settings)%n");
        out.printf("  patches %d from %d images; centres on void %d; background outside quota %d; quota misses %d%n",
                c.patches(), c.images(), c.voidCentres(), c.backgroundOutsideQuota(), c.quotaMisses());
        out.printf("  sides odd or outside [min,max] %d; mean side %.1f (uniform even sides: %.1f)%n",
                c.badSizes(), c.meanSize(), c.expectedMeanSize());
        out.printf("  label != centre class %d; purity != recount %d; top-ups breaking the overlap rule %d%n",
                c.labelMismatches(), c.purityMismatches(), c.dedupTopUps());
        out.printf("  graphs: %d batches, extra components in a class %d, nodes without triplet %d%n",
                c.batches(), c.disconnectedClasses(), c.nodesWithoutTriplet());
        out.printf("  class shares of %d patches (de-dup off) against uniform foreground centres:%n", c.plainPatches());
        out.printf("  %3s %-18s %9s %9s%n", "#", "class", "observed", "expected");
        for (int i = 0; i < c.observedShare().length; i++) {
            out.printf("  %3d %-18s %8.2f%% %8.2f%%%n", i, ds.classInfo(i).name(), 100 * c.observedShare()[i],
                    100 * c.expectedShare()[i]);
        }
        out.printf("  total variation distance %.4f (accepted up to %.4f: twice the sampling noise + 0.01)%n",
                c.totalVariation(), c.tvLimit());
        out.printf("  check %s%n", c.passed() ? "PASSED" : "FAILED");
    }
}
