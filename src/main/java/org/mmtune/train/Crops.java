package org.mmtune.train;

import java.util.Random;
import org.mmtune.nn.InputNorm;

/** Random crops with optional horizontal flip, written straight into batch arrays (plain Java, no copies). */
public final class Crops {

    private Crops() {
    }

    /** Top-left corner of a random crop of side {@code s} along an axis of length {@code n}, a multiple of {@code align}. */
    static int origin(int n, int s, int align, Random rnd) {
        if (n >= s) {
            return align * rnd.nextInt((n - s) / align + 1);
        }
        return -align * rnd.nextInt((s - n) / align + 1);
    }

    /**
     * Copies the crop at (x0, y0) of side {@code s}: normalised gray into {@code x} at {@code xOff}; when
     * {@code labelsOut} is non-null, labels into it at {@code lOff}. Pixels outside the image get 0 (mid
     * gray) and {@code ignore}.
     */
    static void copy(TrainImage img, int x0, int y0, int s, boolean flip, float[] x, int xOff,
                     int[] labelsOut, int lOff, int ignore) {
        int w = img.width();
        int h = img.height();
        for (int r = 0; r < s; r++) {
            int sy = y0 + r;
            boolean rowIn = sy >= 0 && sy < h;
            for (int c = 0; c < s; c++) {
                int sx = x0 + (flip ? s - 1 - c : c);
                int o = r * s + c;
                if (rowIn && sx >= 0 && sx < w) {
                    int si = sy * w + sx;
                    x[xOff + o] = InputNorm.of(img.gray()[si]);
                    if (labelsOut != null) {
                        labelsOut[lOff + o] = img.labels()[si] & 0xFF;
                    }
                } else {
                    x[xOff + o] = 0f;
                    if (labelsOut != null) {
                        labelsOut[lOff + o] = ignore;
                    }
                }
            }
        }
    }
}
