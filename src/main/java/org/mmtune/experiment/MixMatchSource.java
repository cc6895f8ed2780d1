package org.mmtune.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.mmtune.data.Sample;
import org.mmtune.data.SegmentationDataset;
import org.mmtune.match.GraphBuilder;
import org.mmtune.match.MatchGraph;
import org.mmtune.match.MatchStrategy;
import org.mmtune.mix.DedupRule;
import org.mmtune.mix.LabelMode;
import org.mmtune.mix.MixConfig;
import org.mmtune.mix.MixedBatch;
import org.mmtune.mix.Mixer;
import org.mmtune.mix.Patch;
import org.mmtune.mix.PatchSampler;
import org.mmtune.mix.SizeMode;
import org.mmtune.train.PatchBatch;
import org.mmtune.train.PatchBatchSource;
import org.mmtune.train.PatchInfo;

/**
 * The M&amp;M batches of a run: for iteration {@code i}, the mix layer draws {@code imagesPerBatch} of the
 * decoded training images and samples, de-duplicates and crops their patches (gray, {@code outSize}²);
 * the match layer builds the graph (class-wise connected by default) and its triplets. Batch {@code i}
 * depends only on the seed and {@code i}, so a resumed run sees the same batches.
 */
public final class MixMatchSource implements PatchBatchSource {

    private final List<Sample> train;
    private final Mixer mixer;
    private final PatchSampler sampler;
    private final MatchStrategy strategy;
    private final long seed;

    public MixMatchSource(ExperimentConfig.MixMatch s, SegmentationDataset ds, List<Sample> train, long seed) {
        MixConfig mc = MixConfig.defaults()
                .withImagesPerBatch(s.imagesPerBatch)
                .withPatchesPerImage(s.patchesPerImage)
                .withSizes(s.minSize, s.maxSize)
                .withOutSize(s.outSize)
                .withBackgroundRatio(s.backgroundRatio)
                .withDedupThreshold(s.dedupOverlap)
                .withLabelMode(LabelMode.CENTER)
                .withDedupRule(DedupRule.parse(s.dedupRule))
                .withSizeMode(SizeMode.parse(s.sizeMode))
                .withSeed(seed);
        if (mc.sizeMode() == SizeMode.RELATIVE) {
            mc = mc.withRelativeSizes(s.minFraction, s.maxFraction);
        }
        this.sampler = PatchSampler.forDataset(mc, ds);
        this.mixer = new Mixer(sampler, Mixer.Crops.GRAY);
        this.train = train;
        this.strategy = MatchStrategy.parse(s.strategy.toUpperCase(Locale.ROOT));
        this.seed = seed;
    }

    /** A factory for {@link ExperimentRunner}. */
    public static PatchSourceFactory factory() {
        return MixMatchSource::new;
    }

    @Override
    public PatchBatch next(int iteration) {
        long t0 = System.nanoTime();
        int[] idx = sampler.chooseImages(train.size(), iteration);
        List<Sample> chosen = new ArrayList<>(idx.length);
        for (int i : idx) {
            chosen.add(train.get(i));
        }
        MixedBatch mb = mixer.mix(chosen, idx, iteration);
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
        long graphSeed = seed * 31 + iteration;
        int[][] triplets = null;
        java.util.function.Function<float[][], int[][]> hard = null;
        if (strategy == MatchStrategy.HARD) {
            hard = emb -> GraphBuilder.hard(labels, graphSeed, emb, false).triplets();
        } else {
            MatchGraph g = GraphBuilder.build(strategy, labels, graphSeed, null, false);
            triplets = g.triplets();
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        return new PatchBatch(n, p, gray, labels, triplets, info, ms, hard);
    }
}
