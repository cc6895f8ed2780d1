package org.mmtune.match;

import java.util.Objects;
import org.mmtune.data.DatasetException;
import org.mmtune.data.SegmentationDataset;
import org.mmtune.mix.BatchLoader;
import org.mmtune.mix.ImagePool;
import org.mmtune.mix.MixConfig;
import org.mmtune.mix.MixedBatch;
import org.mmtune.mix.Mixer;
import org.mmtune.mix.PatchSampler;
import org.mmtune.mix.Seeds;

/**
 * The one mix-and-match path: given a pool of images (a split, or the decoded training images), the
 * sampler settings (which hold the seed), the match strategy and a batch index, it chooses the batch's
 * images, samples and crops their patches and builds their graph. {@code mmtune mix} and {@code match},
 * the Mix and Match views and training all call it, so the same (images, settings, seed, batch) give
 * the same patches and the same graph everywhere.
 *
 * <p>Seeds: the images of batch {@code k} come from {@code Seeds.batchSeed(seed, k, 0)}, each image's
 * patches from {@code Seeds.imageSeed(seed, k, image)}, the graph from {@link #graphSeed(long, long)}.
 * Immutable and thread-safe.
 */
public final class MixMatchService {

    /** Side of the network-free patch descriptor (the gray crop area-averaged to 16×16). */
    public static final int DESCRIPTOR_SIDE = 16;

    /** How the network-free descriptor is named in outputs. */
    public static final String DESCRIPTOR_NAME =
            "fixed descriptor (16×16 gray patch, zero-mean, L2-normalised; no network)";

    private final PatchSampler sampler;
    private final MatchStrategy strategy;
    private final boolean semiHard;

    public MixMatchService(PatchSampler sampler, MatchStrategy strategy, boolean semiHard) {
        this.sampler = Objects.requireNonNull(sampler);
        this.strategy = Objects.requireNonNull(strategy);
        this.semiHard = semiHard;
    }

    /** A service for a dataset's classes (validates {@code config}). */
    public static MixMatchService forDataset(SegmentationDataset dataset, MixConfig config, MatchStrategy strategy,
                                             boolean semiHard) {
        return new MixMatchService(PatchSampler.forDataset(config, dataset), strategy, semiHard);
    }

    public MixConfig config() {
        return sampler.config();
    }

    public PatchSampler sampler() {
        return sampler;
    }

    public MatchStrategy strategy() {
        return strategy;
    }

    public boolean semiHard() {
        return semiHard;
    }

    /** Seed of batch {@code batch}'s graph (visiting order, positive and negative draws). */
    public static long graphSeed(long seed, long batch) {
        return Seeds.batchSeed(seed, batch, 1);
    }

    /** The images of batch {@code batch} out of a pool of {@code poolSize}: indices, sorted. */
    public int[] chooseImages(int poolSize, long batch) {
        return sampler.chooseImages(poolSize, batch);
    }

    /** Decodes the images of batch {@code batch}; unreadable ones are skipped and counted. */
    public BatchLoader.Loaded load(ImagePool pool, long batch, int threads) {
        return BatchLoader.load(pool, chooseImages(pool.size(), batch), threads);
    }

    /** Samples and crops the patches of decoded images (same patches whatever {@code threads} is). */
    public MixedBatch mix(BatchLoader.Loaded loaded, long batch, Mixer.Crops crops, int threads) {
        return new Mixer(sampler, crops).mix(loaded.samples(), loaded.indices(), batch, threads);
    }

    /**
     * The match graph of batch {@code batch} with patch labels {@code labels}; {@code embeddings} (one
     * row per patch) are needed by the hard strategy only.
     */
    public MatchGraph graph(int[] labels, long batch, float[][] embeddings) {
        return GraphBuilder.build(strategy, labels, graphSeed(config().seed(), batch), embeddings, semiHard);
    }

    /** The network-free descriptor of each patch: its gray crop area-averaged to 16×16, zero-mean, L2-normalised. */
    public static float[][] descriptors(MixedBatch batch) {
        return PatchDescriptor.describe(batch.gray(), batch.outSize(), DESCRIPTOR_SIDE);
    }

    /**
     * One batch: images, patches (with gray crops, plus RGB when asked), their descriptors and graph.
     *
     * @param loaded      the decoded images and what was skipped
     * @param mixed       patches and crops
     * @param descriptors network-free descriptor per patch
     * @param graph       the match graph (the hard strategy uses the descriptors)
     */
    public record Batch(long index, BatchLoader.Loaded loaded, MixedBatch mixed, float[][] descriptors,
                        MatchGraph graph) {
    }

    /**
     * Decodes, mixes and matches batch {@code batch} of {@code pool}; {@code rgb} adds RGB crops. Throws a
     * {@link DatasetException} when none of the batch's images can be read.
     */
    public Batch batch(ImagePool pool, long batch, boolean rgb, int threads) throws DatasetException {
        BatchLoader.Loaded loaded = load(pool, batch, threads);
        if (loaded.samples().isEmpty()) {
            int n = loaded.skipped().size();
            throw new DatasetException("none of the " + n + " images of batch " + batch + " could be read"
                    + (n == 0 ? "" : " (first: " + loaded.skipped().get(0) + ")"));
        }
        MixedBatch mixed = mix(loaded, batch, rgb ? Mixer.Crops.BOTH : Mixer.Crops.GRAY, threads);
        float[][] desc = descriptors(mixed);
        return new Batch(batch, loaded, mixed, desc, graph(mixed.labels(), batch, desc));
    }
}
