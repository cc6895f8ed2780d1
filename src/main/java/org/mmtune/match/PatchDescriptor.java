package org.mmtune.match;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * A fixed, network-free patch embedding for inspecting graphs without a trained model: the gray
 * crop area-downsampled to {@code side x side}, mean-subtracted and L2-normalised. Used by the CLI's
 * {@code --strategy hard} when no network is at hand.
 */
public final class PatchDescriptor {

    private PatchDescriptor() {
    }

    /** Descriptors of gray crops of {@code outSize²} bytes each; one row of {@code side²} floats per crop. */
    public static float[][] describe(byte[][] gray, int outSize, int side) {
        float[][] out = new float[gray.length][];
        try (Mat src = new Mat(outSize, outSize, CV_8UC1); Mat small = new Mat(); Size sz = new Size(side, side)) {
            byte[] buf = new byte[side * side];
            for (int i = 0; i < gray.length; i++) {
                src.data().put(gray[i], 0, outSize * outSize);
                resize(src, small, sz, 0, 0, INTER_AREA);
                small.data().get(buf, 0, buf.length);
                float[] v = new float[buf.length];
                double mean = 0;
                for (int j = 0; j < buf.length; j++) {
                    v[j] = buf[j] & 0xFF;
                    mean += v[j];
                }
                mean /= buf.length;
                for (int j = 0; j < v.length; j++) {
                    v[j] -= (float) mean;
                }
                out[i] = v;
            }
        }
        return TripletStats.l2Normalize(out);
    }
}
