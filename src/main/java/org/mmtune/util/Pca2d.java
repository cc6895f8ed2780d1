package org.mmtune.util;

import static org.bytedeco.opencv.global.opencv_core.CV_64FC1;
import static org.bytedeco.opencv.global.opencv_core.PCACompute;

import java.nio.DoubleBuffer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Projects rows onto their first two principal components, computed by OpenCV's {@code PCACompute}
 * (the data centred on its mean). Principal axes have no sign of their own, so a fixed rule picks it:
 * each axis is flipped so that its largest-magnitude loading is positive (the first such loading
 * when several tie). Training's embedding snapshots and the Match view's PCA layout both use this,
 * so the same embeddings give the same picture, axes included.
 */
public final class Pca2d {

    private Pca2d() {
    }

    /** @param x {@code n} rows of {@code d} values; returns {@code n} rows of {x, y} (zeros when n &lt; 2) */
    public static double[][] project(float[][] x) {
        int n = x.length;
        double[][] out = new double[n][2];
        if (n < 2 || x[0].length == 0) {
            return out;
        }
        int d = x[0].length;
        double[] flat = new double[n * d];
        for (int i = 0; i < n; i++) {
            if (x[i].length != d) {
                throw new IllegalArgumentException("row " + i + " has " + x[i].length + " values, row 0 has " + d);
            }
            for (int j = 0; j < d; j++) {
                flat[i * d + j] = x[i][j];
            }
        }
        double[][] axes;
        double[] mean = new double[d];
        try (Mat data = new Mat(n, d, CV_64FC1); Mat meanMat = new Mat(); Mat vectors = new Mat()) {
            ((DoubleBuffer) data.createBuffer()).put(flat);
            PCACompute(data, meanMat, vectors, 2);
            ((DoubleBuffer) meanMat.createBuffer()).get(mean);
            int k = Math.min(2, vectors.rows());
            axes = new double[k][d];
            DoubleBuffer v = vectors.createBuffer();
            for (int c = 0; c < k; c++) {
                v.get(axes[c]);
                fixSign(axes[c]);
            }
        }
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < axes.length; c++) {
                double p = 0;
                for (int j = 0; j < d; j++) {
                    p += (flat[i * d + j] - mean[j]) * axes[c][j];
                }
                out[i][c] = p;
            }
        }
        return out;
    }

    /** Flips {@code v} so that its largest-magnitude entry (the first, on ties) is positive. */
    static void fixSign(double[] v) {
        int best = 0;
        for (int j = 1; j < v.length; j++) {
            if (Math.abs(v[j]) > Math.abs(v[best])) {
                best = j;
            }
        }
        if (v[best] < 0) {
            for (int j = 0; j < v.length; j++) {
                v[j] = -v[j];
            }
        }
    }
}
