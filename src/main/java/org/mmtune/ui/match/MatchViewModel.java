package org.mmtune.ui.match;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.mmtune.experiment.CheckpointEmbedder;
import org.mmtune.match.MatchGraph;
import org.mmtune.match.MatchStrategy;
import org.mmtune.match.MixMatchService;
import org.mmtune.match.TripletStats;
import org.mmtune.experiment.ExperimentConfig;
import org.mmtune.experiment.MixMatchSource;
import org.mmtune.ui.common.Background;
import org.mmtune.ui.common.Perf;
import org.mmtune.ui.mix.MixResult;
import org.mmtune.ui.mix.MixViewModel;
import org.mmtune.util.UserMessages;

/**
 * State of the Match view: follows the Mix view's batch, builds its graph with the chosen strategy in
 * the background, lays it out, and keeps the violation count live as the margin moves. FX thread.
 */
public final class MatchViewModel {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MatchViewModel.class);

    /** Node layouts. */
    public enum Layout {
        CLUSTERS("class clusters (force directed)"),
        PCA("PCA of the embeddings");

        private final String label;

        Layout(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    private final ObjectProperty<MatchStrategy> strategy = new SimpleObjectProperty<>(MatchStrategy.CLASSWISE);
    private final ObjectProperty<Layout> layout = new SimpleObjectProperty<>(Layout.CLUSTERS);
    private final DoubleProperty margin = new SimpleDoubleProperty(TripletStats.PAPER_MARGIN);
    private final BooleanProperty showNegatives = new SimpleBooleanProperty(true);
    private final BooleanProperty semiHard = new SimpleBooleanProperty(false);
    private final ReadOnlyObjectWrapper<MatchResult> result = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyIntegerWrapper violations = new ReadOnlyIntegerWrapper(0);
    private final ReadOnlyDoubleWrapper meanLoss = new ReadOnlyDoubleWrapper(0);
    private final IntegerProperty selected = new SimpleIntegerProperty(-1);
    private final ObjectProperty<CheckpointEmbedder> embedder = new SimpleObjectProperty<>();
    private final StringProperty message = new SimpleStringProperty("");
    private final MixViewModel mix;
    private long generation;
    private boolean running;
    private boolean again;

    /** The settings a graph is built with (copied on the FX thread, read by the mix's background thread). */
    private record Settings(MatchStrategy strategy, Layout layout, boolean semiHard, double margin,
                            CheckpointEmbedder net) {
    }

    /** A graph built right after its batch was mixed, on the mix's background thread. */
    private record Prebuilt(MixResult mix, Settings settings, MatchResult result) {
    }

    private volatile Settings current;
    private volatile Prebuilt prebuilt;

    public MatchViewModel(MixViewModel mix) {
        this.mix = mix;
        current = settings();
        for (javafx.beans.value.ObservableValue<?> v : java.util.List.of(strategy, layout, semiHard, margin, embedder)) {
            v.addListener((o, a, b) -> current = settings());
        }
        // each new batch's graph is built on the mix's own background thread, right after the batch: the
        // graph is then ready when the batch reaches the FX thread, with no second job to wait for
        mix.setAfterMix(this::prebuild);
        mix.resultProperty().addListener((o, a, r) -> rebuild());
        strategy.addListener((o, a, b) -> rebuild());
        layout.addListener((o, a, b) -> rebuild());
        semiHard.addListener((o, a, b) -> rebuild());
        embedder.addListener((o, a, b) -> {
            if (a != null) {
                Background.run("close checkpoint", () -> {
                    a.close();
                    return null;
                }, null, null);
            }
            rebuild();
        });
        margin.addListener((o, a, b) -> updateViolations());
        if (mix.resultProperty().get() != null) {
            rebuild();
        }
    }

    public ObjectProperty<MatchStrategy> strategyProperty() { return strategy; }
    public ObjectProperty<Layout> layoutProperty() { return layout; }
    public DoubleProperty marginProperty() { return margin; }
    public BooleanProperty showNegativesProperty() { return showNegatives; }
    public BooleanProperty semiHardProperty() { return semiHard; }
    public ReadOnlyObjectProperty<MatchResult> resultProperty() { return result.getReadOnlyProperty(); }
    /** Triplets violating the current margin. */
    public ReadOnlyIntegerProperty violationsProperty() { return violations.getReadOnlyProperty(); }
    /** Mean triplet loss at the current margin, (1/2N)·Σ max(0, m + d⁺ − d⁻). */
    public ReadOnlyDoubleProperty meanLossProperty() { return meanLoss.getReadOnlyProperty(); }
    /** The clicked node, or -1. */
    public IntegerProperty selectedProperty() { return selected; }
    public StringProperty messageProperty() { return message; }
    /** The network whose embeddings are used (null: the fixed descriptor). */
    public ObjectProperty<CheckpointEmbedder> embedderProperty() { return embedder; }

    /**
     * Shows batch {@code batchIndex} of the run in {@code runDir}: reads its config.json, finds its training
     * images (in the background) and sets the Mix view to the run's dataset, split, images, sampler
     * settings and seed, and this view to its strategy and margin. The graph shown is then the one the run
     * trained on at iteration {@code batchIndex}.
     */
    public void showRun(java.nio.file.Path runDir, long batchIndex) {
        message.set("Reading run " + runDir.getFileName() + " …");
        Background.run("open run", () -> MixMatchSource.ofRun(runDir, org.mmtune.ui.common.DatasetAccess::read,
                Runtime.getRuntime().availableProcessors()), r -> applyRun(r, batchIndex),
                err -> message.set("Cannot show the run's batch: " + UserMessages.describe(err)));
    }

    /** Sets both views to a run's batch (FX thread). */
    public void applyRun(MixMatchSource.RunBatches r, long batchIndex) {
        ExperimentConfig c = r.config();
        strategy.set(r.service().strategy());
        semiHard.set(false);
        margin.set(c.mm.margin);
        String label = "run " + r.runDir().getFileName()
                + (r.skipped().isEmpty() ? "" : " (" + r.skipped().size() + " unreadable training images skipped, as the run did)");
        mix.showRun(r.dataset(), new MixViewModel.Pool(c.trainSplit, r.images(), label), r.service().config(),
                batchIndex);
        message.set("Showing batch " + batchIndex + " of " + label + " (" + c.dataset + ", split " + c.trainSplit + ")");
    }

    private Settings settings() {
        return new Settings(strategy.get(), layout.get(), semiHard.get(), margin.get(), embedder.get());
    }

    /** Builds the graph of a freshly mixed batch with the current settings (the mix's background thread). */
    private void prebuild(MixResult m) {
        Settings st = current;
        try {
            prebuilt = new Prebuilt(m, st, build(m, st.strategy(), st.layout(), st.semiHard(),
                    st.margin(), st.net()));
        } catch (Exception e) {
            LOG.debug("building the graph with the batch failed; it is built again on its own", e);
        }
    }

    /** Rebuilds the graph of the current batch (in the background; the old graph stays until then). */
    public void rebuild() {
        MixResult m = mix.resultProperty().get();
        Prebuilt pre = prebuilt;
        if (m != null && pre != null && pre.mix() == m && pre.settings().equals(settings())) {
            prebuilt = null;
            ++generation; // any build still running is for an older batch or older settings: drop it
            show(m, pre.result());
            return;
        }
        if (running) {
            again = true;
            return;
        }
        if (m == null) {
            result.set(null);
            return;
        }
        long gen = ++generation;
        running = true;
        MatchStrategy s = strategy.get();
        Layout l = layout.get();
        boolean semi = semiHard.get();
        double mg = margin.get();
        CheckpointEmbedder net = embedder.get();
        Background.run("match graph", () -> build(m, s, l, semi, mg, net), r -> {
            done();
            if (gen == generation && m == mix.resultProperty().get()) {
                show(m, r);
            }
        }, err -> {
            done();
            message.set("Graph failed: " + UserMessages.describe(err));
        });
    }

    private void show(MixResult m, MatchResult r) {
        MatchResult old = result.get();
        result.set(r);
        if (old == null || old.mix() != r.mix()) {
            selected.set(-1);
        }
        updateViolations();
        message.set(String.format("graph built in %.0f ms", r.buildMs()));
        long asked = m.requestedAt();
        javafx.application.Platform.runLater(() ->
                Perf.record("match: change → graph visible", (System.nanoTime() - asked) / 1e6));
        Perf.record("match: graph+layout build", r.buildMs());
    }

    private void done() {
        running = false;
        if (again) {
            again = false;
            rebuild();
        }
    }

    /** Builds graph, descriptor embeddings, layout and triplet statistics (any thread). */
    public static MatchResult build(MixResult m, MatchStrategy s, Layout l, boolean semiHard, double margin)
            throws Exception {
        return build(m, s, l, semiHard, margin, null);
    }

    /**
     * Builds graph, embeddings (the network's when {@code net} is given, else the fixed descriptor),
     * layout and triplet statistics (any thread).
     */
    public static MatchResult build(MixResult m, MatchStrategy s, Layout l, boolean semiHard, double margin,
                                    CheckpointEmbedder net) throws Exception {
        long t0 = System.nanoTime();
        var batch = m.batch();
        int[] labels = batch.labels();
        float[][] emb;
        String embName;
        if (net == null) {
            emb = Embeddings.descriptors(batch);
            embName = Embeddings.DESCRIPTOR_NAME;
        } else {
            java.util.List<org.mmtune.data.Sample> samples = new java.util.ArrayList<>();
            for (var p : batch.patches()) {
                samples.add(org.mmtune.ui.common.DatasetAccess.read(m.dataset(), m.pairs().get(p.imageIndex())));
            }
            emb = net.embed(samples, batch.patches(), m.config().outSize());
            embName = net.describe();
        }
        // the graph as training and `mmtune match` build it for this batch (same service, same seed)
        MatchGraph g = MixMatchService.forDataset(m.dataset(), m.config(), s, semiHard)
                .graph(labels, batch.batchIndex(), emb);
        int[][] pos = g.positiveEdges();
        int[][] neg = g.negativeEdges();
        int[][] triplets = g.triplets();
        TripletStats stats = TripletStats.compute(emb, triplets, Math.max(0, margin));
        int[] index = new int[labels.length];
        java.util.Arrays.fill(index, -1);
        for (int t = 0; t < triplets.length; t++) {
            index[triplets[t][0]] = t;
        }
        double[][] positions = l == Layout.PCA ? GraphLayouts.normalise(Embeddings.pca2(emb))
                : GraphLayouts.classClusters(labels, pos, m.config().seed());
        return new MatchResult(m, g, pos, neg, emb, embName, positions, l, index, stats,
                (System.nanoTime() - t0) / 1e6);
    }

    private void updateViolations() {
        MatchResult r = result.get();
        if (r == null) {
            violations.set(0);
            meanLoss.set(0);
            return;
        }
        double m = margin.get();
        double[] dp = r.stats().dPos();
        double[] dn = r.stats().dNeg();
        int v = 0;
        double sum = 0;
        for (int i = 0; i < dp.length; i++) {
            double raw = m + dp[i] - dn[i];
            if (raw > 0) {
                v++;
                sum += raw;
            }
        }
        meanLoss.set(dp.length == 0 ? 0 : 0.5 * sum / dp.length);
        violations.set(v);
    }

    /** A checkpoint loaded for the embeddings, with the import report when it was a pretrained weights file. */
    public record Loaded(CheckpointEmbedder embedder, org.mmtune.experiment.WeightImports.Imported report) {
    }

    /** File-chooser patterns of importable weights files. */
    public static java.util.List<String> importablePatterns() {
        return org.mmtune.experiment.WeightImports.patterns();
    }

    /** File-chooser patterns of mmtune checkpoints and importable weights files. */
    public static java.util.List<String> checkpointPatterns() {
        java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of("*.params"));
        all.addAll(importablePatterns());
        return all;
    }

    /**
     * Loads a {@code .params} checkpoint, or imports a pretrained weights file first (backbone and width found
     * by trying, written to a temporary folder). Blocking: call it from a background thread.
     */
    public static Loaded loadCheckpointOrWeights(java.nio.file.Path file) throws java.io.IOException {
        if (org.mmtune.experiment.WeightImports.isImportable(file)) {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("mmtune-imports");
            org.mmtune.experiment.WeightImports.Imported imp = org.mmtune.experiment.WeightImports.importGuessing(file, dir);
            return new Loaded(CheckpointEmbedder.load(imp.params()), imp);
        }
        return new Loaded(CheckpointEmbedder.load(file), null);
    }
}
