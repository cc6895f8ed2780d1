package org.mmtune.experiment.runs;

import java.util.Locale;

/** The life-cycle states a run folder's {@code status.json} can report. */
public enum RunState {
    RUNNING, FINISHED, FAILED, CANCELLED,
    /** status.json says running but the process that wrote it is gone (killed, crashed, machine rebooted). */
    STALLED,
    /** No status.json (yet). */
    UNKNOWN;

    public static RunState parse(String s) {
        if (s == null) {
            return UNKNOWN;
        }
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
    }

    public boolean isTerminal() {
        return this == FINISHED || this == FAILED || this == CANCELLED || this == STALLED;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
