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

    /**
     * The first line of the message of {@code t} or of its first cause that has one; the exception's
     * class name when none has.
     */
    public static String firstLine(Throwable t) {
        Throwable c = t;
        String msg = c.getMessage();
        while ((msg == null || msg.isBlank()) && c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
            msg = c.getMessage();
        }
        if (msg == null || msg.isBlank()) {
            msg = c.getClass().getSimpleName();
        }
        int nl = msg.indexOf('\n');
        return nl >= 0 ? msg.substring(0, nl) : msg;
    }
}
