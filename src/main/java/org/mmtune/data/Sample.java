package org.mmtune.data;

/**
 * A decoded image with its per-pixel labels, held as plain arrays (no UI or tensor types), so that
 * sampling, matching and evaluation can work on it from any thread.
 *
 * <p>{@code rgb} is interleaved R,G,B row-major ({@code 3*width*height} bytes). {@code labels} holds
 * one unsigned byte per pixel: a class index in {@code [0, numClasses)} or the dataset's ignore index.
 */
public record Sample(String id, int width, int height, byte[] rgb, byte[] labels, int ignoreIndex) {

    public Sample {
        if (rgb.length != 3 * width * height) {
            throw new IllegalArgumentException("rgb has " + rgb.length + " bytes, expected " + 3 * width * height);
        }
        if (labels.length != width * height) {
            throw new IllegalArgumentException("labels has " + labels.length + " bytes, expected " + width * height);
        }
    }

    /** Label of pixel (x, y) as an int in 0..255. */
    public int label(int x, int y) {
        return labels[y * width + x] & 0xFF;
    }

    /** Luma (ITU-R BT.601) of every pixel, one byte each. */
    public byte[] gray() {
        byte[] g = new byte[width * height];
        for (int i = 0, j = 0; i < g.length; i++, j += 3) {
            int r = rgb[j] & 0xFF, gr = rgb[j + 1] & 0xFF, b = rgb[j + 2] & 0xFF;
            g[i] = (byte) ((299 * r + 587 * gr + 114 * b + 500) / 1000);
        }
        return g;
    }
}
