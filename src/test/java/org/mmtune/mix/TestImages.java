package org.mmtune.mix;

import java.util.SplittableRandom;
import org.mmtune.data.Sample;

/** Synthetic labelled images for the mix tests. */
final class TestImages {

    static final int VOID = 255;

    private TestImages() {
    }

    /** An image whose labels are given by {@code f(x, y)} and whose colour encodes x and y. */
    static Sample of(String id, int w, int h, java.util.function.IntBinaryOperator f) {
        byte[] rgb = new byte[3 * w * h];
        byte[] lab = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                lab[i] = (byte) f.applyAsInt(x, y);
                rgb[3 * i] = (byte) (x * 7);
                rgb[3 * i + 1] = (byte) (y * 5);
                rgb[3 * i + 2] = (byte) (40 * (lab[i] & 0xFF));
            }
        }
        return new Sample(id, w, h, rgb, lab, VOID);
    }

    /** A street-like random scene: blocks of classes 0..k-1 with void specks. */
    static Sample scene(String id, int w, int h, int k, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int bw = 16 + r.nextInt(48);
        int bh = 16 + r.nextInt(48);
        int[][] cls = new int[h / bh + 1][w / bw + 1];
        for (int[] row : cls) {
            for (int j = 0; j < row.length; j++) {
                row[j] = r.nextInt(k);
            }
        }
        long s2 = r.nextLong();
        return of(id, w, h, (x, y) -> {
            long z = Seeds.mix64(s2 ^ (x * 31L + y * 131071L));
            return (z & 63) == 0 ? VOID : cls[y / bh][x / bw];
        });
    }
}
