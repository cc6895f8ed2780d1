package org.mmtune.util;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process's own environment as native libraries see it (libc {@code setenv}/{@code getenv} through
 * JNA). Java's {@link System#getenv} is a copy taken at start and never sees these changes, and child
 * processes started with {@link ProcessBuilder} get that copy, not this one. Used to set variables that a
 * native library reads with {@code getenv} before it first needs them (e.g. oneDNN's
 * {@code ONEDNN_MAX_CPU_ISA}, read at its first dispatch). POSIX only; elsewhere {@link #set} returns false.
 */
public final class NativeEnv {

    private static final Logger LOG = LoggerFactory.getLogger(NativeEnv.class);

    private interface CLib extends Library {
        int setenv(String name, String value, int overwrite);

        String getenv(String name);
    }

    private static final CLib C = load();

    private NativeEnv() {
    }

    private static CLib load() {
        if (Platform.isWindows()) {
            return null;
        }
        try {
            return Native.load(Platform.C_LIBRARY_NAME, CLib.class);
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("no libc for setenv", e);
            return null;
        }
    }

    /** Sets {@code name=value} in this process's native environment; false when that is not possible here. */
    public static boolean set(String name, String value) {
        if (C == null) {
            return false;
        }
        try {
            return C.setenv(name, value, 1) == 0;
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("setenv {} failed", name, e);
            return false;
        }
    }

    /** The variable as native code sees it now (null when unset or not readable). */
    public static String get(String name) {
        if (C == null) {
            return System.getenv(name);
        }
        try {
            return C.getenv(name);
        } catch (RuntimeException | LinkageError e) {
            return System.getenv(name);
        }
    }
}
