package org.mmtune.nn;

/**
 * The one input normalisation of every stage: gray (BT.601 luma, 0..255) mapped to
 * {@code (g/255 − 0.45) / 0.25}; zero padding therefore means "mid gray".
 */
public final class InputNorm {

    private InputNorm() {
    }

    private static final float[] TABLE = new float[256];

    static {
        for (int i = 0; i < 256; i++) {
            TABLE[i] = (i / 255f - 0.45f) / 0.25f;
        }
    }

    public static float of(byte gray) {
        return TABLE[gray & 0xFF];
    }

    /** Normalises a whole gray plane into {@code dst} at {@code offset}. */
    public static void normalize(byte[] gray, float[] dst, int offset) {
        for (int i = 0; i < gray.length; i++) {
            dst[offset + i] = TABLE[gray[i] & 0xFF];
        }
    }
}
