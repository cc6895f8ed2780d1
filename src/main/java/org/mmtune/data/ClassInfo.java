package org.mmtune.data;

/**
 * One semantic class of a dataset.
 *
 * @param index the class index as stored in label images (0-based)
 * @param name  human-readable name
 * @param rgb   display colour as 0xRRGGBB
 */
public record ClassInfo(int index, String name, int rgb) {

    public int red() { return (rgb >> 16) & 0xFF; }

    public int green() { return (rgb >> 8) & 0xFF; }

    public int blue() { return rgb & 0xFF; }

    /** Colour as {@code #rrggbb}. */
    public String hex() { return String.format("#%06x", rgb & 0xFFFFFF); }
}
