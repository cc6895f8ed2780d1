package org.mmtune.experiment.runs;

/** Per-image comparison of a predicted label map with the ground truth. */
public final class MaskStats {

    private MaskStats() {
    }

    /**
     * The mean IoU over the classes present in the truth or the prediction of this image, ignoring
     * pixels whose truth is {@code ignoreIndex}; NaN if the image has no valid pixel.
     */
    public static double imageMeanIoU(byte[] truth, byte[] pred, int numClasses, int ignoreIndex) {
        if (truth.length != pred.length) {
            throw new IllegalArgumentException("truth has " + truth.length + " pixels, prediction " + pred.length);
        }
        long[] inter = new long[numClasses];
        long[] union = new long[numClasses];
        long[] t = new long[numClasses];
        long[] p = new long[numClasses];
        for (int i = 0; i < truth.length; i++) {
            int g = truth[i] & 0xFF;
            if (g == ignoreIndex || g >= numClasses) {
                continue;
            }
            int q = pred[i] & 0xFF;
            t[g]++;
            if (q < numClasses) {
                p[q]++;
                if (q == g) {
                    inter[g]++;
                }
            }
        }
        double sum = 0;
        int n = 0;
        for (int c = 0; c < numClasses; c++) {
            union[c] = t[c] + p[c] - inter[c];
            if (union[c] > 0) {
                sum += inter[c] / (double) union[c];
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Share of valid (non-void) pixels whose prediction differs from the truth. */
    public static double errorFraction(byte[] truth, byte[] pred, int ignoreIndex) {
        long valid = 0;
        long wrong = 0;
        for (int i = 0; i < truth.length; i++) {
            int g = truth[i] & 0xFF;
            if (g == ignoreIndex) {
                continue;
            }
            valid++;
            if ((pred[i] & 0xFF) != g) {
                wrong++;
            }
        }
        return valid == 0 ? Double.NaN : wrong / (double) valid;
    }
}
