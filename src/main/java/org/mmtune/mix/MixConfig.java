package org.mmtune.mix;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Every knob of the patch sampler ("mix"). {@link #defaults()} is the paper's AlexNet setting: 40
 * images per batch, 10 patches per image, side uniform in [64, 256] (even), patches resized to 128,
 * background ratio 0.1, candidates de-duplicated above 0.6 overlap (the reference's rule) from 5x as many
 * draws, label of the centre pixel, no ranking by purity, sides in pixels.
 *
 * @param imagesPerBatch  images drawn for one mixed batch
 * @param patchesPerImage patches kept per image
 * @param minSize         smallest patch side in pixels (sides are even)
 * @param maxSize         largest patch side in pixels
 * @param outSize         side of the resized crops
 * @param backgroundRatio share of each image's patches centred on the background class (only when
 *                        the dataset has one); at least one background patch per image then
 * @param dedupThreshold  a candidate is skipped when the part of it already covered by kept patches
 *                        exceeds this fraction of a reference area (see {@code dedupRule}; 1 disables
 *                        de-duplication under {@link DedupRule#OWN_AREA})
 * @param candidateFactor candidates drawn per wanted patch (5 in the paper)
 * @param labelMode       centre pixel's class or the window's majority class
 * @param rankByPurity    consider candidates in order of decreasing label purity
 * @param seed            seed of every random choice
 * @param dedupRule       which area the covered part is compared with (the group's first candidate's,
 *                        as the reference does, or the candidate's own)
 * @param sizeMode        sides in pixels ({@code minSize..maxSize}) or relative to each image's shorter
 *                        side ({@code minFraction..maxFraction})
 * @param minFraction     smallest side as a fraction of the shorter image side (relative mode)
 * @param maxFraction     largest side as a fraction of the shorter image side (relative mode)
 */
public record MixConfig(int imagesPerBatch, int patchesPerImage, int minSize, int maxSize, int outSize,
                        double backgroundRatio, double dedupThreshold, int candidateFactor,
                        LabelMode labelMode, boolean rankByPurity, long seed, DedupRule dedupRule,
                        SizeMode sizeMode, double minFraction, double maxFraction) {

    /** Largest accepted patch side or output size, to refuse absurd values before allocating. */
    public static final int MAX_SIDE = 4096;

    /**
     * Default relative sides: the reference's 64..256 px on its 512×512 training crops (AlexNet, PASCAL VOC),
     * as fractions of the crop side.
     */
    public static final double DEFAULT_MIN_FRACTION = 0.125;
    public static final double DEFAULT_MAX_FRACTION = 0.5;

    public MixConfig {
        labelMode = labelMode == null ? LabelMode.CENTER : labelMode;
        dedupRule = dedupRule == null ? DedupRule.REFERENCE : dedupRule;
        sizeMode = sizeMode == null ? SizeMode.ABSOLUTE : sizeMode;
    }

    /** Absolute sides and the reference's de-duplication rule, for the settings the paper names. */
    public MixConfig(int imagesPerBatch, int patchesPerImage, int minSize, int maxSize, int outSize,
                     double backgroundRatio, double dedupThreshold, int candidateFactor, LabelMode labelMode,
                     boolean rankByPurity, long seed) {
        this(imagesPerBatch, patchesPerImage, minSize, maxSize, outSize, backgroundRatio, dedupThreshold,
                candidateFactor, labelMode, rankByPurity, seed, DedupRule.REFERENCE, SizeMode.ABSOLUTE,
                DEFAULT_MIN_FRACTION, DEFAULT_MAX_FRACTION);
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
        if (!(minFraction > 0 && minFraction <= 1)) {
            p.add("minFraction must be in (0, 1] (got " + minFraction + ")");
        }
        if (!(maxFraction > 0 && maxFraction <= 1)) {
            p.add("maxFraction must be in (0, 1] (got " + maxFraction + ")");
        }
        if (minFraction > maxFraction) {
            p.add("minFraction (" + minFraction + ") is larger than maxFraction (" + maxFraction + ")");
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

    /**
     * Smallest even side for an image of {@code width × height}: {@link #evenMin()} in absolute mode;
     * in relative mode {@code minFraction} of the shorter side, rounded, then up to even (at least 2).
     */
    public int evenMin(int width, int height) {
        if (sizeMode == SizeMode.ABSOLUTE) {
            return evenMin();
        }
        int lo = Math.max(2, (int) Math.round(minFraction * Math.min(width, height)));
        return Math.min((lo + 1) / 2 * 2, evenMax(width, height));
    }

    /** Largest even side for an image of {@code width × height} (see {@link #evenMin(int, int)}). */
    public int evenMax(int width, int height) {
        if (sizeMode == SizeMode.ABSOLUTE) {
            return evenMax();
        }
        int hi = Math.max(2, (int) Math.round(maxFraction * Math.min(width, height)));
        return Math.min(MAX_SIDE, hi / 2 * 2);
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
                candidateFactor, labelMode, rankByPurity, seed, dedupRule, sizeMode, minFraction, maxFraction);
    }

    public MixConfig withPatchesPerImage(int v) {
        return new MixConfig(imagesPerBatch, v, minSize, maxSize, outSize, backgroundRatio, dedupThreshold,
                candidateFactor, labelMode, rankByPurity, seed, dedupRule, sizeMode, minFraction, maxFraction);
    }

    public MixConfig withSizes(int min, int max) {
        return new MixConfig(imagesPerBatch, patchesPerImage, min, max, outSize, backgroundRatio, dedupThreshold,
                candidateFactor, labelMode, rankByPurity, seed, dedupRule, sizeMode, minFraction, maxFraction);
    }

    public MixConfig withOutSize(int v) {
        return new MixConfig(imagesPerBatch, patchesPerImage, minSize, maxSize, v, backgroundRatio, dedupThreshold,
                candidateFactor, labelMode, rankByPurity, seed, dedupRule, sizeMode, minFraction, maxFraction);
    }

    public MixConfig withBackgroundRatio(double v) {
        return new MixConfig(imagesPerBatch, patchesPerImage, minSize, maxSize, outSize, v, dedupThreshold,
                candidateFactor, labelMode, rankByPurity, seed, dedupRule, sizeMode, minFraction, maxFraction);
    }

    public MixConfig withDedupThreshold(double v) {
        return new MixConfig(imagesPerBatch, patchesPerImage, minSize, maxSize, outSize, backgroundRatio, v,
                candidateFactor, labelMode, rankByPurity, seed, dedupRule, sizeMode, minFraction, maxFraction);
    }

    public MixConfig withCandidateFactor(int v) {
        return new MixConfig(imagesPerBatch, patchesPerImage, minSize, maxSize, outSize, backgroundRatio,
                dedupThreshold, v, labelMode, rankByPurity, seed, dedupRule, sizeMode, minFraction, maxFraction);
    }

    public MixConfig withLabelMode(LabelMode v) {
        return new MixConfig(imagesPerBatch, patchesPerImage, minSize, maxSize, outSize, backgroundRatio,
                dedupThreshold, candidateFactor, Objects.requireNonNull(v), rankByPurity, seed, dedupRule, sizeMode, minFraction, maxFraction);
    }

    public MixConfig withRankByPurity(boolean v) {
        return new MixConfig(imagesPerBatch, patchesPerImage, minSize, maxSize, outSize, backgroundRatio,
                dedupThreshold, candidateFactor, labelMode, v, seed, dedupRule, sizeMode, minFraction, maxFraction);
    }

    public MixConfig withSeed(long v) {
        return new MixConfig(imagesPerBatch, patchesPerImage, minSize, maxSize, outSize, backgroundRatio,
                dedupThreshold, candidateFactor, labelMode, rankByPurity, v, dedupRule, sizeMode, minFraction, maxFraction);
    }

    public MixConfig withDedupRule(DedupRule v) {
        return new MixConfig(imagesPerBatch, patchesPerImage, minSize, maxSize, outSize, backgroundRatio,
                dedupThreshold, candidateFactor, labelMode, rankByPurity, seed, Objects.requireNonNull(v), sizeMode,
                minFraction, maxFraction);
    }

    /** Absolute sides {@code min..max} pixels. */
    public MixConfig withAbsoluteSizes(int min, int max) {
        return new MixConfig(imagesPerBatch, patchesPerImage, min, max, outSize, backgroundRatio, dedupThreshold,
                candidateFactor, labelMode, rankByPurity, seed, dedupRule, SizeMode.ABSOLUTE, minFraction,
                maxFraction);
    }

    /** Sides from {@code min} to {@code max} times each image's shorter side. */
    public MixConfig withRelativeSizes(double min, double max) {
        return new MixConfig(imagesPerBatch, patchesPerImage, minSize, maxSize, outSize, backgroundRatio,
                dedupThreshold, candidateFactor, labelMode, rankByPurity, seed, dedupRule, SizeMode.RELATIVE, min,
                max);
    }

    public MixConfig withSizeMode(SizeMode v) {
        return new MixConfig(imagesPerBatch, patchesPerImage, minSize, maxSize, outSize, backgroundRatio,
                dedupThreshold, candidateFactor, labelMode, rankByPurity, seed, dedupRule, Objects.requireNonNull(v),
                minFraction, maxFraction);
    }
}
