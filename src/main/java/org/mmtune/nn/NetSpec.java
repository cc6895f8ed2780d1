package org.mmtune.nn;

/**
 * What network to build: backbone, width divisor (every channel count is divided by it; 1 = the paper's
 * width, 4 = the CPU default) and the number of segmentation classes / colour bins of the heads.
 */
public record NetSpec(BackboneType backbone, int widthDivisor) {

    public NetSpec {
        if (widthDivisor < 1) {
            throw new IllegalArgumentException("widthDivisor must be >= 1, was " + widthDivisor);
        }
    }

    /** Channels of a layer whose full-width count is {@code full}. */
    public int width(int full) {
        return Math.max(4, full / widthDivisor);
    }

    /** Channels of the conv5 feature map that the heads read. */
    public int featureChannels() {
        return backbone == BackboneType.ALEXNET ? width(256) : width(512);
    }

    /** Total down-sampling factor of the conv5 feature map. */
    public int featureStride() {
        return 16;
    }

    /** Smallest input side the backbone accepts (one pool5 cell). */
    public int minInputSize() {
        return backbone == BackboneType.ALEXNET ? 67 : 32;
    }
}
