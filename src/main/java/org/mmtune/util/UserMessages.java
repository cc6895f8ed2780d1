package org.mmtune.util;

import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/** Turns exceptions into one plain line for the user. */
public final class UserMessages {

    private UserMessages() {
    }

    public static String describe(Throwable ex) {
        Throwable t = ex;
        if (t instanceof NoSuchFileException nsf) {
            return nsf.getFile() + ": no such file";
        }
        if (t instanceof AccessDeniedException ade) {
            return ade.getFile() + ": permission denied";
        }
        if (Failures.isOutOfMemory(t)) {
            return "out of memory: try a smaller batch, crop or image size (or a larger backbone.widthDivisor)";
        }
        return Failures.firstLine(t);
    }
}
