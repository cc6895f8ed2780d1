package org.mmtune.nn;

/**
 * What network to build: backbone and width divisor (every channel count is divided by it; 1 = the paper's
 * width, 4 = the CPU default).
 *
 * <p>A divided count above 8 is rounded up to a multiple of 8: libtorch 2.7.1's oneDNN convolution kernels
 * for AVX and AVX2 (the ISA mmtune runs with, see {@code train.KernelCheck}) read the padding of their
 * 8-channel blocks without zeroing it, so a convolution whose <em>input</em> has more than 8 channels and
 * not a multiple of 8 (e.g. 12 at divisor 8) returns NaN whenever that memory happens to hold a NaN. Measured
 * here: every input channel count from 9 to 71 that is not a multiple of 8 gave NaN outputs and gradients
 * after NaN-filled temporaries were freed, multiples of 8 and counts up to 8 never did, output channel
 * counts do not matter. Divisors 1, 2 and 4 give the same counts as before.
 */
public record NetSpec(BackboneType backbone, int widthDivisor) {

    public NetSpec {
        if (widthDivisor < 1) {
            throw new IllegalArgumentException("widthDivisor must be >= 1, was " + widthDivisor);
        }
    }

    /** Channels of a layer whose full-width count is {@code full}: divided, at least 4, above 8 a multiple of 8. */
    public int width(int full) {
        int c = Math.max(4, full / widthDivisor);
        return c <= 8 ? c : (c + 7) / 8 * 8;
    }

    /**
     * Channels of a layer of {@link BackboneType#ALEXNET_REF}, whose grouped convolutions (2 groups) read half
     * of them per group: as {@link #width}, rounded up to an even count, and above 16 to a multiple of 16 so that each group's count keeps the
     * rule above. The paper's width (divisor 1) and divisor 2 are unchanged; divisor 4 turns conv1's 24 into 32.
     */
    public int groupedWidth(int full) {
        int c = width(full);
        return c <= 16 ? c + (c & 1) : (c + 15) / 16 * 16;
    }

    /** Channels of the conv5 feature map that the heads read. */
    public int featureChannels() {
        return switch (backbone) {
            case ALEXNET -> width(256);
            case ALEXNET_REF -> groupedWidth(256);
            case VGG16 -> width(512);
        };
    }

    /** Total down-sampling factor of the conv5 feature map. */
    public int featureStride() {
        return 16;
    }

    /**
     * Smallest input side the backbone accepts (one pool5 cell). For alexnet-ref (conv1 pad 5, ceil-mode
     * pooling) a side of 45 gives a 3×3 conv5 map, one full pool5 window.
     */
    public int minInputSize() {
        return switch (backbone) {
            case ALEXNET -> 67;
            case ALEXNET_REF -> 45;
            case VGG16 -> 32;
        };
    }
}
