package org.mmtune.ui.mix;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableValue;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.image.Image;
import org.mmtune.data.ImagePair;
import org.mmtune.data.Sample;
import org.mmtune.data.SegmentationDataset;
import org.mmtune.match.MatchStrategy;
import org.mmtune.match.MixMatchService;
import org.mmtune.mix.BatchLoader;
import org.mmtune.mix.DedupRule;
import org.mmtune.mix.ImagePool;
import org.mmtune.mix.LabelMode;
import org.mmtune.mix.MixConfig;
import org.mmtune.mix.MixedBatch;
import org.mmtune.mix.Mixer;
import org.mmtune.mix.SizeMode;
import org.mmtune.ui.common.Background;
import org.mmtune.ui.common.DatasetAccess;
import org.mmtune.ui.common.Images;
import org.mmtune.util.UserMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sampler's settings as properties and the latest mixed batch. Any change resamples in the
 * background (bursts of changes coalesce); the previous batch stays until the new one is ready, and results
 * of superseded requests are dropped. FX thread.
 */
public final class MixViewModel {

    private static final Logger LOG = LoggerFactory.getLogger(MixViewModel.class);

    /** Side of the patch previews (or the output size when smaller). */
    static final int PREVIEW = 64;

    private final ObjectProperty<SegmentationDataset> dataset = new SimpleObjectProperty<>();
    private final ObservableList<String> splits = FXCollections.observableArrayList();
    private final StringProperty split = new SimpleStringProperty();
    private final IntegerProperty imagesPerBatch = new SimpleIntegerProperty();
    private final IntegerProperty patchesPerImage = new SimpleIntegerProperty();
    private final IntegerProperty minSize = new SimpleIntegerProperty();
    private final IntegerProperty maxSize = new SimpleIntegerProperty();
    private final IntegerProperty outSize = new SimpleIntegerProperty();
    private final DoubleProperty backgroundRatio = new SimpleDoubleProperty();
    private final DoubleProperty dedupThreshold = new SimpleDoubleProperty();
    private final IntegerProperty candidateFactor = new SimpleIntegerProperty();
    private final ObjectProperty<LabelMode> labelMode = new SimpleObjectProperty<>();
    private final BooleanProperty rankByPurity = new SimpleBooleanProperty();
    private final LongProperty seed = new SimpleLongProperty();
    private final LongProperty batch = new SimpleLongProperty(0);
    private final ObjectProperty<DedupRule> dedupRule = new SimpleObjectProperty<>(DedupRule.REFERENCE);
    private final ObjectProperty<SizeMode> sizeMode = new SimpleObjectProperty<>(SizeMode.ABSOLUTE);
    private final DoubleProperty minFraction = new SimpleDoubleProperty(MixConfig.DEFAULT_MIN_FRACTION);
    private final DoubleProperty maxFraction = new SimpleDoubleProperty(MixConfig.DEFAULT_MAX_FRACTION);
    /** The images batches are drawn from when not the whole split (a run's training images), or null. */
    private final ObjectProperty<Pool> pool = new SimpleObjectProperty<>();
    private final ReadOnlyObjectWrapper<MixResult> result = new ReadOnlyObjectWrapper<>();
    private final BooleanProperty sampling = new SimpleBooleanProperty(false);
    private final StringProperty message = new SimpleStringProperty("");
    /** Set while a resample is scheduled for the end of the current FX event (bursts of changes coalesce). */
    private boolean scheduled;
    /** Work that follows each new batch on the background thread, before it is handed back (e.g. its graph). */
    private volatile Consumer<MixResult> afterMix;
    private long generation;
    private boolean running;
    private boolean again;
    private long requestedAt;
    private String inputNote;

    public MixViewModel() {
        reset(MixConfig.defaults());
        List<ObservableValue<?>> knobs = List.of(split, imagesPerBatch, patchesPerImage, minSize, maxSize, outSize,
                backgroundRatio, dedupThreshold, candidateFactor, labelMode, rankByPurity, seed, batch, dedupRule,
                sizeMode, minFraction, maxFraction, pool);
        knobs.forEach(k -> k.addListener((o, a, b) -> resample()));
    }

    /** Sets every knob from a config (one resample follows). */
    public void reset(MixConfig c) {
        imagesPerBatch.set(c.imagesPerBatch());
        patchesPerImage.set(c.patchesPerImage());
        minSize.set(c.minSize());
        maxSize.set(c.maxSize());
        outSize.set(c.outSize());
        backgroundRatio.set(c.backgroundRatio());
        dedupThreshold.set(c.dedupThreshold());
        candidateFactor.set(c.candidateFactor());
        labelMode.set(c.labelMode());
        rankByPurity.set(c.rankByPurity());
        seed.set(c.seed());
        dedupRule.set(c.dedupRule());
        sizeMode.set(c.sizeMode());
        minFraction.set(c.minFraction());
        maxFraction.set(c.maxFraction());
    }

    public MixConfig config() {
        return new MixConfig(imagesPerBatch.get(), patchesPerImage.get(), minSize.get(), maxSize.get(), outSize.get(),
                backgroundRatio.get(), dedupThreshold.get(), candidateFactor.get(), labelMode.get(),
                rankByPurity.get(), seed.get(), dedupRule.get(), sizeMode.get(), minFraction.get(), maxFraction.get());
    }

    /**
     * Images to draw batches from instead of the whole split.
     *
     * @param split the split they belong to (the pool applies while this split is selected)
     * @param pairs the images, in the order batches index them
     * @param label what they are, for the summary line (e.g. "run R")
     */
    public record Pool(String split, List<ImagePair> pairs, String label) {
        public Pool {
            pairs = List.copyOf(pairs);
        }
    }

    /**
     * Shows batch {@code batchIndex} of a run: its dataset, training images, sampler settings and seed
     * (one resample follows).
     */
    public void showRun(SegmentationDataset ds, Pool images, MixConfig c, long batchIndex) {
        setDataset(ds);
        split.set(images.split());
        reset(c);
        pool.set(images);
        batch.set(batchIndex);
    }

    public ObjectProperty<SegmentationDataset> datasetProperty() { return dataset; }
    public ObservableList<String> splits() { return splits; }
    public StringProperty splitProperty() { return split; }
    public IntegerProperty imagesPerBatchProperty() { return imagesPerBatch; }
    public IntegerProperty patchesPerImageProperty() { return patchesPerImage; }
    public IntegerProperty minSizeProperty() { return minSize; }
    public IntegerProperty maxSizeProperty() { return maxSize; }
    public IntegerProperty outSizeProperty() { return outSize; }
    public DoubleProperty backgroundRatioProperty() { return backgroundRatio; }
    public DoubleProperty dedupThresholdProperty() { return dedupThreshold; }
    public IntegerProperty candidateFactorProperty() { return candidateFactor; }
    public ObjectProperty<LabelMode> labelModeProperty() { return labelMode; }
    public BooleanProperty rankByPurityProperty() { return rankByPurity; }
    public LongProperty seedProperty() { return seed; }
    /** Which batch of the seed's sequence (training's iteration number). */
    public LongProperty batchProperty() { return batch; }
    public ObjectProperty<DedupRule> dedupRuleProperty() { return dedupRule; }
    public ObjectProperty<SizeMode> sizeModeProperty() { return sizeMode; }
    public DoubleProperty minFractionProperty() { return minFraction; }
    public DoubleProperty maxFractionProperty() { return maxFraction; }
    public ObjectProperty<Pool> poolProperty() { return pool; }
    /** The latest mixed batch (null until the first one is ready). */
    public ReadOnlyObjectProperty<MixResult> resultProperty() { return result.getReadOnlyProperty(); }
    public BooleanProperty samplingProperty() { return sampling; }
    public StringProperty messageProperty() { return message; }

    public void setDataset(SegmentationDataset ds) {
        dataset.set(ds);
        pool.set(null);
        result.set(null);
        if (ds == null) {
            splits.clear();
            return;
        }
        splits.setAll(ds.splitNames());
        String s0 = ds.hasSplit("train") ? "train" : ds.splitNames().isEmpty() ? null : ds.splitNames().get(0);
        if (s0 != null) {
            DatasetAccess.warm(ds, ds.pairs(s0));
        }
        String s = ds.hasSplit("train") ? "train" : ds.splitNames().isEmpty() ? null : ds.splitNames().get(0);
        if (s != null && s.equals(split.get())) {
            resample();
        } else {
            split.set(s);
        }
    }

    /** A fresh seed (the next integer), so a new batch is drawn with the same settings. */
    public void newSeed() {
        seed.set(seed.get() + 1);
    }

    /**
     * Schedules a resample. Changes made in one FX event (e.g. {@link #reset}) coalesce into one resample,
     * which starts at once when none is running; changes arriving while one runs (a slider being dragged)
     * coalesce into a single follow-up with the latest settings.
     */
    public void resample() {
        requestedAt = System.nanoTime();
        if (scheduled) {
            return;
        }
        scheduled = true;
        Background.pending(+1);
        Platform.runLater(() -> {
            scheduled = false;
            Background.pending(-1);
            resampleNow();
        });
    }

    /**
     * Work to run on the background thread right after each new batch is mixed, before the batch is handed
     * to the FX thread (the Match view builds the batch's graph there, so grid and graph appear together).
     * Failures are logged and ignored: the batch is shown anyway.
     */
    public void setAfterMix(Consumer<MixResult> work) {
        afterMix = work;
    }

    private void resampleNow() {
        if (running) {
            again = true;
            return;
        }
        SegmentationDataset ds = dataset.get();
        String s = split.get();
        if (ds == null || s == null || !ds.hasSplit(s)) {
            return;
        }
        MixConfig cfg = config();
        Pool p = pool.get();
        List<ImagePair> images = p != null && p.split().equals(s) ? p.pairs() : ds.pairs(s);
        String from = p != null && p.split().equals(s) ? p.label() : null;
        long b = batch.get();
        List<String> problems = cfg.problems();
        if (!problems.isEmpty()) {
            message.set("Not sampled: " + formWords(problems.get(0)) + " (the previous batch stays)");
            return;
        }
        long gen = ++generation;
        long asked = requestedAt;
        running = true;
        sampling.set(true);
        Background.run("mix", () -> {
            MixResult r = mix(ds, s, images, cfg, b, asked);
            Consumer<MixResult> next = afterMix;
            if (next != null) {
                try {
                    next.accept(r);
                } catch (RuntimeException e) {
                    LOG.debug("work after mixing failed", e);
                }
            }
            return r;
        }, r -> {
            finish();
            if (gen == generation) {
                result.set(r);
                String line = (from == null ? "" : from + ", ") + "batch " + r.batch().batchIndex() + " · " + describe(r);
                message.set(inputNote == null ? line : inputNote + " — " + line);
                inputNote = null;
            }
        }, err -> {
            finish();
            message.set("Sampling failed: " + UserMessages.describe(err));
        });
    }

    /** A plain line about a value typed into the form (shown now, and in front of the next batch's summary). */
    public void inputProblem(String line) {
        inputNote = line;
        message.set(line);
    }

    /** A config problem in the words of the form's labels. */
    static String formWords(String problem) {
        return problem.replace("imagesPerBatch", "Images / batch").replace("patchesPerImage", "Patches / image")
                .replace("minSize..maxSize", "the patch side range").replace("minSize", "the smallest patch side")
                .replace("maxSize", "the largest patch side").replace("outSize", "Output size")
                .replace("backgroundRatio", "Background ratio").replace("dedupThreshold", "De-dup overlap")
                .replace("candidateFactor", "Candidates ×").replace("minFraction", "the smallest side fraction")
                .replace("maxFraction", "the largest side fraction");
    }

    private void finish() {
        running = false;
        sampling.set(false);
        if (again) {
            again = false;
            resampleNow();
        }
    }

    /** Batch 0 of the whole split (any thread). */
    public static MixResult mix(SegmentationDataset ds, String split, MixConfig cfg, long requestedAt)
            throws Exception {
        return mix(ds, split, ds.pairs(split), cfg, 0, requestedAt);
    }

    /**
     * Batch {@code batchIndex} of {@code images} through the shared mix-and-match service (the images
     * decoded through the UI's cache), with gray crops for the descriptor and display images (any thread).
     */
    public static MixResult mix(SegmentationDataset ds, String split, List<ImagePair> images, MixConfig cfg,
                                long batchIndex, long requestedAt) throws Exception {
        long t0 = System.nanoTime();
        if (images.isEmpty()) {
            throw new IllegalArgumentException("split " + split + " has no images");
        }
        MixMatchService service = MixMatchService.forDataset(ds, cfg, MatchStrategy.CLASSWISE, false);
        ImagePool pool = ImagePool.of(ds, images, DatasetAccess::read);
        int threads = Runtime.getRuntime().availableProcessors();
        // the batch's images from the cache, those not in it yet decoded on all cores (the background
        // warm-up of the split steps aside meanwhile)
        BatchLoader.Loaded[] holder = new BatchLoader.Loaded[1];
        DatasetAccess.foreground(() -> holder[0] = service.load(pool, batchIndex, threads));
        BatchLoader.Loaded loaded = holder[0];
        List<Sample> samples = loaded.samples();
        List<String> skipped = loaded.skipped();
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("none of the " + skipped.size() + " images of the batch could be read"
                    + (skipped.isEmpty() ? "" : " (first: " + skipped.get(0) + ")"));
        }
        int[] indices = loaded.indices();
        // sampling and gray crops as the pipeline makes them; RGB previews cut at display size (see PatchPreview)
        MixedBatch batch = service.mix(loaded, batchIndex, Mixer.Crops.GRAY, threads);
        int t = Math.min(PREVIEW, cfg.outSize());
        Image[] thumbs = new Image[batch.size()];
        byte[][] gray = new byte[batch.size()][];
        java.util.Map<Integer, Sample> byIndex = new java.util.HashMap<>();
        for (int i = 0; i < indices.length; i++) {
            byIndex.put(indices[i], samples.get(i));
        }
        java.util.stream.IntStream.range(0, batch.size()).parallel().forEach(i -> {
            var p = batch.patch(i);
            byte[] rgb = PatchPreview.rgb(byIndex.get(p.imageIndex()), p, t);
            thumbs[i] = Images.rgb(rgb, t, t);
            gray[i] = luma(rgb);
        });
        return new MixResult(ds, split, cfg, batch, images, t, gray, thumbs, (System.nanoTime() - t0) / 1e6,
                requestedAt, skipped);
    }

    static byte[] luma(byte[] rgb) {
        byte[] g = new byte[rgb.length / 3];
        for (int i = 0, j = 0; i < g.length; i++, j += 3) {
            g[i] = (byte) ((299 * (rgb[j] & 0xFF) + 587 * (rgb[j + 1] & 0xFF) + 114 * (rgb[j + 2] & 0xFF) + 500) / 1000);
        }
        return g;
    }

    private static String describe(MixResult r) {
        MixedBatch b = r.batch();
        double size = 0;
        double purity = 0;
        for (var p : b.patches()) {
            size += p.size();
            purity += p.purity();
        }
        int n = Math.max(1, b.size());
        String s = String.format("%d patches from %d images · mean side %.0f px · mean purity %.2f · sampled in %.0f ms"
                + " · shown as %d px previews of the %d px crops", b.size(), b.imageIndices().length, size / n,
                purity / n, r.sampleMs(), r.previewSize(), r.config().outSize());
        if (!r.skipped().isEmpty()) {
            s += String.format(" · %d unreadable image%s skipped (first: %s)", r.skipped().size(),
                    r.skipped().size() == 1 ? "" : "s", r.skipped().get(0));
        }
        return s;
    }
}
