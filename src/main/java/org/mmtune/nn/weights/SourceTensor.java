package org.mmtune.nn.weights;

import java.util.Arrays;

/**
 * One named tensor read from a weights file made by another framework: its name as the file spells it
 * (after the reader's normalisation, see {@link WeightReader}), its shape and its values as float32 in
 * row-major (C) order.
 */
public record SourceTensor(String name, long[] shape, float[] data) {

    public SourceTensor {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " holds " + n
                    + " values, got " + data.length);
        }
        shape = shape.clone();
    }

    /** The number of values. */
    public int size() {
        return data.length;
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
