package org.mmtune.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.mmtune.ui.WorkbenchLauncher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Opens the workbench window (the default when mmtune is started with no command). */
@Command(name = "gui", mixinStandardHelpOptions = true,
        description = "Open the workbench (on the bundled sample data unless --dataset is given).")
public final class GuiCommand implements Callable<Integer> {

    @Option(names = "--dataset", paramLabel = "PATH", description = "Dataset folder to open.")
    Path dataset;

    @Option(names = "--snapshot-dir", paramLabel = "DIR",
            description = "Open each view, write one PNG per view into DIR, then exit.")
    Path snapshotDir;

    @Override
    public Integer call() {
        return WorkbenchLauncher.launch(dataset, snapshotDir);
    }
}
