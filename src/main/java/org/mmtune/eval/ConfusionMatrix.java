package org.mmtune.eval;

/**
 * Confusion matrix {@code [ground truth][prediction]} over every pixel whose ground truth is not void.
 * IoU of class c = TP / (TP + FP + FN). The mean IoU averages over the classes that occur in the ground
 * truth or in the prediction (TP + FP + FN &gt; 0); a class absent from both has no IoU (NaN) and is left
 * out of the mean. Pixel accuracy = correctly labelled pixels / counted pixels.
 */
public final class ConfusionMatrix {

    private final int n;
    private final long[][] m;

    public ConfusionMatrix(int numClasses) {
        this.n = numClasses;
        this.m = new long[numClasses][numClasses];
    }

    public static ConfusionMatrix of(long[][] counts) {
        ConfusionMatrix c = new ConfusionMatrix(counts.length);
        for (int i = 0; i < counts.length; i++) {
            System.arraycopy(counts[i], 0, c.m[i], 0, counts.length);
        }
        return c;
    }

    public int numClasses() {
        return n;
    }

    /**
     * Adds one image: {@code truth} bytes (class index or void), {@code predicted} class indices. Ground-truth
     * values outside {@code [0, n)} (void and anything unknown) are skipped.
     */
    public void add(byte[] truth, int[] predicted) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException("truth has " + truth.length + " pixels, prediction " + predicted.length);
        }
        for (int i = 0; i < truth.length; i++) {
            int t = truth[i] & 0xFF;
            int p = predicted[i];
            if (t < n && p >= 0 && p < n) {
                m[t][p]++;
            }
        }
    }

    public void add(ConfusionMatrix other) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                m[i][j] += other.m[i][j];
            }
        }
    }

    public long count(int truth, int predicted) {
        return m[truth][predicted];
    }

    public long[][] counts() {
        long[][] c = new long[n][];
        for (int i = 0; i < n; i++) {
            c[i] = m[i].clone();
        }
        return c;
    }

    public long total() {
        long s = 0;
        for (long[] row : m) {
            for (long v : row) {
                s += v;
            }
        }
        return s;
    }

    /** IoU of class c, or NaN when the class is absent from both ground truth and prediction. */
    public double iou(int c) {
        long tp = m[c][c];
        long fn = 0;
        long fp = 0;
        for (int k = 0; k < n; k++) {
            if (k != c) {
                fn += m[c][k];
                fp += m[k][c];
            }
        }
        long denom = tp + fp + fn;
        return denom == 0 ? Double.NaN : (double) tp / denom;
    }

    /** Mean IoU over the classes whose IoU is defined; 0 when none is. */
    public double meanIoU() {
        double s = 0;
        int k = 0;
        for (int c = 0; c < n; c++) {
            double v = iou(c);
            if (!Double.isNaN(v)) {
                s += v;
                k++;
            }
        }
        return k == 0 ? 0 : s / k;
    }

    public double pixelAccuracy() {
        long total = total();
        if (total == 0) {
            return 0;
        }
        long ok = 0;
        for (int c = 0; c < n; c++) {
            ok += m[c][c];
        }
        return (double) ok / total;
    }
}
