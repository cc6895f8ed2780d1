package org.mmtune.util;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** Plain words for I/O failures, for one-line messages that already name the file. */
public final class IoProblems {

    private IoProblems() {
    }

    /** "permission denied", "not found", "not a folder", "disk full", else the reason the system gave. */
    public static String describe(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "not found";
        }
        if (e instanceof NotDirectoryException) {
            return "not a folder";
        }
        String reason = e instanceof FileSystemException fse ? fse.getReason() : e.getMessage();
        if (reason == null || reason.isBlank()) {
            return e.getClass().getSimpleName();
        }
        if (reason.contains("No space left")) {
            return "disk full";
        }
        int nl = reason.indexOf('\n');
        return nl >= 0 ? reason.substring(0, nl) : reason;
    }
}
