package org.mmtune.nn;

import java.util.Locale;

/** The backbones mmtune can build. Both take a one-channel (grayscale / L) input. */
public enum BackboneType {
    /** The paper's AlexNet with batch norm (conv1 96·11×11/4 … conv5 256, pool5). */
    ALEXNET,
    /** VGG-16 with batch norm (13 convolutions), for GPU users. */
    VGG16;

    /** Parses {@code alexnet} / {@code vgg16} (case-insensitive). */
    public static BackboneType parse(String s) {
        for (BackboneType t : values()) {
            if (t.name().equalsIgnoreCase(s)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown backbone '" + s + "' (use alexnet or vgg16)");
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
