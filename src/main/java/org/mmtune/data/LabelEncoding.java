package org.mmtune.data;

/** How class indices are stored in a dataset's label images. */
public enum LabelEncoding {
    /** Single-channel 8-bit PNG whose values are class indices. */
    INDEX,
    /** 8-bit indexed (palette) PNG: the raster holds class indices, the palette only colours them. */
    PALETTE,
    /** RGB colour PNG: each class is painted in its colour; unknown colours are void. */
    RGB
}
