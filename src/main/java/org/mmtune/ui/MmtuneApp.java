package org.mmtune.ui;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.mmtune.data.SampleData;
import org.mmtune.ui.bench.AutoDriver;
import org.mmtune.ui.bench.StallMonitor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workbench application: one window with a tab per view (see {@link WorkbenchViews}). Opens the
 * dataset given on the command line, else the last one opened, else the bundled sample data; the
 * PyTorch engine loads in the background meanwhile.
 */
public class MmtuneApp extends Application {

    private static final Logger LOG = LoggerFactory.getLogger(MmtuneApp.class);

    static volatile int exitCode = 0;

    private StallMonitor stallMonitor;

    @Override
    public void start(Stage stage) {
        if (WorkbenchLauncher.stallMonitor || WorkbenchLauncher.mode == WorkbenchLauncher.Mode.BENCH) {
            stallMonitor = StallMonitor.start(5, "start-up and opening the dataset");
        }
        WorkbenchContext ctx = new WorkbenchContext();
        ctx.setWindow(stage);
        WorkbenchLauncher.Mode mode = WorkbenchLauncher.mode;
        boolean automatic = mode != WorkbenchLauncher.Mode.INTERACTIVE;
        Settings settings = new Settings();
        Workbench wb = new Workbench(ctx, settings, WorkbenchViews.all());
        Scene scene = new Scene(wb, 1400, 900);
        stage.setTitle("mmtune workbench");
        stage.setScene(scene);
        ctx.datasetProperty().addListener((o, a, ds) ->
                stage.setTitle(ds == null ? "mmtune workbench" : "mmtune workbench: " + ds.name() + " (" + ds.root() + ")"));
        if (automatic) {
            stage.setWidth(1400);
            stage.setHeight(900);
        } else {
            settings.restoreWindow(stage);
            int tab = settings.lastTab();
            if (tab >= 0 && tab < wb.tabs().getTabs().size()) {
                wb.tabs().getSelectionModel().select(tab);
            }
            stage.setOnCloseRequest(e -> {
                if (!wb.confirmClose(stage)) {
                    e.consume();
                    return;
                }
                settings.saveWindow(stage, wb.tabs().getSelectionModel().getSelectedIndex());
                wb.exiting();
                Platform.exit();
            });
        }
        stage.show();
        if (!automatic) {
            wb.applyCss();
            wb.layout();
            settings.restoreDividers(wb);
        }
        EngineStatus.loadInBackground(ctx);

        Optional<Path> dataset = initialDataset(settings, automatic);
        if (dataset.isPresent()) {
            ctx.openDataset(dataset.get());
        } else {
            ctx.report("No dataset: use File ▸ Open Dataset Folder (Ctrl+O)");
        }
        Path run = WorkbenchLauncher.requestedRun;
        if (run != null) {
            ctx.runDirProperty().set(run.toAbsolutePath().normalize());
        }
        if (automatic) {
            new AutoDriver(ctx, wb, stage, mode, WorkbenchLauncher.snapshotDir, WorkbenchLauncher::addReport, code -> {
                exitCode = code;
                Platform.exit();
            }).start();
        }
    }

    @Override
    public void stop() {
        if (stallMonitor != null) {
            stallMonitor.stop();
            List<String> lines = stallMonitor.report();
            for (String line : lines) {
                LOG.info("FX stall monitor: {}", line);
                WorkbenchLauncher.addReport("FX stall monitor: " + line);
            }
        }
    }

    private static Optional<Path> initialDataset(Settings settings, boolean automatic) {
        Path requested = WorkbenchLauncher.requestedDataset;
        if (requested != null) {
            return Optional.of(requested);
        }
        if (!automatic) {
            List<Path> recent = settings.recentDatasets();
            if (!recent.isEmpty() && Files.isDirectory(recent.get(0))) {
                LOG.info("reopening last dataset {}", recent.get(0));
                return Optional.of(recent.get(0));
            }
        }
        return SampleData.locate();
    }
}
