package org.mmtune.mix;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGB2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Renders the RGB crops of a mixed batch as one PNG: a grid of tiles, each framed in its class's
 * colour, in batch order (image by image). OpenCV only; no UI toolkit.
 */
public final class ContactSheet {

    private ContactSheet() {
    }

    /**
     * @param batch     a batch mixed with RGB crops
     * @param classRgb  display colour (0xRRGGBB) per class index; classes beyond it are drawn white
     * @param columns   tiles per row (0 = about square)
     * @param border    frame width in pixels
     * @return PNG bytes
     */
    public static byte[] png(MixedBatch batch, int[] classRgb, int columns, int border) {
        if (batch.rgb() == null) {
            throw new IllegalArgumentException("the contact sheet needs a batch mixed with RGB crops");
        }
        int n = Math.max(1, batch.size());
        int cols = columns > 0 ? columns : (int) Math.ceil(Math.sqrt(n));
        int rows = (n + cols - 1) / cols;
        int p = batch.outSize();
        int tile = p + 2 * border;
        int gap = 2;
        int w = cols * (tile + gap) + gap;
        int h = rows * (tile + gap) + gap;
        byte[] canvas = new byte[3 * w * h];
        java.util.Arrays.fill(canvas, (byte) 32);
        for (int i = 0; i < batch.size(); i++) {
            int label = batch.patch(i).label();
            int rgb = label >= 0 && label < classRgb.length ? classRgb[label] : 0xFFFFFF;
            int ox = gap + (i % cols) * (tile + gap);
            int oy = gap + (i / cols) * (tile + gap);
            for (int y = 0; y < tile; y++) {
                for (int x = 0; x < tile; x++) {
                    int o = 3 * ((oy + y) * w + ox + x);
                    int sx = x - border;
                    int sy = y - border;
                    if (sx >= 0 && sy >= 0 && sx < p && sy < p) {
                        int s = 3 * (sy * p + sx);
                        canvas[o] = batch.rgb()[i][s];
                        canvas[o + 1] = batch.rgb()[i][s + 1];
                        canvas[o + 2] = batch.rgb()[i][s + 2];
                    } else {
                        canvas[o] = (byte) (rgb >> 16);
                        canvas[o + 1] = (byte) (rgb >> 8);
                        canvas[o + 2] = (byte) rgb;
                    }
                }
            }
        }
        try (Mat m = new Mat(h, w, CV_8UC3); Mat bgr = new Mat(); BytePointer buf = new BytePointer()) {
            m.data().put(canvas, 0, canvas.length);
            cvtColor(m, bgr, COLOR_RGB2BGR);
            if (!imencode(".png", bgr, buf)) {
                throw new IllegalStateException("OpenCV could not encode the contact sheet as PNG");
            }
            byte[] out = new byte[(int) buf.limit()];
            buf.get(out);
            return out;
        }
    }
}
