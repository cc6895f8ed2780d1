package org.mmtune.mix;

/** How a patch gets its label. */
public enum LabelMode {
    /** The class of the centre pixel (the paper). */
    CENTER,
    /** The most frequent class among the window's pixels (void excluded); ties go to the centre's class. */
    MAJORITY
}
