package org.mmtune.nn;

/** The heads that sit on the shared backbone. */
public enum HeadKind {
    /** pool5, flattened, L2-normalised: the M&M embedding (no parameters). */
    EMBEDDING,
    /** FCN: fc6 (3×3 conv) and fc7 (1×1 conv) at reduced width, a 1×1 classifier, bilinear up to the input size. */
    SEGMENTATION,
    /** Colorization: 3×3 conv, 1×1 conv to the ab bins, bilinear up to a quarter of the input size. */
    COLORIZATION
}
