package org.mmtune.mix;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.mmtune.data.Sample;
import org.mmtune.data.SegmentationDataset;

/**
 * Samples square patches from labelled images, following the M&amp;M reference sampler:
 * <ol>
 *   <li>the centre pixel is drawn uniformly from the image's foreground pixels (not background,
 *       not void); when the dataset has a background class, {@link MixConfig#backgroundQuota()}
 *       patches per image are centred on background pixels instead;</li>
 *   <li>the side is uniform among the even values in [minSize, maxSize] (or, in relative mode, in
 *       [minFraction, maxFraction] times the image's shorter side);</li>
 *   <li>{@code candidateFactor} times as many candidates as wanted are drawn; under the reference's
 *       rule ({@link DedupRule#REFERENCE}) a foreground candidate is skipped when the part of its
 *       in-image window already covered by kept foreground patches exceeds {@code dedupThreshold}
 *       times the area of the first drawn foreground candidate, and background candidates are taken
 *       in order; under {@link DedupRule#OWN_AREA} any candidate is skipped when the part covered by
 *       any kept patch exceeds {@code dedupThreshold} of its own in-image area. When too few
 *       survive, skipped ones top up the quota in draw order; optionally candidates are considered
 *       by decreasing label purity;</li>
 *   <li>the label is the centre pixel's class (or the window's majority class); the purity is the
 *       share of the window's in-image pixels having that label.</li>
 * </ol>
 * Every random choice comes from a generator seeded by (seed, batch, image index), so results are
 * identical whatever the number of threads. Instances are immutable and thread-safe.
 */
public final class PatchSampler {

    /** Random draws tried before falling back to an exact list of the wanted pixels. */
    private static final int REJECTION_TRIES = 64;

    private final MixConfig config;
    private final int numClasses;
    private final int backgroundIndex;

    /**
     * @param config          the knobs (validated here)
     * @param numClasses      classes of the dataset; label values outside [0, numClasses) are void
     * @param backgroundIndex background class, or -1 when the dataset has none
     */
    public PatchSampler(MixConfig config, int numClasses, int backgroundIndex) {
        this.config = Objects.requireNonNull(config).validate();
        if (numClasses < 1 || numClasses > 256) {
            throw new IllegalArgumentException("numClasses must be in 1..256 (got " + numClasses + ")");
        }
        if (backgroundIndex >= numClasses) {
            throw new IllegalArgumentException("backgroundIndex " + backgroundIndex + " is not a class (0.."
                    + (numClasses - 1) + ")");
        }
        this.numClasses = numClasses;
        this.backgroundIndex = backgroundIndex < 0 ? -1 : backgroundIndex;
    }

    public static PatchSampler forDataset(MixConfig config, SegmentationDataset dataset) {
        return new PatchSampler(config, dataset.numClasses(), dataset.backgroundIndex());
    }

    public MixConfig config() {
        return config;
    }

    public int numClasses() {
        return numClasses;
    }

    public int backgroundIndex() {
        return backgroundIndex;
    }

    /**
     * Which images make up batch {@code batch} out of {@code n}: {@code imagesPerBatch} distinct
     * indices drawn with the seed (all {@code n}, shuffled, when n is smaller), sorted ascending.
     */
    public int[] chooseImages(int n, long batch) {
        SplittableRandom rng = new SplittableRandom(Seeds.batchSeed(config.seed(), batch, 0));
        int k = Math.min(n, config.imagesPerBatch());
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        for (int i = 0; i < k; i++) { // partial Fisher-Yates
            int j = i + rng.nextInt(n - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        int[] out = Arrays.copyOf(idx, k);
        Arrays.sort(out);
        return out;
    }

    /** A candidate window before selection. */
    private static final class Candidate {
        final int cx;
        final int cy;
        final int size;
        final int order;
        int label;
        double purity = Double.NaN;

        Candidate(int cx, int cy, int size, int label, int order) {
            this.cx = cx;
            this.cy = cy;
            this.size = size;
            this.label = label;
            this.order = order;
        }
    }

    /**
     * Samples the patches of one image.
     *
     * @param sample     the decoded image and labels
     * @param imageIndex the image's index (recorded in the patches and part of the seed)
     * @param batch      the batch number (part of the seed)
     * @return up to {@code patchesPerImage} patches (none when the image has only void pixels)
     */
    public List<Patch> sample(Sample sample, int imageIndex, long batch) {
        SplittableRandom rng = new SplittableRandom(Seeds.imageSeed(config.seed(), batch, imageIndex));
        int w = sample.width();
        int h = sample.height();
        byte[] labels = sample.labels();
        int ignore = sample.ignoreIndex();
        int k = config.patchesPerImage();
        int factor = config.candidateFactor();
        int sideLo = config.evenMin(w, h) / 2;
        int sideHi = config.evenMax(w, h) / 2;

        PixelPicker fg = new PixelPicker(labels, ignore, false);
        PixelPicker bg = backgroundIndex >= 0 ? new PixelPicker(labels, ignore, true) : null;

        int nBg = bg == null ? 0 : config.backgroundQuota();
        // Draw the background candidates first, then the foreground ones.
        List<Candidate> bgCands = new ArrayList<>(nBg * factor);
        int order = 0;
        for (int i = 0; i < nBg * factor; i++) {
            int p = bg.pick(rng);
            if (p < 0) {
                break; // no background in this image: its quota goes to the foreground
            }
            bgCands.add(new Candidate(p % w, p / w, drawSide(rng, sideLo, sideHi), labels[p] & 0xFF, order++));
        }
        int keptBg = Math.min(nBg, bgCands.size());
        int nFg = k - keptBg;
        List<Candidate> fgCands = new ArrayList<>(nFg * factor);
        for (int i = 0; i < nFg * factor; i++) {
            int p = fg.pick(rng);
            if (p < 0) {
                break;
            }
            fgCands.add(new Candidate(p % w, p / w, drawSide(rng, sideLo, sideHi), labels[p] & 0xFF, order++));
        }
        if (fgCands.isEmpty() && bg != null && nFg > 0) {
            // An image with no foreground: all its patches come from the background.
            for (int i = 0; i < nFg * factor; i++) {
                int p = bg.pick(rng);
                if (p < 0) {
                    break;
                }
                fgCands.add(new Candidate(p % w, p / w, drawSide(rng, sideLo, sideHi), labels[p] & 0xFF, order++));
            }
        }

        // labels and purities only steer the selection when ranking by purity; otherwise only kept patches need them
        boolean needPurityFirst = config.rankByPurity();
        int[] hist = new int[256];
        if (needPurityFirst) {
            for (Candidate c : bgCands) {
                label(c, sample, hist);
            }
            for (Candidate c : fgCands) {
                label(c, sample, hist);
            }
        }

        List<Candidate> kept = new ArrayList<>(k);
        if (config.dedupRule() == DedupRule.REFERENCE) {
            // the reference keeps its first background candidates as drawn and de-duplicates the
            // foreground ones among themselves
            select(bgCands, keptBg, kept, w, h, false);
            List<Candidate> fgKept = new ArrayList<>(k);
            select(fgCands, k - kept.size(), fgKept, w, h, true);
            kept.addAll(fgKept);
        } else {
            select(bgCands, keptBg, kept, w, h, true);
            select(fgCands, k - kept.size(), kept, w, h, true);
        }

        List<Patch> out = new ArrayList<>(kept.size());
        for (Candidate c : kept) {
            if (Double.isNaN(c.purity)) {
                label(c, sample, hist);
            }
            out.add(new Patch(imageIndex, sample.id(), c.cx, c.cy, c.size, c.label, c.purity));
        }
        return out;
    }

    /** An even side, uniform in [2·lo, 2·hi]. */
    private static int drawSide(SplittableRandom rng, int lo, int hi) {
        return 2 * (lo + rng.nextInt(hi - lo + 1));
    }

    /**
     * Keeps up to {@code quota} candidates of a group, de-duplicated against {@code kept} (when
     * {@code dedup}), topping up from the skipped ones.
     */
    private void select(List<Candidate> cands, int quota, List<Candidate> kept, int w, int h, boolean dedup) {
        if (quota <= 0 || cands.isEmpty()) {
            return;
        }
        List<Candidate> ordered = cands;
        if (config.rankByPurity()) {
            ordered = new ArrayList<>(cands);
            ordered.sort((a, b) -> a.purity != b.purity ? Double.compare(b.purity, a.purity)
                    : Integer.compare(a.order, b.order));
        }
        double thr = config.dedupThreshold();
        boolean reference = config.dedupRule() == DedupRule.REFERENCE;
        // the reference compares with the first drawn candidate's full area, whatever the order of consideration
        long firstArea = (long) cands.get(0).size * cands.get(0).size;
        List<Candidate> skipped = new ArrayList<>();
        int got = 0;
        for (Candidate c : ordered) {
            if (got == quota) {
                break;
            }
            long area = reference ? firstArea : inImageArea(c, w, h);
            if (dedup && coveredArea(c, kept, w, h) > thr * area) {
                skipped.add(c);
            } else {
                kept.add(c);
                got++;
            }
        }
        for (int i = 0; i < skipped.size() && got < quota; i++) {
            kept.add(skipped.get(i));
            got++;
        }
    }

    static long inImageArea(Candidate c, int w, int h) {
        int x0 = Math.max(0, c.cx - c.size / 2);
        int y0 = Math.max(0, c.cy - c.size / 2);
        int x1 = Math.min(w, c.cx - c.size / 2 + c.size);
        int y1 = Math.min(h, c.cy - c.size / 2 + c.size);
        return (long) Math.max(0, x1 - x0) * Math.max(0, y1 - y0);
    }

    /** Area of the candidate's in-image window covered by the union of the kept windows (exact). */
    private static long coveredArea(Candidate c, List<Candidate> kept, int w, int h) {
        if (kept.isEmpty()) {
            return 0;
        }
        int cx0 = Math.max(0, c.cx - c.size / 2);
        int cy0 = Math.max(0, c.cy - c.size / 2);
        int cx1 = Math.min(w, c.cx - c.size / 2 + c.size);
        int cy1 = Math.min(h, c.cy - c.size / 2 + c.size);
        int n = kept.size();
        int[] rx0 = new int[n];
        int[] ry0 = new int[n];
        int[] rx1 = new int[n];
        int[] ry1 = new int[n];
        int m = 0;
        for (Candidate k : kept) {
            int x0 = Math.max(cx0, k.cx - k.size / 2);
            int y0 = Math.max(cy0, k.cy - k.size / 2);
            int x1 = Math.min(cx1, k.cx - k.size / 2 + k.size);
            int y1 = Math.min(cy1, k.cy - k.size / 2 + k.size);
            if (x0 < x1 && y0 < y1) {
                rx0[m] = x0;
                ry0[m] = y0;
                rx1[m] = x1;
                ry1[m] = y1;
                m++;
            }
        }
        if (m == 0) {
            return 0;
        }
        if (m == 1) {
            return (long) (rx1[0] - rx0[0]) * (ry1[0] - ry0[0]);
        }
        // Coordinate compression over the clipped rectangles.
        int[] xs = new int[2 * m];
        int[] ys = new int[2 * m];
        for (int i = 0; i < m; i++) {
            xs[2 * i] = rx0[i];
            xs[2 * i + 1] = rx1[i];
            ys[2 * i] = ry0[i];
            ys[2 * i + 1] = ry1[i];
        }
        Arrays.sort(xs);
        Arrays.sort(ys);
        long total = 0;
        for (int xi = 0; xi + 1 < xs.length; xi++) {
            int xa = xs[xi];
            int xb = xs[xi + 1];
            if (xa == xb) {
                continue;
            }
            for (int yi = 0; yi + 1 < ys.length; yi++) {
                int ya = ys[yi];
                int yb = ys[yi + 1];
                if (ya == yb) {
                    continue;
                }
                for (int r = 0; r < m; r++) {
                    if (rx0[r] <= xa && xb <= rx1[r] && ry0[r] <= ya && yb <= ry1[r]) {
                        total += (long) (xb - xa) * (yb - ya);
                        break;
                    }
                }
            }
        }
        return total;
    }

    /** Sets the candidate's label (majority mode) and purity from the window's label histogram. */
    private void label(Candidate c, Sample s, int[] hist) {
        int w = s.width();
        int x0 = Math.max(0, c.cx - c.size / 2);
        int y0 = Math.max(0, c.cy - c.size / 2);
        int x1 = Math.min(w, c.cx - c.size / 2 + c.size);
        int y1 = Math.min(s.height(), c.cy - c.size / 2 + c.size);
        byte[] labels = s.labels();
        long area = (long) (x1 - x0) * (y1 - y0);
        if (config.labelMode() == LabelMode.MAJORITY) {
            Arrays.fill(hist, 0);
            for (int y = y0; y < y1; y++) {
                int row = y * w;
                for (int i = row + x0, e = row + x1; i < e; i++) {
                    hist[labels[i] & 0xFF]++;
                }
            }
            int best = c.label;
            int bestCount = best < numClasses ? hist[best] : -1;
            for (int cls = 0; cls < numClasses; cls++) {
                if (cls != s.ignoreIndex() && hist[cls] > bestCount) {
                    best = cls;
                    bestCount = hist[cls];
                }
            }
            c.label = best;
            c.purity = area == 0 ? 0 : (double) hist[best] / area;
        } else {
            long count = 0;
            for (int y = y0; y < y1; y++) {
                count += countEqual(labels, y * w + x0, x1 - x0, c.label);
            }
            c.purity = area == 0 ? 0 : (double) count / area;
        }
    }

    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;
    private static final long ONES = 0x0101010101010101L;

    /**
     * Number of bytes equal to {@code value} in {@code a[from, from+len)}, eight at a time (SWAR: a
     * byte of {@code x = word ^ pattern} is zero exactly where its top bit survives the mask below).
     */
    static int countEqual(byte[] a, int from, int len, int value) {
        long pattern = (value & 0xFFL) * ONES;
        int count = 0;
        int i = from;
        int end = from + len;
        for (; i + 8 <= end; i += 8) {
            long x = (long) LONGS.get(a, i) ^ pattern;
            long t = ~(((x & LOW7) + LOW7) | x | LOW7);
            count += Long.bitCount(t);
        }
        byte b = (byte) value;
        for (; i < end; i++) {
            if (a[i] == b) {
                count++;
            }
        }
        return count;
    }

    /**
     * Draws a pixel uniformly among the foreground (or background) pixels: by rejection first, and
     * from an exact list of the wanted pixels when rejection keeps failing (rare: images that are
     * mostly void or background). Both paths are uniform, so their mixture is too.
     */
    private final class PixelPicker {
        private final byte[] labels;
        private final int ignore;
        private final boolean background;
        private int[] list;

        PixelPicker(byte[] labels, int ignore, boolean background) {
            this.labels = labels;
            this.ignore = ignore;
            this.background = background;
        }

        boolean wanted(int v) {
            if (background) {
                return v == backgroundIndex;
            }
            return v != ignore && v != backgroundIndex && v < numClasses;
        }

        /** A pixel index, or -1 when the image has no wanted pixel. */
        int pick(SplittableRandom rng) {
            if (labels.length == 0) {
                return -1;
            }
            if (list == null) {
                for (int t = 0; t < REJECTION_TRIES; t++) {
                    int p = rng.nextInt(labels.length);
                    if (wanted(labels[p] & 0xFF)) {
                        return p;
                    }
                }
                int[] l = new int[64];
                int n = 0;
                for (int i = 0; i < labels.length; i++) {
                    if (wanted(labels[i] & 0xFF)) {
                        if (n == l.length) {
                            l = Arrays.copyOf(l, n * 2);
                        }
                        l[n++] = i;
                    }
                }
                list = Arrays.copyOf(l, n);
            }
            return list.length == 0 ? -1 : list[rng.nextInt(list.length)];
        }
    }
}
