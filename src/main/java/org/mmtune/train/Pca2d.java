package org.mmtune.train;

import java.util.Random;

/** Projects rows onto their first two principal components (power iteration with deflation, plain Java). */
public final class Pca2d {

    private Pca2d() {
    }

    /** @param x {@code n} rows of {@code d} values; returns {@code n} rows of {x, y} */
    public static double[][] project(float[][] x) {
        int n = x.length;
        if (n == 0) {
            return new double[0][];
        }
        int d = x[0].length;
        double[] mean = new double[d];
        for (float[] r : x) {
            for (int j = 0; j < d; j++) {
                mean[j] += r[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        double[][] c = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                c[i][j] = x[i][j] - mean[j];
            }
        }
        double[][] out = new double[n][2];
        Random rnd = new Random(7);
        for (int comp = 0; comp < 2; comp++) {
            double[] v = new double[d];
            for (int j = 0; j < d; j++) {
                v[j] = rnd.nextGaussian();
            }
            normalise(v);
            for (int iter = 0; iter < 60; iter++) {
                double[] proj = new double[n];
                for (int i = 0; i < n; i++) {
                    proj[i] = dot(c[i], v);
                }
                double[] nv = new double[d];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < d; j++) {
                        nv[j] += proj[i] * c[i][j];
                    }
                }
                if (normalise(nv) == 0) {
                    break;
                }
                v = nv;
            }
            for (int i = 0; i < n; i++) {
                double p = dot(c[i], v);
                out[i][comp] = p;
                for (int j = 0; j < d; j++) {
                    c[i][j] -= p * v[j];
                }
            }
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double normalise(double[] v) {
        double n = Math.sqrt(dot(v, v));
        if (n > 0) {
            for (int i = 0; i < v.length; i++) {
                v[i] /= n;
            }
        }
        return n;
    }
}
