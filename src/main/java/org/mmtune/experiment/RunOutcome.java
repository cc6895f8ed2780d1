package org.mmtune.experiment;

import org.mmtune.eval.EvalResult;

/** How a run ended: state finished / cancelled / failed, a one-line message, and the results if evaluated. */
public record RunOutcome(String state, String message, EvalResult results) {

    public boolean finished() {
        return "finished".equals(state);
    }
}
