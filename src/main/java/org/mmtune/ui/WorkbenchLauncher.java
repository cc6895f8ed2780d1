package org.mmtune.ui;

import java.nio.file.Path;
import javafx.application.Application;

/** Starts the JavaFX workbench from the command line. */
public final class WorkbenchLauncher {

    static volatile Path requestedDataset;
    static volatile Path snapshotDir;

    private WorkbenchLauncher() {
    }

    /** Blocks until the window is closed; returns the exit code. */
    public static int launch(Path dataset, Path snapshots) {
        requestedDataset = dataset;
        snapshotDir = snapshots;
        Application.launch(MmtuneApp.class);
        return MmtuneApp.exitCode;
    }
}
