package org.mmtune.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;

/**
 * Local response normalisation across channels, as Caffe's {@code LRN} (ACROSS_CHANNELS) and
 * {@code torch.nn.LocalResponseNorm} define it:
 * {@code y = x / (k + alpha/n · Σ x²)^beta}, the sum over the {@code n} channels centred on each channel,
 * channels beyond the edges counting as zero. Both frameworks divide {@code alpha} by {@code n}; so does this.
 * DJL 0.36 has no such block; this one is built from engine ops (an average pool over the channel axis), so
 * gradients flow through it.
 */
public final class LocalResponseNorm {

    private LocalResponseNorm() {
    }

    /** A parameter-free block applying {@link #apply}. */
    public static Block block(int size, float alpha, float beta, float k) {
        if (size < 1 || size % 2 == 0) {
            throw new IllegalArgumentException("LRN size must be odd, was " + size);
        }
        return LambdaBlock.singleton(x -> apply(x, size, alpha, beta, k), "lrn");
    }

    /** Normalises an {@code (N, C, H, W)} array. */
    public static NDArray apply(NDArray x, int size, float alpha, float beta, float k) {
        Shape s = x.getShape();
        long n = s.get(0);
        long c = s.get(1);
        long hw = s.size() / (n * c);
        NDArray sq = x.square().reshape(n, 1, c, hw);
        // mean over a window of `size` channels with zero padding = (1/size) · Σ x²
        NDArray mean = sq.getNDArrayInternal().avgPool(new Shape(size, 1), new Shape(1, 1),
                new Shape(size / 2, 0), false, true);
        NDArray div = mean.reshape(s).mul(alpha).add(k).pow(beta);
        return x.div(div);
    }
}
