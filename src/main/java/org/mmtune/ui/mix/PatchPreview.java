package org.mmtune.ui.mix;

import org.mmtune.data.Sample;
import org.mmtune.mix.Patch;

/**
 * Small previews of patch crops for the views, cut straight from the decoded image at preview size:
 * the same window as the pipeline's crop (zero padding outside the image), each preview pixel the mean
 * of the image pixels it covers. Far cheaper than cropping at the output size and shrinking, so a
 * resample shows at once; the pipeline itself uses {@code PatchCropper}.
 */
public final class PatchPreview {

    private PatchPreview() {
    }

    /** RGB preview of {@code p}: {@code 3*t*t} bytes, interleaved R,G,B. */
    public static byte[] rgb(Sample s, Patch p, int t) {
        byte[] out = new byte[3 * t * t];
        int w = s.width();
        int h = s.height();
        byte[] src = s.rgb();
        int size = p.size();
        int x0 = p.x0();
        int y0 = p.y0();
        for (int v = 0; v < t; v++) {
            int ya = y0 + v * size / t;
            int yb = Math.max(ya + 1, y0 + (v + 1) * size / t);
            for (int u = 0; u < t; u++) {
                int xa = x0 + u * size / t;
                int xb = Math.max(xa + 1, x0 + (u + 1) * size / t);
                int r = 0;
                int g = 0;
                int b = 0;
                int n = (yb - ya) * (xb - xa);
                for (int y = Math.max(0, ya); y < Math.min(h, yb); y++) {
                    int row = y * w;
                    for (int x = Math.max(0, xa); x < Math.min(w, xb); x++) {
                        int k = 3 * (row + x);
                        r += src[k] & 0xFF;
                        g += src[k + 1] & 0xFF;
                        b += src[k + 2] & 0xFF;
                    }
                }
                int o = 3 * (v * t + u);
                out[o] = (byte) (r / n);
                out[o + 1] = (byte) (g / n);
                out[o + 2] = (byte) (b / n);
            }
        }
        return out;
    }
}
