package org.mmtune.mix;

/**
 * One sampled square patch. Its window covers columns {@code [x0, x0+size)} and rows
 * {@code [y0, y0+size)} with {@code x0 = cx - size/2}; parts outside the image are zero padding.
 *
 * @param imageIndex index of the source image in its split (or in the list handed to the sampler)
 * @param imageId    id of the source image
 * @param cx         centre column
 * @param cy         centre row
 * @param size       side in pixels (even)
 * @param label      class index of the patch
 * @param purity     fraction of the window's in-image pixels whose class is {@code label}
 */
public record Patch(int imageIndex, String imageId, int cx, int cy, int size, int label, double purity) {

    public int x0() {
        return cx - size / 2;
    }

    public int y0() {
        return cy - size / 2;
    }

    /** Exclusive right edge. */
    public int x1() {
        return x0() + size;
    }

    /** Exclusive bottom edge. */
    public int y1() {
        return y0() + size;
    }

    /** Whether part of the window lies outside a {@code width x height} image. */
    public boolean needsPadding(int width, int height) {
        return x0() < 0 || y0() < 0 || x1() > width || y1() > height;
    }
}
