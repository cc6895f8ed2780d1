package org.mmtune.mix;

import java.util.List;

/**
 * The patches of all images of one batch, pooled ("mixed"), with their crops. Patch {@code i}'s
 * crops are {@code gray[i]} ({@code outSize²} bytes) and {@code rgb[i]} ({@code 3·outSize²} bytes,
 * R,G,B interleaved); either array is null when those crops were not requested.
 *
 * @param batchIndex   the batch number the patches were sampled for
 * @param imageIndices the images of the batch
 * @param outSize      side of the crops
 * @param patches      all patches, image by image
 * @param gray         grayscale crops, or null
 * @param rgb          RGB crops, or null
 */
public record MixedBatch(long batchIndex, int[] imageIndices, int outSize, List<Patch> patches,
                         byte[][] gray, byte[][] rgb) {

    public MixedBatch {
        patches = List.copyOf(patches);
    }

    public int size() {
        return patches.size();
    }

    public Patch patch(int i) {
        return patches.get(i);
    }

    /** The patch labels, the node labels of the match graph. */
    public int[] labels() {
        int[] l = new int[patches.size()];
        for (int i = 0; i < l.length; i++) {
            l[i] = patches.get(i).label();
        }
        return l;
    }

    /** Gray crops as floats in [0, 1], N×outSize×outSize row-major (for an N×1×P×P tensor). */
    public float[] grayFloats() {
        if (gray == null) {
            throw new IllegalStateException("this batch was mixed without gray crops");
        }
        int px = outSize * outSize;
        float[] f = new float[gray.length * px];
        for (int i = 0; i < gray.length; i++) {
            byte[] g = gray[i];
            for (int j = 0; j < px; j++) {
                f[i * px + j] = (g[j] & 0xFF) / 255f;
            }
        }
        return f;
    }
}
