package org.mmtune.train;

/** How a stage ended. */
public enum StageOutcome {
    FINISHED, CANCELLED, FAILED
}
