package org.mmtune.ui;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javafx.application.Application;

/** Starts the JavaFX workbench from the command line. */
public final class WorkbenchLauncher {

    /** How the window runs: interactive, writing snapshots, or measuring its speed. */
    public enum Mode { INTERACTIVE, SNAPSHOT, BENCH }

    static volatile Path requestedDataset;
    static volatile Path snapshotDir;
    static volatile Path requestedRun;
    static volatile Mode mode = Mode.INTERACTIVE;
    static volatile boolean stallMonitor;
    /** Lines for the command to print when the window has closed (written files, figures). */
    static final List<String> REPORT = new ArrayList<>();
    private static final java.util.logging.Logger JFX_LOG = java.util.logging.Logger.getLogger("javafx");

    private WorkbenchLauncher() {
    }

    /** Blocks until the window is closed; returns the exit code. */
    public static int launch(Path dataset, Path snapshots) {
        return launch(dataset, snapshots, snapshots == null ? Mode.INTERACTIVE : Mode.SNAPSHOT);
    }

    /** Blocks until the window is closed (or the snapshots/benchmark are done); returns the exit code. */
    public static int launch(Path dataset, Path snapshots, Mode how) {
        requestedDataset = dataset;
        snapshotDir = snapshots;
        mode = how;
        // JavaFX warns that it runs from the class path; that is how this jar is meant to run
        JFX_LOG.setLevel(java.util.logging.Level.SEVERE);
        Application.launch(MmtuneApp.class);
        return MmtuneApp.exitCode;
    }

    /**
     * Measure how long the FX thread is blocked while the window runs ({@code gui --stall-monitor}); the
     * figures are printed when it closes. The benchmark mode always measures.
     */
    public static void requestStallMonitor(boolean on) {
        stallMonitor = on;
    }

    /** A run folder to open with the window (null: none). */
    public static void requestRun(Path run) {
        requestedRun = run;
    }

    /** What the snapshot or benchmark mode wants printed (one line each). */
    public static List<String> report() {
        synchronized (REPORT) {
            return List.copyOf(REPORT);
        }
    }

    static void addReport(String line) {
        synchronized (REPORT) {
            REPORT.add(line);
        }
    }
}
