package org.mmtune.mix;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.copyMakeBorder;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGB2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.mmtune.data.Sample;

/**
 * Cuts patches out of an image with OpenCV: the window's in-image part, zero padding where the
 * window leaves the image, then a resize to {@code outSize x outSize} (area interpolation when
 * shrinking, bilinear when enlarging). Grayscale crops use OpenCV's RGB→gray (BT.601 weights);
 * RGB crops are interleaved R,G,B. Native buffers are reused per thread; instances are thread-safe.
 */
public final class PatchCropper {

    private final int outSize;

    /** Per-thread native buffers, reused from image to image. */
    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private static final class Buffers {
        final Mat rgb = new Mat();
        final Mat gray = new Mat();
        final Mat padded = new Mat();
        final Mat out = new Mat();
        final Scalar zero = new Scalar(0.0);
    }

    public PatchCropper(int outSize) {
        if (outSize < 1 || outSize > MixConfig.MAX_SIDE) {
            throw new IllegalArgumentException("outSize must be between 1 and " + MixConfig.MAX_SIDE
                    + " (got " + outSize + ")");
        }
        this.outSize = outSize;
    }

    public int outSize() {
        return outSize;
    }

    /** Grayscale crop of one patch: {@code outSize*outSize} bytes, row-major. */
    public byte[] cropGray(Sample sample, Patch patch) {
        byte[][] g = new byte[1][];
        cropAll(sample, List.of(patch), g, null, 0);
        return g[0];
    }

    /** RGB crop of one patch: {@code 3*outSize*outSize} bytes, interleaved R,G,B, row-major. */
    public byte[] cropRgb(Sample sample, Patch patch) {
        byte[][] c = new byte[1][];
        cropAll(sample, List.of(patch), null, c, 0);
        return c[0];
    }

    /**
     * Crops all patches of one image. The image is copied to native memory once; each patch costs
     * one ROI view, an optional border copy and one resize.
     *
     * @param gray   receives gray crops at {@code offset + i} (null: no gray crops)
     * @param rgb    receives RGB crops at {@code offset + i} (null: no RGB crops)
     */
    public void cropAll(Sample sample, List<Patch> patches, byte[][] gray, byte[][] rgb, int offset) {
        if (patches.isEmpty() || (gray == null && rgb == null)) {
            return;
        }
        Buffers b = BUFFERS.get();
        int w = sample.width();
        int h = sample.height();
        b.rgb.create(h, w, CV_8UC3);
        b.rgb.data().put(sample.rgb(), 0, sample.rgb().length);
        if (gray != null) {
            cvtColor(b.rgb, b.gray, COLOR_RGB2GRAY);
        }
        for (int i = 0; i < patches.size(); i++) {
            Patch p = patches.get(i);
            if (gray != null) {
                gray[offset + i] = crop(b, b.gray, p, w, h, 1);
            }
            if (rgb != null) {
                rgb[offset + i] = crop(b, b.rgb, p, w, h, 3);
            }
        }
    }

    private byte[] crop(Buffers b, Mat src, Patch p, int w, int h, int channels) {
        int x0 = Math.max(0, p.x0());
        int y0 = Math.max(0, p.y0());
        int x1 = Math.min(w, p.x1());
        int y1 = Math.min(h, p.y1());
        byte[] result = new byte[outSize * outSize * channels];
        if (x1 <= x0 || y1 <= y0) {
            return result; // entirely outside: all padding
        }
        int interp = p.size() > outSize ? INTER_AREA : INTER_LINEAR;
        try (Rect r = new Rect(x0, y0, x1 - x0, y1 - y0); Mat roi = src.apply(r); Size out = new Size(outSize, outSize)) {
            Mat from = roi;
            if (x0 != p.x0() || y0 != p.y0() || x1 != p.x1() || y1 != p.y1()) {
                copyMakeBorder(roi, b.padded, y0 - p.y0(), p.y1() - y1, x0 - p.x0(), p.x1() - x1,
                        BORDER_CONSTANT, b.zero);
                from = b.padded;
            }
            if (p.size() == outSize) {
                if (from == roi) {
                    roi.copyTo(b.out);
                    from = b.out;
                }
                from.data().get(result, 0, result.length);
                return result;
            }
            b.out.create(outSize, outSize, channels == 1 ? CV_8UC1 : CV_8UC3);
            resize(from, b.out, out, 0, 0, interp);
            b.out.data().get(result, 0, result.length);
        }
        return result;
    }
}
