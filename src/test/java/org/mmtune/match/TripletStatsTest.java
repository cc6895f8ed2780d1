package org.mmtune.match;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

class TripletStatsTest {

    @Test
    void lossAndViolationsByHand() {
        float[][] e = {
            {0, 0},  // 0 anchor
            {1, 0},  // 1: d²(0,1) = 1
            {0, 2},  // 2: d²(0,2) = 4
            {3, 0},  // 3: d²(0,3) = 9
        };
        int[][] t = {{0, 1, 2}, {0, 1, 3}, {0, 2, 1}};
        TripletStats s = TripletStats.compute(e, t, 2.1);
        assertThat(s.dPos()).containsExactly(1, 1, 4);
        assertThat(s.dNeg()).containsExactly(4, 9, 1);
        // ½·max(0, 2.1 + 1 − 4) = 0 ; ½·max(0, 2.1 + 1 − 9) = 0 ; ½·max(0, 2.1 + 4 − 1) = 2.55
        assertThat(s.losses()[0]).isZero();
        assertThat(s.losses()[1]).isZero();
        assertThat(s.losses()[2]).isCloseTo(2.55, offset(1e-12));
        assertThat(s.violations()).isEqualTo(1);
        assertThat(s.meanLoss()).isCloseTo(2.55 / 3, offset(1e-12));
        assertThat(s.violatedFraction()).isCloseTo(1 / 3.0, offset(1e-12));
        // at margin 3.5 the first triplet violates too (3.5 + 1 − 4 > 0)
        assertThat(s.violationsAt(3.5)).isEqualTo(2);
        assertThat(TripletStats.compute(e, t, 3.5).violations()).isEqualTo(2);
        assertThat(TripletStats.compute(new float[] {0, 0, 1, 0, 0, 2, 3, 0}, 2, t, 2.1).losses())
                .containsExactly(s.losses());
    }

    @Test
    void normalisationAndBadInput() {
        float[][] n = TripletStats.l2Normalize(new float[][] {{3, 4}, {0, 0}});
        assertThat(n[0][0]).isCloseTo(0.6f, offset(1e-6f));
        assertThat(n[0][1]).isCloseTo(0.8f, offset(1e-6f));
        assertThat(n[1]).containsExactly(0, 0);
        assertThat(TripletStats.compute(n, new int[0][], 1).meanLoss()).isZero();
        assertThatThrownBy(() -> TripletStats.compute(n, new int[0][], -1)).hasMessageContaining("margin");
        assertThatThrownBy(() -> TripletStats.rows(new float[5], 2)).hasMessageContaining("rows of 2");
    }
}
