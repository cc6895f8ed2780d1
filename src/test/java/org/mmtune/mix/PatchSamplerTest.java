package org.mmtune.mix;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mmtune.data.Sample;

class PatchSamplerTest {

    private static final int VOID = TestImages.VOID;

    /** Brute-force purity: share of in-image window pixels with the label. */
    private static double purity(Sample s, Patch p) {
        int n = 0;
        int hit = 0;
        for (int y = Math.max(0, p.y0()); y < Math.min(s.height(), p.y1()); y++) {
            for (int x = Math.max(0, p.x0()); x < Math.min(s.width(), p.x1()); x++) {
                n++;
                if (s.label(x, y) == p.label()) {
                    hit++;
                }
            }
        }
        return (double) hit / n;
    }

    @Test
    void centreIsForegroundAndGivesTheLabel() {
        // background 0 on the left half, classes 1..3 in stripes on the right, void on the top rows
        Sample s = TestImages.of("a", 300, 200, (x, y) -> y < 20 ? VOID : x < 150 ? 0 : 1 + (y / 30) % 3);
        PatchSampler sampler = new PatchSampler(MixConfig.defaults().withBackgroundRatio(0), 4, 0);
        for (int b = 0; b < 20; b++) {
            List<Patch> patches = sampler.sample(s, 3, b);
            assertThat(patches).hasSize(10);
            for (Patch p : patches) {
                int centre = s.label(p.cx(), p.cy());
                assertThat(centre).as("centre class").isBetween(1, 3);
                assertThat(p.label()).isEqualTo(centre);
                assertThat(p.size() % 2).isZero();
                assertThat(p.size()).isBetween(64, 256);
                assertThat(p.purity()).isCloseTo(purity(s, p), org.assertj.core.data.Offset.offset(1e-12));
                assertThat(p.imageIndex()).isEqualTo(3);
                assertThat(p.imageId()).isEqualTo("a");
            }
        }
    }

    @Test
    void centreIsUniformOverTheForeground() {
        // foreground = two equal-area regions far apart, the rest is void or background
        Sample s = TestImages.of("u", 400, 100, (x, y) -> x < 50 ? 1 : x >= 350 ? 2 : (x % 2 == 0 ? VOID : 0));
        PatchSampler sampler = new PatchSampler(MixConfig.defaults().withBackgroundRatio(0).withDedupThreshold(1)
                .withSizes(2, 2).withPatchesPerImage(50), 3, 0);
        int left = 0;
        int total = 0;
        for (int b = 0; b < 40; b++) {
            for (Patch p : sampler.sample(s, 0, b)) {
                assertThat(p.cx() < 50 || p.cx() >= 350).isTrue();
                left += p.cx() < 50 ? 1 : 0;
                total++;
            }
        }
        assertThat(total).isEqualTo(2000);
        // binomial(2000, 0.5): sd ~ 22; 5 sd bounds
        assertThat(left).isBetween(1000 - 112, 1000 + 112);
    }

    @Test
    void backgroundQuotaWhenTheDatasetHasABackgroundClass() {
        Sample s = TestImages.scene("q", 480, 360, 5, 7);
        PatchSampler withBg = new PatchSampler(MixConfig.defaults(), 5, 0);
        PatchSampler noBg = new PatchSampler(MixConfig.defaults(), 5, -1);
        PatchSampler threeBg = new PatchSampler(MixConfig.defaults().withBackgroundRatio(0.3), 5, 0);
        for (int b = 0; b < 10; b++) {
            List<Patch> p = withBg.sample(s, 0, b);
            assertThat(p).hasSize(10);
            assertThat(p.stream().filter(x -> x.label() == 0).count()).isEqualTo(1);
            assertThat(threeBg.sample(s, 0, b).stream().filter(x -> x.label() == 0).count()).isEqualTo(3);
            // no background class: class 0 is an ordinary class, no quota, centres never void
            for (Patch x : noBg.sample(s, 0, b)) {
                assertThat(s.label(x.cx(), x.cy())).isNotEqualTo(VOID);
            }
        }
        // without a background class, class 0 appears about as often as its pixel share (not forced)
        long zeros = 0;
        for (int b = 0; b < 50; b++) {
            zeros += noBg.sample(s, 0, b).stream().filter(x -> x.label() == 0).count();
        }
        assertThat(zeros).isGreaterThan(0);
    }

    @Test
    void imagesWithoutForegroundOrWithOnlyVoid() {
        Sample bgOnly = TestImages.of("bg", 100, 100, (x, y) -> (x + y) % 3 == 0 ? VOID : 0);
        Sample voidOnly = TestImages.of("void", 100, 100, (x, y) -> VOID);
        PatchSampler sampler = new PatchSampler(MixConfig.defaults(), 3, 0);
        List<Patch> p = sampler.sample(bgOnly, 0, 0);
        assertThat(p).hasSize(10).allMatch(x -> x.label() == 0);
        assertThat(sampler.sample(voidOnly, 0, 0)).isEmpty();
        assertThat(sampler.sample(new Sample("empty", 0, 0, new byte[0], new byte[0], VOID), 0, 0)).isEmpty();
        // background present but no background pixels: the quota goes to the foreground
        Sample fgOnly = TestImages.of("fg", 100, 100, (x, y) -> 1 + x / 50);
        assertThat(sampler.sample(fgOnly, 0, 0)).hasSize(10).allMatch(x -> x.label() > 0);
    }

    /** Area of p's in-image window covered by the earlier patches, by brute force on a mask. */
    private static long covered(List<Patch> kept, int upTo, Patch p, int w, int h) {
        boolean[] mask = new boolean[w * h];
        for (int i = 0; i < upTo; i++) {
            Patch k = kept.get(i);
            for (int y = Math.max(0, k.y0()); y < Math.min(h, k.y1()); y++) {
                for (int x = Math.max(0, k.x0()); x < Math.min(w, k.x1()); x++) {
                    mask[y * w + x] = true;
                }
            }
        }
        long c = 0;
        for (int y = Math.max(0, p.y0()); y < Math.min(h, p.y1()); y++) {
            for (int x = Math.max(0, p.x0()); x < Math.min(w, p.x1()); x++) {
                c += mask[y * w + x] ? 1 : 0;
            }
        }
        return c;
    }

    private static long area(Patch p, int w, int h) {
        return (long) (Math.min(w, p.x1()) - Math.max(0, p.x0())) * (Math.min(h, p.y1()) - Math.max(0, p.y0()));
    }

    @Test
    void referenceRuleComparesWithTheFirstCandidatesArea() {
        // create_patch.patchDeDup: skip when covered area > 0.6 x (first candidate's side)^2
        Sample s = TestImages.of("d", 640, 480, (x, y) -> 1 + (x / 40 + y / 40) % 4);
        for (double thr : new double[] {0.0, 0.3, 0.6}) {
            PatchSampler sampler = new PatchSampler(MixConfig.defaults().withDedupThreshold(thr)
                    .withSizes(64, 128), 5, -1);
            assertThat(sampler.config().dedupRule()).isEqualTo(DedupRule.REFERENCE);
            for (int b = 0; b < 20; b++) {
                List<Patch> kept = sampler.sample(s, 0, b);
                assertThat(kept).hasSize(10);
                // the first drawn candidate is always kept (nothing is covered yet), so it is kept.get(0)
                long first = (long) kept.get(0).size() * kept.get(0).size();
                int ok = 0;
                boolean toppingUp = false;
                for (int i = 0; i < kept.size(); i++) {
                    Patch p = kept.get(i);
                    boolean passes = covered(kept, i, p, 640, 480) <= thr * first;
                    if (passes) {
                        assertThat(toppingUp).as("a passing patch after a top-up").isFalse();
                        ok++;
                    } else {
                        toppingUp = true;
                    }
                }
                if (thr >= 0.3) {
                    assertThat(ok).as("threshold " + thr + " batch " + b).isEqualTo(10);
                }
            }
        }
    }

    @Test
    void referenceRuleKeepsSmallerPatchesThanTheOwnAreaRule() {
        // a small first candidate makes the reference's bar low, so large windows are skipped more often
        Sample s = TestImages.of("m", 480, 360, (x, y) -> 1 + (x / 60 + y / 60) % 5);
        PatchSampler ref = new PatchSampler(MixConfig.defaults(), 6, -1);
        PatchSampler own = new PatchSampler(MixConfig.defaults().withDedupRule(DedupRule.OWN_AREA), 6, -1);
        double sumRef = 0;
        double sumOwn = 0;
        int differing = 0;
        for (int b = 0; b < 60; b++) {
            List<Patch> a = ref.sample(s, 0, b);
            List<Patch> o = own.sample(s, 0, b);
            sumRef += a.stream().mapToInt(Patch::size).sum();
            sumOwn += o.stream().mapToInt(Patch::size).sum();
            differing += a.equals(o) ? 0 : 1;
            assertThat(a.get(0)).as("same first candidate").isEqualTo(o.get(0));
        }
        assertThat(differing).isPositive();
        assertThat(sumRef).isLessThan(sumOwn);
    }

    @Test
    void referenceRuleDeduplicatesForegroundAmongItself() {
        // background (0) below, two classes above; 3 background patches are wanted, taken as drawn, and
        // the 7 foreground ones are de-duplicated only against each other, against the first one's area
        Sample s = TestImages.of("b", 400, 400, (x, y) -> y < 200 ? 1 + x / 200 : 0);
        PatchSampler ref = new PatchSampler(MixConfig.defaults().withBackgroundRatio(0.3).withSizes(64, 128), 3, 0);
        for (int b = 0; b < 20; b++) {
            List<Patch> p = ref.sample(s, 0, b);
            assertThat(p).hasSize(10);
            assertThat(p.subList(0, 3)).allMatch(x -> x.label() == 0);
            List<Patch> fg = p.subList(3, 10);
            assertThat(fg).allMatch(x -> x.label() > 0);
            long first = (long) fg.get(0).size() * fg.get(0).size();
            boolean toppingUp = false;
            for (int i = 0; i < fg.size(); i++) {
                boolean passes = covered(fg, i, fg.get(i), 400, 400) <= 0.6 * first;
                if (passes) {
                    assertThat(toppingUp).as("a passing patch after a top-up, batch " + b).isFalse();
                } else {
                    toppingUp = true;
                }
            }
        }
    }

    @Test
    void ownAreaRuleSkipsCandidatesCoveredBeyondTheirOwnArea() {
        Sample s = TestImages.of("d", 640, 480, (x, y) -> 1 + (x / 40 + y / 40) % 4);
        for (double thr : new double[] {0.0, 0.3, 0.6}) {
            PatchSampler sampler = new PatchSampler(MixConfig.defaults().withDedupThreshold(thr)
                    .withDedupRule(DedupRule.OWN_AREA).withSizes(64, 128), 5, -1);
            for (int b = 0; b < 20; b++) {
                List<Patch> kept = sampler.sample(s, 0, b);
                assertThat(kept).hasSize(10);
                // kept patches pass the rule against all earlier ones; top-ups (rejected candidates
                // used when too few survive) come last and fail it
                int ok = 0;
                boolean toppingUp = false;
                for (int i = 0; i < kept.size(); i++) {
                    Patch p = kept.get(i);
                    boolean passes = covered(kept, i, p, 640, 480) <= thr * area(p, 640, 480);
                    if (passes) {
                        assertThat(toppingUp).as("a passing patch after a top-up").isFalse();
                        ok++;
                    } else {
                        toppingUp = true;
                    }
                }
                if (thr >= 0.3) {
                    assertThat(ok).as("threshold " + thr + " batch " + b).isEqualTo(10);
                }
            }
        }
    }

    @Test
    void deduplicationRejectsMoreThanWithoutIt() {
        // compare overlap of kept patches with dedup 0.6 against no dedup (threshold 1)
        Sample s = TestImages.of("o", 320, 240, (x, y) -> 1 + (x / 40) % 3);
        PatchSampler dedup = new PatchSampler(MixConfig.defaults().withSizes(64, 64), 4, -1);
        PatchSampler none = new PatchSampler(MixConfig.defaults().withSizes(64, 64).withDedupThreshold(1), 4, -1);
        long covDedup = 0;
        long covNone = 0;
        for (int b = 0; b < 30; b++) {
            List<Patch> a = dedup.sample(s, 0, b);
            List<Patch> n = none.sample(s, 0, b);
            for (int i = 0; i < 10; i++) {
                covDedup += covered(a, i, a.get(i), 320, 240);
                covNone += covered(n, i, n.get(i), 320, 240);
            }
        }
        assertThat(covDedup).isLessThan(covNone);
    }

    @Test
    void topsUpFromRejectedCandidatesWhenTooFewSurvive() {
        // a 64x64 image and 64-pixel patches: every window covers the whole image, so all but the
        // first candidate are duplicates; the quota is still filled from the rejected ones
        Sample s = TestImages.of("t", 64, 64, (x, y) -> 1 + (x + y) % 2);
        PatchSampler sampler = new PatchSampler(MixConfig.defaults().withSizes(64, 64), 3, -1);
        List<Patch> p = sampler.sample(s, 0, 0);
        assertThat(p).hasSize(10);
    }

    @Test
    void rankingByPurityOrdersCandidates() {
        Sample s = TestImages.scene("r", 480, 360, 6, 3);
        PatchSampler ranked = new PatchSampler(MixConfig.defaults().withRankByPurity(true).withDedupThreshold(1), 6, -1);
        PatchSampler plain = new PatchSampler(MixConfig.defaults(), 6, -1);
        double sumRanked = 0;
        double sumPlain = 0;
        for (int b = 0; b < 10; b++) {
            List<Patch> p = ranked.sample(s, 0, b);
            for (int i = 1; i < p.size(); i++) {
                assertThat(p.get(i).purity()).isLessThanOrEqualTo(p.get(i - 1).purity());
            }
            sumRanked += p.stream().mapToDouble(Patch::purity).sum();
            sumPlain += plain.sample(s, 0, b).stream().mapToDouble(Patch::purity).sum();
        }
        assertThat(sumRanked).isGreaterThan(sumPlain);
    }

    @Test
    void majorityLabelMode() {
        // a thin vertical line of class 1 in class 2: windows centred on it are mostly class 2
        Sample s = TestImages.of("m", 300, 100, (x, y) -> x >= 145 && x < 155 ? 1 : 2);
        PatchSampler sampler = new PatchSampler(MixConfig.defaults().withLabelMode(LabelMode.MAJORITY)
                .withSizes(64, 200), 3, -1);
        List<Patch> all = new ArrayList<>();
        for (int b = 0; b < 30; b++) {
            all.addAll(sampler.sample(s, 0, b));
        }
        for (Patch p : all) {
            assertThat(p.purity()).isGreaterThanOrEqualTo(0.5);
            assertThat(p.purity()).isCloseTo(purity(s, p), org.assertj.core.data.Offset.offset(1e-12));
        }
        assertThat(all).anyMatch(p -> s.label(p.cx(), p.cy()) == 1);
        assertThat(all).allMatch(p -> p.label() == 2);
    }

    @Test
    void sameSeedSamePatchesAndChosenImages() {
        Sample s = TestImages.scene("s", 480, 360, 5, 11);
        PatchSampler a = new PatchSampler(MixConfig.defaults().withSeed(42), 5, 0);
        PatchSampler b = new PatchSampler(MixConfig.defaults().withSeed(42), 5, 0);
        PatchSampler c = new PatchSampler(MixConfig.defaults().withSeed(43), 5, 0);
        assertThat(a.sample(s, 5, 2)).isEqualTo(b.sample(s, 5, 2));
        assertThat(a.sample(s, 5, 2)).isNotEqualTo(c.sample(s, 5, 2));
        assertThat(a.sample(s, 5, 2)).isNotEqualTo(a.sample(s, 5, 3));
        assertThat(a.chooseImages(367, 4)).containsExactly(b.chooseImages(367, 4)).hasSize(40)
                .doesNotHaveDuplicates().isSorted();
        assertThat(a.chooseImages(10, 0)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    }

    @Test
    void wordWiseCountMatchesAPlainLoop() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        byte[] a = new byte[1000];
        for (int i = 0; i < a.length; i++) {
            a[i] = (byte) (r.nextInt(4) == 0 ? 255 : r.nextInt(3) * 127);
        }
        for (int t = 0; t < 500; t++) {
            int from = r.nextInt(a.length);
            int len = r.nextInt(a.length - from + 1);
            int value = new int[] {0, 127, 254, 255, 1}[t % 5];
            int expected = 0;
            for (int i = from; i < from + len; i++) {
                expected += (a[i] & 0xFF) == value ? 1 : 0;
            }
            assertThat(PatchSampler.countEqual(a, from, len, value)).isEqualTo(expected);
        }
    }
}
