package org.mmtune.ui.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import org.mmtune.ui.SnapshotAware;
import org.mmtune.ui.ViewSpec;
import org.mmtune.ui.Workbench;
import org.mmtune.ui.WorkbenchContext;
import org.mmtune.ui.WorkbenchLauncher;
import org.mmtune.ui.common.Background;
import org.mmtune.ui.common.Images;
import org.mmtune.ui.match.MatchView;
import org.mmtune.ui.mix.MixView;
import org.mmtune.ui.train.TrainView;
import org.mmtune.util.UserMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives the window without a user, on its own thread: {@code gui --snapshot-dir} (select each view,
 * wait until it has settled, write it as PNG, exit) and {@code gui --bench} (measure each view that has a
 * bench here: {@link MixBench}, {@link MatchBench}, {@link TrainFollowBench}; print the figures, exit).
 */
public final class AutoDriver extends Thread {

    private static final Logger LOG = LoggerFactory.getLogger(AutoDriver.class);

    private final WorkbenchContext ctx;
    private final Workbench wb;
    private final Stage stage;
    private final WorkbenchLauncher.Mode mode;
    private final Path dir;
    private final Consumer<String> report;
    private final IntConsumer exit;

    /**
     * @param report takes the lines the command prints when the window has closed ("error: ..." for a failure)
     * @param exit   called on the FX thread with the exit code when the work is done
     */
    public AutoDriver(WorkbenchContext ctx, Workbench wb, Stage stage, WorkbenchLauncher.Mode mode, Path dir,
                      Consumer<String> report, IntConsumer exit) {
        super("mmtune-auto-driver");
        setDaemon(true);
        this.ctx = ctx;
        this.wb = wb;
        this.stage = stage;
        this.mode = mode;
        this.dir = dir;
        this.report = report;
        this.exit = exit;
    }

    @Override
    public void run() {
        int code = 0;
        try {
            awaitDataset();
            if (mode == WorkbenchLauncher.Mode.SNAPSHOT) {
                snapshots();
            } else {
                bench();
            }
        } catch (Exception e) {
            LOG.debug("automatic run failed", e);
            report.accept("error: " + UserMessages.describe(e));
            code = 1;
        }
        int c = code;
        Platform.runLater(() -> exit.accept(c));
    }

    private void awaitDataset() throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < end) {
            Boolean done = fx(() -> ctx.dataset() != null || (!ctx.loadingProperty().get()
                    && Background.busyProperty().get() == 0));
            if (done) {
                break;
            }
            Thread.sleep(100);
        }
        LOG.info("dataset ready: {}", fx(ctx::dataset) != null);
        if (fx(ctx::dataset) == null) {
            throw new IllegalStateException(fx(() -> ctx.messageProperty().get()));
        }
    }

    private void snapshots() throws Exception {
        long started = System.nanoTime();
        Files.createDirectories(dir);
        // the status bar should show the engine's real state, so give it a moment to finish loading
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < end && !fx(() -> ctx.engineReadyProperty().get()
                || !ctx.engineStateProperty().get().contains("loading"))) {
            Thread.sleep(100);
        }
        List<ViewSpec> specs = wb.specs();
        for (int i = 0; i < specs.size(); i++) {
            int index = i;
            Node view = wb.views().get(i);
            fx(() -> {
                wb.tabs().getSelectionModel().select(index);
                if (view instanceof SnapshotAware sa) {
                    sa.prepareSnapshot();
                }
                return null;
            });
            awaitIdle(60);
            if (view instanceof SnapshotAware sa) {
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!fx(sa::readyForSnapshot) && System.nanoTime() < until) {
                    Thread.sleep(100);
                }
                awaitIdle(60);
            }
            Thread.sleep(300);
            WritableImage img = fx(() -> stage.getScene().snapshot(null));
            LOG.info("snapshot of {} after {} ms", specs.get(i).name(), (System.nanoTime() - started) / 1_000_000);
            Path file = dir.resolve(specs.get(i).name().toLowerCase().replace(' ', '-') + ".png");
            Images.writePng(img, file);
            report.accept("wrote " + file);
        }
    }

    private void bench() throws Exception {
        // the engine's start-up work would pollute the CPU figures: let it finish first
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < until && fx(() -> ctx.engineStateProperty().get().contains("loading"))) {
            Thread.sleep(100);
        }
        awaitIdle(60);
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        report.accept(String.format("machine: %d cores, load average %.1f at start; JavaFX pipeline %s",
                os.getAvailableProcessors(), os.getSystemLoadAverage(),
                System.getProperty("prism.order", "default") + (com.sun.prism.GraphicsPipeline.getPipeline() == null
                        ? "" : " → " + com.sun.prism.GraphicsPipeline.getPipeline().getClass().getSimpleName())));
        for (int i = 0; i < wb.views().size(); i++) {
            Callable<List<String>> b = benchOf(wb.views().get(i));
            if (b != null) {
                int index = i;
                fx(() -> {
                    wb.tabs().getSelectionModel().select(index);
                    return null;
                });
                awaitIdle(60);
                StallMonitor.phaseIfRunning(wb.specs().get(i).name() + " view (bench)");
                for (String line : b.call()) {
                    report.accept(wb.specs().get(i).name() + ": " + line);
                }
            }
        }
        reopen();
    }

    /**
     * Opens the bundled sample data and then the benchmarked dataset again, on the Dataset view, as a user
     * switching datasets would: the stall monitor reports these warm openings apart from the cold first one.
     */
    private void reopen() throws Exception {
        Path first = fx(() -> ctx.datasetPathProperty().get());
        java.util.Optional<Path> sample = org.mmtune.data.SampleData.locate();
        if (first == null) {
            return;
        }
        fx(() -> {
            wb.tabs().getSelectionModel().select(0);
            return null;
        });
        awaitIdle(60);
        List<Path> order = new java.util.ArrayList<>();
        sample.filter(p -> !p.toAbsolutePath().normalize().equals(first)).ifPresent(order::add);
        order.add(first);
        for (Path p : order) {
            long t0 = System.nanoTime();
            fx(() -> {
                ctx.openDataset(p);
                return null;
            });
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < until && !fx(() -> p.toAbsolutePath().normalize().equals(ctx.datasetPathProperty().get()))) {
                Thread.sleep(20);
            }
            Node view = wb.views().get(0);
            while (System.nanoTime() < until && view instanceof SnapshotAware sa && !fx(sa::readyForSnapshot)) {
                Thread.sleep(20);
            }
            awaitIdle(60);
            report.accept(String.format("Dataset: opening %s again (warm) until its view is ready: %.0f ms",
                    p.getFileName(), (System.nanoTime() - t0) / 1e6));
        }
    }

    /** The benchmark of a view, or null when it has none. */
    private Callable<List<String>> benchOf(Node view) {
        if (view instanceof MixView v) {
            return () -> MixBench.run(this, v);
        }
        if (view instanceof MatchView v) {
            return () -> MatchBench.run(this, v);
        }
        if (view instanceof TrainView v) {
            return () -> TrainFollowBench.run(this, v);
        }
        return null;
    }

    /** Runs {@code c} on the FX thread and waits for its result. */
    public <T> T fx(Callable<T> c) throws Exception {
        return Background.callAndWait(c);
    }

    /** Waits until no background job or debounce is pending for three polls in a row. */
    public void awaitIdle(int seconds) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        int quiet = 0;
        while (System.nanoTime() < end && quiet < 3) {
            quiet = fx(() -> Background.busyProperty().get()) == 0 ? quiet + 1 : 0;
            Thread.sleep(50);
        }
    }

    public WorkbenchContext context() {
        return ctx;
    }
}
