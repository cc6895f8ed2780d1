package org.mmtune.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mmtune.ui.match.Embeddings;

class Pca2dTest {

    /** Points spread mostly along (3, -4)/5, a little along (4, 3)/5, in 2-D plus a constant third value. */
    private static float[][] cloud(long seed) {
        Random r = new Random(seed);
        float[][] x = new float[200][];
        for (int i = 0; i < x.length; i++) {
            double a = r.nextGaussian() * 5;
            double b = r.nextGaussian();
            x[i] = new float[] {(float) (1 + (3 * a + 4 * b) / 5), (float) (2 + (-4 * a + 3 * b) / 5), 7f};
        }
        return x;
    }

    @Test
    void projectsOnThePrincipalAxesWithAFixedSign() {
        float[][] x = cloud(1);
        double[][] p = Pca2d.project(x);
        // the first axis is ±(3, -4, 0)/5; the sign rule makes its largest loading (-4/5) positive: (-3, 4, 0)/5
        for (int i = 0; i < x.length; i++) {
            double[] c = centred(x, i);
            // the sample axis differs from the generating one by a small angle
            assertThat(p[i][0]).isCloseTo((-3 * c[0] + 4 * c[1]) / 5, within(0.05));
            assertThat(Math.abs(p[i][1])).isCloseTo(Math.abs((4 * c[0] + 3 * c[1]) / 5), within(0.3));
        }
        double var0 = 0;
        double var1 = 0;
        for (double[] q : p) {
            var0 += q[0] * q[0];
            var1 += q[1] * q[1];
        }
        assertThat(var0).isGreaterThan(10 * var1);
    }

    @Test
    void negatingTheDataDoesNotFlipTheAxesOfTheRuleButTheProjections() {
        // the axes follow the loadings' rule, not the data's orientation: -x projects to -p
        float[][] x = cloud(2);
        float[][] neg = new float[x.length][];
        for (int i = 0; i < x.length; i++) {
            neg[i] = new float[x[i].length];
            for (int j = 0; j < x[i].length; j++) {
                neg[i][j] = -x[i][j];
            }
        }
        double[][] p = Pca2d.project(x);
        double[][] q = Pca2d.project(neg);
        for (int i = 0; i < x.length; i++) {
            assertThat(q[i][0]).isCloseTo(-p[i][0], within(1e-6));
            assertThat(q[i][1]).isCloseTo(-p[i][1], within(1e-6));
        }
    }

    @Test
    void theMatchViewUsesTheSameProjection() {
        float[][] x = cloud(3);
        assertThat(Embeddings.pca2(x)).isDeepEqualTo(Pca2d.project(x));
    }

    @Test
    void degenerateInputs() {
        assertThat(Pca2d.project(new float[0][])).isEmpty();
        assertThat(Pca2d.project(new float[][] {{1, 2}})).isDeepEqualTo(new double[][] {{0, 0}});
        double[][] same = Pca2d.project(new float[][] {{1, 2}, {1, 2}, {1, 2}});
        for (double[] r : same) {
            assertThat(r[0]).isCloseTo(0, within(1e-12));
            assertThat(r[1]).isCloseTo(0, within(1e-12));
        }
        double[] v = {0.1, -0.9, 0.3};
        Pca2d.fixSign(v);
        assertThat(v).containsExactly(-0.1, 0.9, -0.3);
    }

    private static double[] centred(float[][] x, int i) {
        double[] m = new double[x[0].length];
        for (float[] r : x) {
            for (int j = 0; j < m.length; j++) {
                m[j] += r[j] / x.length;
            }
        }
        double[] c = new double[m.length];
        for (int j = 0; j < m.length; j++) {
            c[j] = x[i][j] - m[j];
        }
        return c;
    }
}
