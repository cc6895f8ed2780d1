package org.mmtune.util;

import java.util.Locale;

/** Recognises failures that need plain advice rather than the library's own words. */
public final class Failures {

    private Failures() {
    }

    /**
     * True when {@code t} (or a cause) is a failed memory allocation: a Java {@link OutOfMemoryError}, an
     * array size that overflowed, or the native engine (libtorch) refusing to allocate a tensor.
     */
    public static boolean isOutOfMemory(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof OutOfMemoryError || c instanceof NegativeArraySizeException) {
                return true;
            }
            String m = c.getMessage();
            if (m != null) {
                String s = m.toLowerCase(Locale.ROOT);
                if (s.contains("can't allocate memory") || s.contains("cannot allocate memory")
                        || s.contains("out of memory") || s.contains("bad_alloc")
                        || s.contains("not enough memory")) {
                    return true;
                }
            }
        }
        return false;
    }
}
