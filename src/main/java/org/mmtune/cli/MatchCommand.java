package org.mmtune.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.mmtune.data.DatasetException;
import org.mmtune.match.MatchGraph;
import org.mmtune.match.MatchStrategy;
import org.mmtune.match.MixMatchService;
import org.mmtune.match.TripletStats;
import org.mmtune.mix.Mixer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mmtune match}: sample a mixed batch and build its match graph and triplets. */
@Command(name = "match", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Sample one mixed batch (as 'mix') and build its match graph: positive and negative edges, "
                + "connected components per class, one triplet (anchor, positive, negative) per patch.",
            "Strategies: classwise = the paper's class-wise connected graph; random = positive and negative drawn "
                + "from the whole batch; hard = class-wise positives with the closest patch of another class as "
                + "negative.",
            "Without a network, the embedding used by 'hard' and by the triplet check is a fixed descriptor: the gray "
                + "patch area-downsampled to 16x16, mean-subtracted and L2-normalised (not a learned feature)."})
public final class MatchCommand implements Callable<Integer> {

    /** Side of the network-free descriptor. */
    static final int DESCRIPTOR_SIDE = MixMatchService.DESCRIPTOR_SIDE;

    @Mixin
    MixOptions options;

    @Option(names = "--strategy", paramLabel = "S", defaultValue = "classwise",
            description = "classwise, random or hard (default: ${DEFAULT-VALUE}).")
    String strategy;

    @Option(names = "--semi-hard", description = "With --strategy hard: the closest negative farther than the positive.")
    boolean semiHard;

    @Option(names = "--margin", paramLabel = "M", defaultValue = "" + TripletStats.PAPER_MARGIN,
            description = "Margin of the triplet check on the descriptor embedding (default: ${DEFAULT-VALUE}).")
    double margin;

    @Option(names = "--json", paramLabel = "FILE", description = "Write nodes, labels, edges, components and triplets as JSON.")
    Path json;

    @Option(names = "--grid", paramLabel = "PNG", description = "Write a contact sheet of the patches, framed in their class colours.")
    Path grid;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws DatasetException, IOException {
        MatchStrategy s = MatchStrategy.parse(strategy);
        if (!(margin >= 0) || Double.isInfinite(margin)) {
            throw new IllegalArgumentException("--margin must be a finite number >= 0 (got " + margin + ")");
        }
        MixRun run = MixRun.sample(options, grid != null ? Mixer.Crops.BOTH : Mixer.Crops.GRAY, s, semiHard);
        int[] labels = run.batch.labels();
        long t0 = System.nanoTime();
        float[][] emb = MixMatchService.descriptors(run.batch);
        long t1 = System.nanoTime();
        MatchGraph g = run.service.graph(labels, run.batchIndex, emb);
        long t2 = System.nanoTime();
        TripletStats ts = TripletStats.compute(emb, g.triplets(), margin);

        PrintWriter out = spec.commandLine().getOut();
        run.printSummary(out);
        out.println();
        out.printf("graph     %s%s: %d nodes, %d positive edges, %d negative edges, %d triplets%n",
                s.name().toLowerCase(), s == MatchStrategy.HARD && semiHard ? " (semi-hard)" : "", g.size(),
                g.positiveEdges().length, g.negativeEdges().length, g.triplets().length);
        Map<Integer, Integer> nodes = g.nodesPerClass();
        Map<Integer, Integer> comps = g.componentsPerClass();
        out.printf("%n%3s %-18s %6s %11s%n", "#", "class", "nodes", "components");
        nodes.forEach((cls, n) -> out.printf("%3d %-18s %6d %11d%n", cls, run.className(cls), n, comps.get(cls)));
        out.printf("%ntriplet check on the 16x16 gray descriptor (not a network), margin %.2f: %d of %d violate, "
                + "mean loss %.4f%n", margin, ts.violations(), ts.count(), ts.meanLoss());
        out.printf("graph built in %.2f ms (descriptors %.0f ms)%n", (t2 - t1) / 1e6, (t1 - t0) / 1e6);

        if (json != null) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("dataset", run.dataset.name());
            m.put("split", run.split);
            m.put("batch", run.batchIndex);
            m.put("strategy", s.name().toLowerCase());
            m.put("semiHard", s == MatchStrategy.HARD && semiHard);
            m.put("nodes", g.size());
            m.put("labels", labels);
            m.put("triplets", g.triplets());
            Map<String, Integer> c = new LinkedHashMap<>();
            comps.forEach((k, v) -> c.put(String.valueOf(k), v));
            m.put("components", c);
            Map<String, Integer> n = new LinkedHashMap<>();
            nodes.forEach((k, v) -> n.put(String.valueOf(k), v));
            m.put("nodesPerClass", n);
            m.put("positiveEdges", g.positiveEdges());
            m.put("negativeEdges", g.negativeEdges());
            m.put("order", g.order());
            m.put("graphSeed", MixMatchService.graphSeed(run.config.seed(), run.batchIndex));
            m.put("imageIndices", run.batch.imageIndices());
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("embedding", "gray " + DESCRIPTOR_SIDE + "x" + DESCRIPTOR_SIDE + ", mean-subtracted, L2-normalised");
            t.put("margin", margin);
            t.put("violations", ts.violations());
            t.put("meanLoss", ts.meanLoss());
            m.put("tripletCheck", t);
            m.put("patches", MixRun.patchesJson(run.batch.patches()));
            m.put("config", run.config);
            MixRun.writeJson(json, m);
            out.printf("wrote %s%n", json);
        }
        if (grid != null) {
            run.writeGrid(grid);
            out.printf("wrote %s%n", grid);
        }
        out.flush();
        return 0;
    }
}
