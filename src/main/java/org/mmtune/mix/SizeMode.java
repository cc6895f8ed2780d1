package org.mmtune.mix;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How patch sides are given: in pixels, or as fractions of each image's shorter side. */
public enum SizeMode {
    /** {@link MixConfig#minSize()}..{@link MixConfig#maxSize()} pixels, whatever the image size (the reference). */
    ABSOLUTE("absolute"),
    /**
     * {@link MixConfig#minFraction()}..{@link MixConfig#maxFraction()} of the shorter side of each image,
     * so patches cover the same share of a small image as of a large one.
     */
    RELATIVE("relative");

    private final String key;

    SizeMode(String key) {
        this.key = key;
    }

    @JsonValue
    public String key() {
        return key;
    }

    /** Parses {@code absolute} or {@code relative} (case-insensitive); null when unknown. */
    public static SizeMode parse(String s) {
        if (s == null) {
            return null;
        }
        String k = s.strip().toLowerCase(Locale.ROOT);
        for (SizeMode m : values()) {
            if (m.key.equals(k)) {
                return m;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return key;
    }
}
