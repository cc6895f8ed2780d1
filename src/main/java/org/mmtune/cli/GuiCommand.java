package org.mmtune.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.mmtune.ui.WorkbenchLauncher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Opens the workbench window (the default when mmtune is started with no command). */
@Command(name = "gui", mixinStandardHelpOptions = true,
        description = "Open the workbench (on the last dataset opened, else the bundled sample data, "
                + "unless --dataset is given).")
public final class GuiCommand implements Callable<Integer>, LoadsLibtorch {

    @Option(names = "--dataset", paramLabel = "PATH", description = "Dataset folder to open.")
    Path dataset;

    @Option(names = "--snapshot-dir", paramLabel = "DIR",
            description = "Open each view, write one PNG per view into DIR, then exit.")
    Path snapshotDir;

    @Option(names = "--runs-dir", paramLabel = "DIR",
            description = "Folder the Train view writes new runs to and the Results view lists (default: ./runs).")
    Path runsDir;

    @Option(names = "--run", paramLabel = "DIR",
            description = "Run folder to open (as File > Open Run): the Train and Results views follow it and the "
                    + "Match view uses its checkpoint's embeddings.")
    Path run;

    @Option(names = "--bench",
            description = "Measure the views' interactive speed (resample to visible, graph redraw, "
                    + "grid scrolling), print the figures, then exit.")
    boolean bench;

    @Option(names = "--stall-monitor",
            description = "Debug: measure how long the FX thread is blocked (ping every 5 ms) and print the worst "
                    + "stall and percentiles per view when the window closes (always on with --bench).")
    boolean stallMonitor;

    @Override
    public void validate() {
        if (bench && snapshotDir != null) {
            throw new IllegalArgumentException("--bench and --snapshot-dir cannot be combined");
        }
        if (run != null && !java.nio.file.Files.isDirectory(run)) {
            throw new IllegalArgumentException(run + ": no such run folder");
        }
    }

    // The Match view runs checkpoints in this process, so the oneDNN ISA is set before the window opens (LoadsLibtorch).
    @Override
    public Integer call() {
        if (runsDir != null) {
            System.setProperty("mmtune.runsDir", runsDir.toAbsolutePath().toString());
        }
        WorkbenchLauncher.requestRun(run);
        WorkbenchLauncher.requestStallMonitor(stallMonitor);
        WorkbenchLauncher.Mode mode = bench ? WorkbenchLauncher.Mode.BENCH
                : snapshotDir != null ? WorkbenchLauncher.Mode.SNAPSHOT : WorkbenchLauncher.Mode.INTERACTIVE;
        int code = WorkbenchLauncher.launch(dataset, snapshotDir, mode);
        for (String line : WorkbenchLauncher.report()) {
            if (line.startsWith("error: ")) {
                System.err.println("mmtune: " + line.substring("error: ".length()));
            } else {
                System.out.println(line);
            }
        }
        return code;
    }
}
