package org.mmtune.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Zhang et al.'s class-rebalancing weights against hand computations. */
class RebalanceWeightsTest {

    @Test
    void withoutSmoothingTheWeightsFollowTheFormula() {
        // grid 64: 4x4 = 16 bins. Bin 0 three times, bin 5 once, one ignored value (16).
        List<int[]> t = List.of(new int[] {0, 0, 16}, new int[] {0, 5});
        float[] w = ColorTargets.rebalanceWeights(t, 64, 0.5, 0);
        // p = (0.75, 0.25), Q = 2: 1/(0.5*0.75 + 0.25) = 1.6, 1/(0.5*0.25 + 0.25) = 8/3,
        // E = 0.75*1.6 + 0.25*8/3 = 28/15, so w = (1.6*15/28, (8/3)*15/28) = (6/7, 10/7)
        assertThat(w).hasSize(16);
        assertThat((double) w[0]).isCloseTo(6 / 7.0, within(1e-6));
        assertThat((double) w[5]).isCloseTo(10 / 7.0, within(1e-6));
        // an unseen bin has p = 0: weight 1/(λ/Q) / E = 4 * 15/28
        assertThat((double) w[3]).isCloseTo(60 / 28.0, within(1e-6));
        // expected weight under p is 1
        assertThat(0.75 * w[0] + 0.25 * w[5]).isCloseTo(1.0, within(1e-6));
    }

    @Test
    void smoothingSpreadsTheDistributionOverNeighbouringBins() {
        // grid 128: 2x2 bins (a-index = bin / 2, b-index = bin % 2), centres 128 units apart; sigma 128.
        // Only bin 0 occurs: p = (1, 0, 0, 0), Q = 1.
        float[] w = ColorTargets.rebalanceWeights(List.of(new int[] {0, 0}), 128, 0.5, 128);
        double e1 = Math.exp(-0.5);   // one bin apart: d² = 128², 2σ² = 2·128²
        double e2 = Math.exp(-1.0);   // diagonal: d² = 2·128²
        double z = 1 + 2 * e1 + e2;
        double[] p = {1 / z, e1 / z, e1 / z, e2 / z};
        double[] raw = new double[4];
        double expected = 0;
        for (int i = 0; i < 4; i++) {
            raw[i] = 1 / (0.5 * p[i] + 0.5 / 1);
            expected += p[i] * raw[i];
        }
        for (int i = 0; i < 4; i++) {
            assertThat((double) w[i]).as("bin " + i).isCloseTo(raw[i] / expected, within(1e-6));
        }
        assertThat(w[0]).isLessThan(w[1]);
        assertThat(w[1]).isEqualTo(w[2]);
        assertThat(w[2]).isLessThan(w[3]);
    }

    @Test
    void noTargetsGiveUnitWeights() {
        assertThat(ColorTargets.rebalanceWeights(List.of(new int[] {256}), 16, 0.5, 5)).containsOnly(1f);
    }
}
