package org.mmtune.nn;

import java.util.Locale;

/** The backbones mmtune can build. All take a one-channel (grayscale / L) input. */
public enum BackboneType {
    /** The paper's AlexNet with batch norm (conv1 96·11×11/4 … conv5 256, pool5). */
    ALEXNET,
    /**
     * The AlexNet of the reference implementation's Caffe prototxts (conv1 pad 5, LRN, grouped conv2/4/5,
     * biased convolutions, batch norm without affine, ceil-mode pooling), so that its models can be imported.
     */
    ALEXNET_REF,
    /** VGG-16 with batch norm (13 convolutions), for GPU users. */
    VGG16;

    /** Parses {@code alexnet} / {@code alexnet-ref} / {@code vgg16} (case-insensitive). */
    public static BackboneType parse(String s) {
        for (BackboneType t : values()) {
            if (t.id().equalsIgnoreCase(s)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown backbone '" + s + "' (use " + ids() + ")");
    }

    /** The name configs and checkpoints use: {@code alexnet}, {@code alexnet-ref}, {@code vgg16}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Every id, for messages: "alexnet, alexnet-ref or vgg16". */
    public static String ids() {
        StringBuilder b = new StringBuilder();
        BackboneType[] all = values();
        for (int i = 0; i < all.length; i++) {
            b.append(i == 0 ? "" : i == all.length - 1 ? " or " : ", ").append(all[i].id());
        }
        return b.toString();
    }
}
