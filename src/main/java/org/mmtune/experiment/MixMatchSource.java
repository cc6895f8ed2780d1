package org.mmtune.experiment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.mmtune.data.DatasetException;
import org.mmtune.data.ImagePair;
import org.mmtune.data.Sample;
import org.mmtune.data.SegmentationDataset;
import org.mmtune.match.MixMatchService;
import org.mmtune.match.MatchStrategy;
import org.mmtune.mix.BatchLoader;
import org.mmtune.mix.DedupRule;
import org.mmtune.mix.ImagePool;
import org.mmtune.mix.LabelMode;
import org.mmtune.mix.MixConfig;
import org.mmtune.mix.MixedBatch;
import org.mmtune.mix.Mixer;
import org.mmtune.mix.Patch;
import org.mmtune.mix.SizeMode;
import org.mmtune.train.PatchBatch;
import org.mmtune.train.PatchBatchSource;
import org.mmtune.train.PatchInfo;

/**
 * The M&amp;M batches of a run, from {@link MixMatchService}: for iteration {@code i}, batch {@code i} of
 * the decoded training images (the pool, in split order): {@code imagesPerBatch} images, their patches
 * sampled, de-duplicated and cropped (gray, {@code outSize}²), and the graph (class-wise connected by
 * default) with its triplets. Batch {@code i} depends only on the seed and {@code i}, so a resumed run
 * sees the same batches, and the Match view and {@code mmtune match} show the same ones.
 */
public final class MixMatchSource implements PatchBatchSource {

    private final ImagePool pool;
    private final MixMatchService service;

    public MixMatchSource(ExperimentConfig.MixMatch s, SegmentationDataset ds, List<Sample> train, long seed) {
        this.service = service(s, ds, seed);
        this.pool = ImagePool.of(train);
    }

    /** The sampler settings of a run's M&amp;M stage (its {@code mm} section and experiment seed). */
    public static MixConfig mixConfig(ExperimentConfig.MixMatch s, long seed) {
        MixConfig mc = MixConfig.defaults()
                .withImagesPerBatch(s.imagesPerBatch)
                .withPatchesPerImage(s.patchesPerImage)
                .withSizes(s.minSize, s.maxSize)
                .withOutSize(s.outSize)
                .withBackgroundRatio(s.backgroundRatio)
                .withDedupThreshold(s.dedupOverlap)
                .withLabelMode(LabelMode.CENTER)
                .withDedupRule(DedupRule.parse(s.dedupRule))
                .withSeed(seed);
        return SizeMode.parse(s.sizeMode) == SizeMode.RELATIVE ? mc.withRelativeSizes(s.minFraction, s.maxFraction) : mc;
    }

    /** The mix-and-match service a run's M&amp;M stage uses. */
    public static MixMatchService service(ExperimentConfig.MixMatch s, SegmentationDataset ds, long seed) {
        return MixMatchService.forDataset(ds, mixConfig(s, seed),
                MatchStrategy.parse(s.strategy.toUpperCase(Locale.ROOT)), false);
    }

    /**
     * What a run trained its M&amp;M stage on, read back from its folder: the experiment, its dataset, the
     * training images in the order the run indexed them (the readable ones among the first
     * {@code maxTrainImages} of {@code trainSplit}, as the runner loads them) and the service. Batch
     * {@code k} of {@link #pool()} through {@link #service()} is the batch of iteration {@code k}.
     *
     * @param skipped one line per training image that could not be read (the run skipped it too)
     */
    public record RunBatches(Path runDir, ExperimentConfig config, SegmentationDataset dataset,
                             List<ImagePair> images, List<String> skipped, MixMatchService service) {

        public ImagePool pool(ImagePool.PairReader reader) {
            return ImagePool.of(dataset, images, reader);
        }
    }

    /**
     * Reads {@code runDir/config.json} and finds the run's training images, decoding them with
     * {@code reader} on {@code threads} threads to tell the readable ones.
     */
    public static RunBatches ofRun(Path runDir, ImagePool.PairReader reader, int threads)
            throws ConfigException, DatasetException {
        ExperimentConfig cfg = ExperimentConfigs.read(runDir.resolve("config.json"));
        SegmentationDataset ds = org.mmtune.data.DatasetLoader.open(DatasetPaths.resolve(cfg.dataset));
        if (!ds.hasSplit(cfg.trainSplit)) {
            throw new DatasetException(ds.root() + ": no split '" + cfg.trainSplit + "' (trainSplit of "
                    + runDir.resolve("config.json") + ")");
        }
        List<ImagePair> pairs = ds.pairs(cfg.trainSplit);
        if (cfg.maxTrainImages > 0 && pairs.size() > cfg.maxTrainImages) {
            pairs = pairs.subList(0, cfg.maxTrainImages);
        }
        BatchLoader.Loaded all = BatchLoader.load(ImagePool.of(ds, pairs, reader),
                java.util.stream.IntStream.range(0, pairs.size()).toArray(), threads);
        List<ImagePair> readable = new ArrayList<>(all.indices().length);
        for (int i : all.indices()) {
            readable.add(pairs.get(i));
        }
        if (readable.isEmpty()) {
            throw new DatasetException(ds.root() + ": split '" + cfg.trainSplit + "' has no readable images");
        }
        return new RunBatches(runDir, cfg, ds, readable, all.skipped(), service(cfg.mm, ds, cfg.seed));
    }

    /** A factory for {@link ExperimentRunner}. */
    public static PatchSourceFactory factory() {
        return MixMatchSource::new;
    }

    @Override
    public PatchBatch next(int iteration) {
        long t0 = System.nanoTime();
        BatchLoader.Loaded loaded = service.load(pool, iteration, Runtime.getRuntime().availableProcessors());
        MixedBatch mb = service.mix(loaded, iteration, Mixer.Crops.GRAY, Runtime.getRuntime().availableProcessors());
        int n = mb.size();
        if (n < 2) {
            throw new IllegalStateException("M&M batch " + iteration + " has " + n
                    + " patch(es): the training images have too few labelled pixels");
        }
        int p = mb.outSize();
        byte[] gray = new byte[n * p * p];
        for (int i = 0; i < n; i++) {
            System.arraycopy(mb.gray()[i], 0, gray, i * p * p, p * p);
        }
        int[] labels = mb.labels();
        List<PatchInfo> info = new ArrayList<>(n);
        for (Patch pt : mb.patches()) {
            info.add(new PatchInfo(pt.imageId(), pt.cx(), pt.cy(), pt.size(), pt.label()));
        }
        int[][] triplets = null;
        java.util.function.Function<float[][], int[][]> hard = null;
        if (service.strategy() == MatchStrategy.HARD) {
            hard = emb -> service.graph(labels, iteration, emb).triplets();
        } else {
            triplets = service.graph(labels, iteration, null).triplets();
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        return new PatchBatch(n, p, gray, labels, triplets, info, ms, hard);
    }
}
