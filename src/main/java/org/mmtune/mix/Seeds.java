package org.mmtune.mix;

/** Derives independent seeds from (seed, batch, image) so results do not depend on thread scheduling. */
public final class Seeds {

    private Seeds() {
    }

    /** SplitMix64 finaliser: a well-mixed 64-bit hash. */
    public static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Seed of one image's sampling in one batch. */
    public static long imageSeed(long seed, long batch, int imageIndex) {
        long h = mix64(seed + 0x9E3779B97F4A7C15L);
        h = mix64(h ^ (batch * 0xC2B2AE3D27D4EB4FL + 0x165667B19E3779F9L));
        return mix64(h ^ ((long) imageIndex * 0xD6E8FEB86659FD93L + 0x27D4EB2F165667C5L));
    }

    /** Seed of a batch-level choice (which images, graph order), distinct per purpose. */
    public static long batchSeed(long seed, long batch, int purpose) {
        return imageSeed(seed ^ 0x5DEECE66DL, batch, -1 - purpose);
    }
}
