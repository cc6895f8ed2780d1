package org.mmtune.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How long commands show progress on stderr: {@code bar} redraws one line with carriage returns (for a
 * terminal), {@code lines} prints plain self-contained lines now and then (for log files), {@code none}
 * prints no progress, {@code auto} picks {@code bar} when stderr is a terminal, else {@code lines}.
 * Chosen by the global {@code --progress} option, whose default comes from {@code MMTUNE_PROGRESS}.
 */
public enum ProgressMode {
    AUTO, BAR, LINES, NONE;

    /** The environment variable that sets the default of {@code --progress}. */
    public static final String VARIABLE = "MMTUNE_PROGRESS";

    /** BAR, LINES or NONE: {@code AUTO} decided by whether stderr is a terminal. */
    public ProgressMode resolve() {
        return this != AUTO ? this : stderrIsTerminal() ? BAR : LINES;
    }

    /** The mode named by {@code MMTUNE_PROGRESS}, or AUTO when it is unset or not a mode. */
    static ProgressMode fromEnvironment() {
        String v = System.getenv(VARIABLE);
        if (v == null || v.isBlank()) {
            return AUTO;
        }
        try {
            return valueOf(v.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return AUTO;
        }
    }

    /**
     * Whether this process's stderr is an interactive terminal: on Linux from what file descriptor 2
     * points at ({@code /dev/pts/N}, {@code /dev/ttyN}); elsewhere {@code System.console() != null}
     * (stdin and stdout are a terminal). {@code TERM=dumb} counts as no terminal.
     */
    static boolean stderrIsTerminal() {
        if ("dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        Path fd2 = Path.of("/proc/self/fd/2");
        try {
            return isTerminalDevice(Files.readSymbolicLink(fd2).toString());
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }

    /** Whether a file descriptor's target (as {@code /proc/self/fd/N} names it) is a terminal. */
    static boolean isTerminalDevice(String target) {
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
    }
}
