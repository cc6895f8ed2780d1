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
 * coarser than the 313 in-gamut bins of grid 10 in Zhang et al. 2016, and without their class
 * rebalancing: plain cross-entropy over the bins.
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
}
