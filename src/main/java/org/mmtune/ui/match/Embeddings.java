package org.mmtune.ui.match;

/**
 * Embeddings the Match view can compute without a network, and a 2-D PCA projection of any embedding.
 */
public final class Embeddings {

    /** Side of the descriptor grid. */
    public static final int GRID = 16;

    /** How the descriptor is labelled in the UI. */
    public static final String DESCRIPTOR_NAME =
            "fixed descriptor (16×16 gray patch, zero-mean, L2-normalised; no network)";

    private Embeddings() {
    }

    /**
     * A fixed descriptor per patch: the gray crop area-averaged to 16×16, mean removed, L2-normalised.
     * Squared distances then lie in [0, 4], like the network's L2-normalised pool5 features.
     */
    public static float[][] descriptors(byte[][] gray, int size) {
        float[][] out = new float[gray.length][];
        for (int i = 0; i < gray.length; i++) {
            out[i] = descriptor(gray[i], size);
        }
        return out;
    }

    static float[] descriptor(byte[] g, int size) {
        float[] d = new float[GRID * GRID];
        int[] n = new int[GRID * GRID];
        for (int y = 0; y < size; y++) {
            int gy = y * GRID / size;
            for (int x = 0; x < size; x++) {
                int k = gy * GRID + x * GRID / size;
                d[k] += g[y * size + x] & 0xFF;
                n[k]++;
            }
        }
        double mean = 0;
        for (int k = 0; k < d.length; k++) {
            d[k] = n[k] == 0 ? 0 : d[k] / n[k];
            mean += d[k];
        }
        mean /= d.length;
        double norm = 0;
        for (int k = 0; k < d.length; k++) {
            d[k] -= (float) mean;
            norm += d[k] * d[k];
        }
        norm = Math.sqrt(norm);
        if (norm < 1e-9) {
            d[0] = 1; // a flat patch: any unit vector
            for (int k = 1; k < d.length; k++) {
                d[k] = 0;
            }
            return d;
        }
        for (int k = 0; k < d.length; k++) {
            d[k] /= (float) norm;
        }
        return d;
    }

    /** First two principal components of the rows (power iteration with deflation), as {x, y} per row. */
    public static double[][] pca2(float[][] rows) {
        int n = rows.length;
        double[][] out = new double[n][2];
        if (n == 0) {
            return out;
        }
        int dim = rows[0].length;
        double[] mean = new double[dim];
        for (float[] r : rows) {
            for (int k = 0; k < dim; k++) {
                mean[k] += r[k];
            }
        }
        for (int k = 0; k < dim; k++) {
            mean[k] /= n;
        }
        double[][] x = new double[n][dim];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < dim; k++) {
                x[i][k] = rows[i][k] - mean[k];
            }
        }
        double[] c1 = component(x, null);
        double[] c2 = component(x, c1);
        for (int i = 0; i < n; i++) {
            out[i][0] = dot(x[i], c1);
            out[i][1] = c2 == null ? 0 : dot(x[i], c2);
        }
        return out;
    }

    private static double[] component(double[][] x, double[] orth) {
        int dim = x[0].length;
        double[] v = new double[dim];
        for (int k = 0; k < dim; k++) {
            v[k] = 1.0 / Math.sqrt(dim) * (1 + 0.01 * (k % 7));
        }
        for (int it = 0; it < 60; it++) {
            double[] w = new double[dim];
            for (double[] row : x) {
                double p = dot(row, v);
                for (int k = 0; k < dim; k++) {
                    w[k] += p * row[k];
                }
            }
            if (orth != null) {
                double p = dot(w, orth);
                for (int k = 0; k < dim; k++) {
                    w[k] -= p * orth[k];
                }
            }
            double norm = Math.sqrt(dot(w, w));
            if (norm < 1e-12) {
                return v;
            }
            for (int k = 0; k < dim; k++) {
                w[k] /= norm;
            }
            v = w;
        }
        return v;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += a[k] * b[k];
        }
        return s;
    }
}
