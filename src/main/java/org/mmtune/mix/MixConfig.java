package org.mmtune.mix;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Every knob of the patch sampler ("mix"). {@link #defaults()} is the paper's AlexNet setting: 40
 * images per batch, 10 patches per image, side uniform in [64, 256] (even), patches resized to 128,
 * background ratio 0.1, candidates de-duplicated above 0.6 overlap from 5x as many draws, label of
 * the centre pixel, no ranking by purity.
 *
 * @param imagesPerBatch  images drawn for one mixed batch
 * @param patchesPerImage patches kept per image
 * @param minSize         smallest patch side in pixels (sides are even)
 * @param maxSize         largest patch side in pixels
 * @param outSize         side of the resized crops
 * @param backgroundRatio share of each image's patches centred on the background class (only when
 *                        the dataset has one); at least one background patch per image then
 * @param dedupThreshold  a candidate is skipped when the part of it already covered by kept patches
 *                        exceeds this fraction of its area (1 disables de-duplication)
 * @param candidateFactor candidates drawn per wanted patch (5 in the paper)
 * @param labelMode       centre pixel's class or the window's majority class
 * @param rankByPurity    consider candidates in order of decreasing label purity
 * @param seed            seed of every random choice
 */
public record MixConfig(int imagesPerBatch, int patchesPerImage, int minSize, int maxSize, int outSize,
                        double backgroundRatio, double dedupThreshold, int candidateFactor,
                        LabelMode labelMode, boolean rankByPurity, long seed) {

    /** Largest accepted patch side or output size, to refuse absurd values before allocating. */
    public static final int MAX_SIDE = 4096;

    public MixConfig {
        labelMode = labelMode == null ? LabelMode.CENTER : labelMode;
    }

    /** The paper's AlexNet setting with seed 0. */
    public static MixConfig defaults() {
        return new MixConfig(40, 10, 64, 256, 128, 0.1, 0.6, 5, LabelMode.CENTER, false, 0L);
    }

    /** Problems with the values, one plain sentence each naming the key; empty when valid. */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        if (imagesPerBatch < 1) {
            p.add("imagesPerBatch must be at least 1 (got " + imagesPerBatch + ")");
        }
        if (patchesPerImage < 1) {
            p.add("patchesPerImage must be at least 1 (got " + patchesPerImage + ")");
        }
        if (minSize < 2) {
            p.add("minSize must be at least 2 (got " + minSize + ")");
        }
        if (maxSize < 2) {
            p.add("maxSize must be at least 2 (got " + maxSize + ")");
        }
        if (maxSize > MAX_SIDE) {
            p.add("maxSize must be at most " + MAX_SIDE + " (got " + maxSize + ")");
        }
        if (minSize > maxSize) {
            p.add("minSize (" + minSize + ") is larger than maxSize (" + maxSize + ")");
        } else if (minSize >= 2 && maxSize >= 2 && evenMin() > evenMax()) {
            p.add("minSize..maxSize (" + minSize + ".." + maxSize + ") holds no even side");
        }
        if (outSize < 1 || outSize > MAX_SIDE) {
            p.add("outSize must be between 1 and " + MAX_SIDE + " (got " + outSize + ")");
        }
        if (!(backgroundRatio >= 0 && backgroundRatio <= 1)) {
            p.add("backgroundRatio must be between 0 and 1 (got " + backgroundRatio + ")");
        }
        if (!(dedupThreshold >= 0 && dedupThreshold <= 1)) {
            p.add("dedupThreshold must be between 0 and 1 (got " + dedupThreshold + ")");
        }
        if (candidateFactor < 1 || candidateFactor > 1000) {
            p.add("candidateFactor must be between 1 and 1000 (got " + candidateFactor + ")");
        }
        return p;
    }

    /**
     * Checks the values; throws {@link IllegalArgumentException} whose message is one line naming
     * the first bad key (all problems are listed, separated by "; ").
     */
    public MixConfig validate() {
        List<String> p = problems();
        if (!p.isEmpty()) {
            throw new IllegalArgumentException("bad mix setting: " + String.join("; ", p));
        }
        return this;
    }

    /** Smallest even side in [minSize, maxSize]. */
    public int evenMin() {
        return (minSize + 1) / 2 * 2;
    }

    /** Largest even side in [minSize, maxSize]. */
    public int evenMax() {
        return maxSize / 2 * 2;
    }

    /** Background patches per image when the dataset has a background class: round(ratio·K), at least 1 if ratio > 0. */
    public int backgroundQuota() {
        if (backgroundRatio <= 0) {
            return 0;
        }
        return Math.min(patchesPerImage, Math.max(1, (int) Math.round(backgroundRatio * patchesPerImage)));
    }

    public MixConfig withImagesPerBatch(int v) {
        return new MixConfig(v, patchesPerImage, minSize, maxSize, outSize, backgroundRatio, dedupThreshold,
                candidateFactor, labelMode, rankByPurity, seed);
    }

    public MixConfig withPatchesPerImage(int v) {
        return new MixConfig(imagesPerBatch, v, minSize, maxSize, outSize, backgroundRatio, dedupThreshold,
                candidateFactor, labelMode, rankByPurity, seed);
    }

    public MixConfig withSizes(int min, int max) {
        return new MixConfig(imagesPerBatch, patchesPerImage, min, max, outSize, backgroundRatio, dedupThreshold,
                candidateFactor, labelMode, rankByPurity, seed);
    }

    public MixConfig withOutSize(int v) {
        return new MixConfig(imagesPerBatch, patchesPerImage, minSize, maxSize, v, backgroundRatio, dedupThreshold,
                candidateFactor, labelMode, rankByPurity, seed);
    }

    public MixConfig withBackgroundRatio(double v) {
        return new MixConfig(imagesPerBatch, patchesPerImage, minSize, maxSize, outSize, v, dedupThreshold,
                candidateFactor, labelMode, rankByPurity, seed);
    }

    public MixConfig withDedupThreshold(double v) {
        return new MixConfig(imagesPerBatch, patchesPerImage, minSize, maxSize, outSize, backgroundRatio, v,
                candidateFactor, labelMode, rankByPurity, seed);
    }

    public MixConfig withCandidateFactor(int v) {
        return new MixConfig(imagesPerBatch, patchesPerImage, minSize, maxSize, outSize, backgroundRatio,
                dedupThreshold, v, labelMode, rankByPurity, seed);
    }

    public MixConfig withLabelMode(LabelMode v) {
        return new MixConfig(imagesPerBatch, patchesPerImage, minSize, maxSize, outSize, backgroundRatio,
                dedupThreshold, candidateFactor, Objects.requireNonNull(v), rankByPurity, seed);
    }

    public MixConfig withRankByPurity(boolean v) {
        return new MixConfig(imagesPerBatch, patchesPerImage, minSize, maxSize, outSize, backgroundRatio,
                dedupThreshold, candidateFactor, labelMode, v, seed);
    }

    public MixConfig withSeed(long v) {
        return new MixConfig(imagesPerBatch, patchesPerImage, minSize, maxSize, outSize, backgroundRatio,
                dedupThreshold, candidateFactor, labelMode, rankByPurity, v);
    }
}
