package org.mmtune.match;

import org.mmtune.mix.DedupRule;
import org.mmtune.mix.LabelMode;
import org.mmtune.mix.MixConfig;
import org.mmtune.mix.Patch;
import org.mmtune.mix.PatchSampler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mmtune.data.Sample;

/**
 * Checks that sampled patches follow the algorithm's definition on real data, by recomputing every
 * figure independently from the label maps:
 * <ul>
 *   <li>no centre on void, none on the background class outside the quota, exact background quota;</li>
 *   <li>every side even and within [min, max]; mean side against the uniform distribution's mean;</li>
 *   <li>label = centre pixel's class (centre mode) and purity recomputed pixel by pixel;</li>
 *   <li>class shares of the patches against their expectation when centres are uniform over each
 *       image's foreground pixels (measured with de-duplication off, where the expectation is exact);</li>
 *   <li>how many kept patches are top-ups that break the overlap rule;</li>
 *   <li>per batch of images, one positive component per class and one triplet per node.</li>
 * </ul>
 */
public final class MixCheck {

    private MixCheck() {
    }

    /** The figures; {@link #passed()} says whether every rule held. */
    public record Result(int images, int patches, int voidCentres, int backgroundOutsideQuota, int quotaMisses,
                         int badSizes, double meanSize, double expectedMeanSize, int labelMismatches,
                         int purityMismatches, int dedupTopUps, double[] observedShare, double[] expectedShare,
                         double totalVariation, int plainPatches, int batches, int disconnectedClasses,
                         int nodesWithoutTriplet) {

        /**
         * Largest total variation distance accepted between observed and expected class shares:
         * about twice what multinomial sampling noise gives for this many patches, plus 0.01.
         */
        public double tvLimit() {
            return Math.sqrt(observedShare.length / (double) Math.max(1, plainPatches)) + 0.01;
        }

        /** True when every hard rule holds and the class shares are within {@link #tvLimit()}. */
        public boolean passed() {
            return voidCentres == 0 && backgroundOutsideQuota == 0 && quotaMisses == 0 && badSizes == 0
                    && labelMismatches == 0 && purityMismatches == 0 && disconnectedClasses == 0
                    && nodesWithoutTriplet == 0 && totalVariation <= tvLimit();
        }

        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("images", images);
            m.put("patches", patches);
            m.put("voidCentres", voidCentres);
            m.put("backgroundOutsideQuota", backgroundOutsideQuota);
            m.put("quotaMisses", quotaMisses);
            m.put("badSizes", badSizes);
            m.put("meanSize", meanSize);
            m.put("expectedMeanSize", expectedMeanSize);
            m.put("labelMismatches", labelMismatches);
            m.put("purityMismatches", purityMismatches);
            m.put("dedupTopUps", dedupTopUps);
            m.put("observedShare", observedShare);
            m.put("expectedShare", expectedShare);
            m.put("totalVariation", totalVariation);
            m.put("totalVariationLimit", tvLimit());
            m.put("passed", passed());
            m.put("plainPatches", plainPatches);
            m.put("batches", batches);
            m.put("disconnectedClasses", disconnectedClasses);
            m.put("nodesWithoutTriplet", nodesWithoutTriplet);
            return m;
        }
    }

    /**
     * @param sampler the sampler under test (its settings as configured)
     * @param samples decoded images
     * @param rounds  batches sampled per image for the class-share comparison
     */
    public static Result run(PatchSampler sampler, List<Sample> samples, int rounds) {
        MixConfig cfg = sampler.config();
        int nc = sampler.numClasses();
        int bg = sampler.backgroundIndex();
        int voidCentres = 0;
        int bgOutside = 0;
        int quotaMisses = 0;
        int badSizes = 0;
        int labelMismatch = 0;
        int purityMismatch = 0;
        int topUps = 0;
        double sizeSum = 0;
        double expectedSum = 0;
        List<Patch> all = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            List<Patch> ps = sampler.sample(s, i, 0);
            all.addAll(ps);
            int bgCount = 0;
            boolean hasBgPixel = false;
            boolean hasFg = false;
            for (byte b : s.labels()) {
                int v = b & 0xFF;
                hasBgPixel |= v == bg;
                hasFg |= v != bg && v < nc && v != s.ignoreIndex();
            }
            int lo = cfg.evenMin(s.width(), s.height());
            int hi = cfg.evenMax(s.width(), s.height());
            expectedSum += ps.size() * (lo + hi) / 2.0;
            boolean reference = cfg.dedupRule() == DedupRule.REFERENCE;
            List<Patch> group = new ArrayList<>(); // reference rule: the foreground patches, de-duplicated among themselves
            for (int k = 0; k < ps.size(); k++) {
                Patch p = ps.get(k);
                int c = s.label(p.cx(), p.cy());
                if (c == s.ignoreIndex() || c >= nc) {
                    voidCentres++;
                }
                if (c == bg) {
                    bgCount++;
                }
                if (p.size() % 2 != 0 || p.size() < lo || p.size() > hi) {
                    badSizes++;
                }
                sizeSum += p.size();
                if (cfg.labelMode() == LabelMode.CENTER && p.label() != c) {
                    labelMismatch++;
                }
                if (Math.abs(purity(s, p) - p.purity()) > 1e-9) {
                    purityMismatch++;
                }
                if (reference) {
                    if (c != bg) {
                        int firstSide = (group.isEmpty() ? p : group.get(0)).size();
                        long first = (long) firstSide * firstSide;
                        if (covered(group, group.size(), p, s.width(), s.height()) > cfg.dedupThreshold() * first) {
                            topUps++;
                        }
                        group.add(p);
                    }
                } else if (covered(ps, k, p, s.width(), s.height()) > cfg.dedupThreshold() * area(p, s.width(), s.height())) {
                    topUps++;
                }
            }
            int quota = bg >= 0 && hasBgPixel ? (hasFg ? cfg.backgroundQuota() : ps.size()) : 0;
            if (bgCount > quota) {
                bgOutside += bgCount - quota;
            } else if (bgCount < quota) {
                quotaMisses += quota - bgCount;
            }
        }
        // class shares with de-duplication off: the expectation is exact there
        PatchSampler plain = new PatchSampler(cfg.withDedupThreshold(1).withDedupRule(DedupRule.OWN_AREA).withRankByPurity(false)
                .withLabelMode(LabelMode.CENTER).withBackgroundRatio(0), nc, -1);
        double[] expected = new double[nc];
        double[] observed = new double[nc];
        int plainPatches = 0;
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            long[] counts = new long[nc];
            long fg = 0;
            for (byte b : s.labels()) {
                int v = b & 0xFF;
                if (v < nc && v != s.ignoreIndex()) {
                    counts[v]++;
                    fg++;
                }
            }
            if (fg == 0) {
                continue;
            }
            for (int r = 0; r < rounds; r++) {
                for (Patch p : plain.sample(s, i, 1000 + r)) {
                    observed[p.label()]++;
                    plainPatches++;
                    for (int c = 0; c < nc; c++) {
                        expected[c] += (double) counts[c] / fg;
                    }
                }
            }
        }
        double tv = 0;
        for (int c = 0; c < nc; c++) {
            observed[c] = plainPatches == 0 ? 0 : observed[c] / plainPatches;
            expected[c] = plainPatches == 0 ? 0 : expected[c] / plainPatches;
            tv += Math.abs(observed[c] - expected[c]) / 2;
        }
        // graphs per batch of consecutive images
        int per = cfg.imagesPerBatch();
        int disconnected = 0;
        int noTriplet = 0;
        int batches = 0;
        for (int start = 0; start < samples.size(); start += per) {
            final int lo = start;
            final int hi = Math.min(samples.size(), start + per);
            int[] labels = all.stream().filter(p -> p.imageIndex() >= lo && p.imageIndex() < hi)
                    .mapToInt(Patch::label).toArray();
            MatchGraph g = GraphBuilder.classwise(labels, batches);
            batches++;
            for (int comps : g.componentsPerClass().values()) {
                disconnected += comps - 1;
            }
            noTriplet += labels.length - g.triplets().length;
        }
        double expectedMean = all.isEmpty() ? (cfg.evenMin() + cfg.evenMax()) / 2.0 : expectedSum / all.size();
        return new Result(samples.size(), all.size(), voidCentres, bgOutside, quotaMisses, badSizes,
                all.isEmpty() ? 0 : sizeSum / all.size(), expectedMean, labelMismatch, purityMismatch, topUps,
                observed, expected, tv, plainPatches, batches, disconnected, noTriplet);
    }

    private static double purity(Sample s, Patch p) {
        long n = 0;
        long hit = 0;
        for (int y = Math.max(0, p.y0()); y < Math.min(s.height(), p.y1()); y++) {
            for (int x = Math.max(0, p.x0()); x < Math.min(s.width(), p.x1()); x++) {
                n++;
                if (s.label(x, y) == p.label()) {
                    hit++;
                }
            }
        }
        return n == 0 ? 0 : (double) hit / n;
    }

    private static long area(Patch p, int w, int h) {
        return (long) (Math.min(w, p.x1()) - Math.max(0, p.x0())) * (Math.min(h, p.y1()) - Math.max(0, p.y0()));
    }

    /** Pixels of p's in-image window covered by patches 0..upTo-1, on a mask. */
    private static long covered(List<Patch> ps, int upTo, Patch p, int w, int h) {
        if (upTo == 0) {
            return 0;
        }
        int x0 = Math.max(0, p.x0());
        int y0 = Math.max(0, p.y0());
        int x1 = Math.min(w, p.x1());
        int y1 = Math.min(h, p.y1());
        int ww = x1 - x0;
        boolean[] mask = new boolean[ww * (y1 - y0)];
        for (int i = 0; i < upTo; i++) {
            Patch k = ps.get(i);
            int kx0 = Math.max(x0, k.x0());
            int kx1 = Math.min(x1, k.x1());
            if (kx0 >= kx1) {
                continue;
            }
            for (int y = Math.max(y0, k.y0()); y < Math.min(y1, k.y1()); y++) {
                Arrays.fill(mask, (y - y0) * ww + kx0 - x0, (y - y0) * ww + kx1 - x0, true);
            }
        }
        long c = 0;
        for (boolean b : mask) {
            c += b ? 1 : 0;
        }
        return c;
    }
}
