package org.mmtune.ui;

/**
 * Optional for a view node: lets {@code gui --snapshot-dir} (and the tests) prepare the view and wait
 * until it shows something meaningful before the picture is taken.
 */
public interface SnapshotAware {

    /** Called on the FX thread when the snapshot mode selects this view. */
    default void prepareSnapshot() {
    }

    /** True once the view has settled (polled on the FX thread). */
    default boolean readyForSnapshot() {
        return true;
    }
}
