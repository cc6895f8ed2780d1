package org.mmtune.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.mmtune.nn.InputNorm;
import org.mmtune.nn.MmtuneNet;

/**
 * Runs a segmentation {@link MmtuneNet} on whole images at their own size: the gray image is padded
 * (bottom/right, mid gray) to a multiple of the feature stride (16) and at least the backbone's minimum,
 * the logits are cropped back to the image, and the arg-max is the class. Batch norm runs in inference
 * mode. Every array lives in a per-image sub-manager.
 */
public final class Segmenter {

    private final MmtuneNet net;
    private final NDManager manager;

    /** @param manager parent of the per-image managers (on the network's device) */
    public Segmenter(MmtuneNet net, NDManager manager) {
        this.net = net;
        this.manager = manager;
    }

    public MmtuneNet net() {
        return net;
    }

    /** Predicted class per pixel, row-major, {@code width·height} values. */
    public int[] predict(byte[] gray, int width, int height) {
        int stride = net.spec().featureStride();
        int min = net.spec().minInputSize();
        int pw = Math.max(roundUp(width, stride), roundUp(min, stride));
        int ph = Math.max(roundUp(height, stride), roundUp(min, stride));
        float[] x = new float[pw * ph];
        for (int y = 0; y < height; y++) {
            for (int c = 0; c < width; c++) {
                x[y * pw + c] = InputNorm.of(gray[y * width + c]);
            }
        }
        try (NDManager m = manager.newSubManager()) {
            NDArray in = m.create(x, new Shape(1, 1, ph, pw));
            NDArray logits = net.forward(new ParameterStore(m, false), new NDList(in), false).singletonOrThrow();
            int[] full = logits.argMax(1).toType(DataType.INT32, false).toIntArray();
            if (pw == width && ph == height) {
                return full;
            }
            int[] out = new int[width * height];
            for (int y = 0; y < height; y++) {
                System.arraycopy(full, y * pw, out, y * width, width);
            }
            return out;
        }
    }

    private static int roundUp(int v, int m) {
        return (v + m - 1) / m * m;
    }
}
