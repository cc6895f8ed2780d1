package org.mmtune.ui;

import javafx.stage.Window;

/**
 * Optional for a view node: asked before the window closes (e.g. the Train view while a job runs). Return
 * false to keep the window open.
 */
public interface CloseGuard {

    /** Called on the FX thread when the user closes the window; may show a dialog. */
    boolean confirmClose(Window owner);

    /** Called when the application is about to exit anyway (after every guard agreed). */
    default void onExit() {
    }
}
