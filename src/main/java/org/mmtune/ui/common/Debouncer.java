package org.mmtune.ui.common;

import javafx.animation.PauseTransition;
import javafx.util.Duration;

/**
 * Calls an action once, a short delay after the last of a burst of triggers (FX thread). While a call
 * is pending it counts as busy in {@link Background#busyProperty()}.
 */
public final class Debouncer {

    private final PauseTransition pause;
    private boolean pending;

    public Debouncer(Duration delay, Runnable action) {
        pause = new PauseTransition(delay);
        pause.setOnFinished(e -> {
            if (pending) {
                pending = false;
                Background.pending(-1);
            }
            action.run();
        });
    }

    /** (Re)starts the delay. */
    public void trigger() {
        if (!pending) {
            pending = true;
            Background.pending(+1);
        }
        pause.playFromStart();
    }
}
