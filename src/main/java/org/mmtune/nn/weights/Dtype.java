package org.mmtune.nn.weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;

/**
 * The element types a weights file may store for floating-point tensors, all converted to float32 on reading.
 * Other types (integers, booleans, complex) are not weights and are refused by the readers, except the
 * batch-norm counters {@code num_batches_tracked}, which they skip.
 */
public enum Dtype {
    FLOAT32(4), FLOAT16(2), BFLOAT16(2), FLOAT64(8);

    private final int bytes;

    Dtype(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Decodes {@code count} elements at the buffer's position (the buffer's byte order is used). */
    public float[] decode(ByteBuffer buf, int count) {
        float[] out = new float[count];
        switch (this) {
            case FLOAT32 -> buf.asFloatBuffer().get(out);
            case FLOAT64 -> {
                java.nio.DoubleBuffer d = buf.asDoubleBuffer();
                for (int i = 0; i < count; i++) {
                    out[i] = (float) d.get(i);
                }
            }
            case FLOAT16 -> {
                java.nio.ShortBuffer s = buf.asShortBuffer();
                for (int i = 0; i < count; i++) {
                    out[i] = halfToFloat(s.get(i));
                }
            }
            case BFLOAT16 -> {
                java.nio.ShortBuffer s = buf.asShortBuffer();
                for (int i = 0; i < count; i++) {
                    out[i] = Float.intBitsToFloat((s.get(i) & 0xFFFF) << 16);
                }
            }
            default -> throw new IllegalStateException();
        }
        return out;
    }

    /** Decodes little-endian bytes. */
    public float[] decodeLittleEndian(byte[] bytes, int offset, int count) {
        return decode(ByteBuffer.wrap(bytes, offset, count * this.bytes).slice().order(ByteOrder.LITTLE_ENDIAN), count);
    }

    /** IEEE 754 binary16 to float (exact: every half is a float). */
    static float halfToFloat(short h) {
        int bits = h & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1F;
        int mant = bits & 0x3FF;
        if (exp == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        }
        if (exp == 0) {
            if (mant == 0) {
                return Float.intBitsToFloat(sign);
            }
            float v = mant * 0x1p-24f; // subnormal half: mant · 2^-24
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }
}
