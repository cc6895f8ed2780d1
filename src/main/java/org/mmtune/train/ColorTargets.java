package org.mmtune.train;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGB2Lab;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.mmtune.data.Sample;

/**
 * Colorization targets: the image converted to Lab with OpenCV ({@code cvtColor}, 8-bit: a and b offset
 * by 128), the ab planes shrunk to a quarter of the size ({@code INTER_AREA}, i.e. averaged over 4×4
 * blocks) and quantised on a regular grid of {@code grid} Lab units per axis: bin = (a/grid)·(256/grid) +
 * b/grid. With the default grid 16 that is 16×16 = 256 bins (about 110 of them are in the sRGB gamut),
 * coarser than the 313 in-gamut bins of grid 10 in Zhang et al. 2016. Their class rebalancing is
 * optional ({@link #rebalanceWeights}): per-bin weights {@code ∝ ((1−λ)·p̃ + λ/Q)^−1} with {@code p̃} the
 * Gaussian-smoothed empirical bin distribution.
 */
public final class ColorTargets {

    private ColorTargets() {
    }

    /** Number of bins for a grid size (a divisor of 256 between 4 and 64). */
    public static int bins(int grid) {
        int per = 256 / grid;
        return per * per;
    }

    /** Quantised ab bins at quarter size ({@code (w/4)·(h/4)} values, row-major), each in {@code [0, bins)}. */
    public static int[] quarterBins(Sample s, int grid) {
        int w = s.width();
        int h = s.height();
        int qw = Math.max(1, w / 4);
        int qh = Math.max(1, h / 4);
        int per = 256 / grid;
        try (BytePointer src = new BytePointer(s.rgb());
             Mat rgb = new Mat(h, w, opencv_core.CV_8UC3, src);
             Mat lab = new Mat();
             Mat small = new Mat()) {
            cvtColor(rgb, lab, COLOR_RGB2Lab);
            resize(lab, small, new Size(qw, qh), 0, 0, INTER_AREA);
            byte[] px = new byte[qw * qh * 3];
            small.data().get(px);
            int[] bins = new int[qw * qh];
            for (int i = 0; i < bins.length; i++) {
                int a = px[3 * i + 1] & 0xFF;
                int b = px[3 * i + 2] & 0xFF;
                bins[i] = (a / grid) * per + (b / grid);
            }
            return bins;
        }
    }

    /** Zhang et al.'s mixing weight λ of the uniform distribution. */
    public static final double REBALANCE_LAMBDA = 0.5;
    /** Zhang et al.'s smoothing σ of the empirical distribution, in Lab (ab) units. */
    public static final double REBALANCE_SIGMA = 5.0;

    /**
     * Class-rebalancing weights of Zhang et al. (ECCV 2016, eq. 3–4): the empirical distribution {@code p} of the
     * bins over {@code targets} (values {@code >= bins} are ignored), smoothed with a Gaussian of {@code sigma}
     * Lab units over the ab plane (bin centres {@code grid} units apart; {@code sigma} 0 = no smoothing) and
     * renormalised to {@code p̃}; weights {@code w_q = 1 / ((1−λ)·p̃_q + λ/Q)} with {@code Q} the number of bins
     * that occur in the targets (the in-gamut bins of this data), scaled so that {@code Σ_q p̃_q·w_q = 1}.
     */
    public static float[] rebalanceWeights(java.util.Collection<int[]> targets, int grid, double lambda, double sigma) {
        int bins = bins(grid);
        int per = 256 / grid;
        long[] count = new long[bins];
        long total = 0;
        for (int[] t : targets) {
            for (int v : t) {
                if (v >= 0 && v < bins) {
                    count[v]++;
                    total++;
                }
            }
        }
        float[] w = new float[bins];
        if (total == 0) {
            java.util.Arrays.fill(w, 1f);
            return w;
        }
        int q = 0;
        double[] p = new double[bins];
        for (int i = 0; i < bins; i++) {
            p[i] = (double) count[i] / total;
            if (count[i] > 0) {
                q++;
            }
        }
        double[] smooth = p;
        if (sigma > 0) {
            smooth = new double[bins];
            double s2 = 2 * sigma * sigma;
            double sum = 0;
            for (int i = 0; i < bins; i++) {
                int ai = i / per;
                int bi = i % per;
                double v = 0;
                for (int j = 0; j < bins; j++) {
                    if (p[j] == 0) {
                        continue;
                    }
                    double da = (ai - j / per) * (double) grid;
                    double db = (bi - j % per) * (double) grid;
                    v += p[j] * Math.exp(-(da * da + db * db) / s2);
                }
                smooth[i] = v;
                sum += v;
            }
            for (int i = 0; i < bins; i++) {
                smooth[i] /= sum;
            }
        }
        double[] raw = new double[bins];
        double expected = 0;
        for (int i = 0; i < bins; i++) {
            raw[i] = 1 / ((1 - lambda) * smooth[i] + lambda / q);
            expected += smooth[i] * raw[i];
        }
        for (int i = 0; i < bins; i++) {
            w[i] = (float) (raw[i] / expected);
        }
        return w;
    }
}
