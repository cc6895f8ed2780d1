package org.mmtune.ui;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.controlsfx.control.StatusBar;
import org.mmtune.Environment;
import org.mmtune.data.ImagePair;
import org.mmtune.experiment.runs.RunSummary;
import org.mmtune.ui.common.Background;
import org.mmtune.ui.dataset.DatasetView;
import org.mmtune.ui.mix.MixResult;
import org.mmtune.ui.mix.MixView;
import org.mmtune.ui.train.TrainView;

/**
 * Test helper run in a child JVM without root's permission bypass (see {@code UnreadableWorkbenchTest}):
 * opens the whole workbench headless on a dataset folder and a run folder ({@code args[0]}, {@code args[1]}),
 * as {@code gui --dataset DS --run RUN} does, visits every view the way a user would (browse each image,
 * open Mix, Train and Results) and prints what the views show, one {@code KEY text} line each, for the
 * parent test to check. Any exception reaching a thread's top is printed as one {@code UNCAUGHT} line.
 */
public final class UnreadableWorkbenchMain {

    private static final List<String> STATUS = new CopyOnWriteArrayList<>();

    private UnreadableWorkbenchMain() {
    }

    public static void main(String[] args) throws Exception {
        Environment.configure();
        // as WorkbenchLauncher does: JavaFX warns that it runs from the class path, which is how mmtune runs
        java.util.logging.Logger.getLogger("javafx").setLevel(java.util.logging.Level.SEVERE);
        Path dataset = Path.of(args[0]);
        Path run = Path.of(args[1]);
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> System.out.println("UNCAUGHT " + t.getName() + ": " + e));
        WorkbenchContext ctx = new WorkbenchContext();
        Workbench[] holder = new Workbench[1];
        CompletableFuture<Void> shown = new CompletableFuture<>();
        Platform.startup(() -> {
            Stage stage = new Stage();
            Workbench wb = new Workbench(ctx, new Settings(), WorkbenchViews.all());
            holder[0] = wb;
            stage.setScene(new Scene(wb, 1400, 900));
            stage.show();
            ctx.setWindow(stage);
            // everything the status bar shows, in order (it may change faster than anyone reads it)
            ctx.messageProperty().addListener((o, a, m) -> STATUS.add(m));
            ctx.openDataset(dataset);
            ctx.runDirProperty().set(run.toAbsolutePath().normalize());
            shown.complete(null);
        });
        shown.get(60, TimeUnit.SECONDS);
        Workbench wb = holder[0];
        await(() -> fx(() -> ctx.dataset() != null || !ctx.loadingProperty().get()), 60);
        awaitIdle();
        System.out.println("DATASET " + fx(() -> ctx.dataset() == null ? "none" : ctx.dataset().name()));

        // Dataset view: the problems list once the check has run, then every image browsed
        DatasetView dv = (DatasetView) wb.view("Dataset").orElseThrow();
        @SuppressWarnings("unchecked")
        ListView<String> problems = (ListView<String>) fx(() -> wb.lookup("#problems-list"));
        await(() -> fx(() -> !problems.getItems().isEmpty() && !problems.getItems().get(0).startsWith("checking")), 60);
        for (String line : fx(() -> List.copyOf(problems.getItems()))) {
            System.out.println("PROBLEM " + line);
        }
        List<ImagePair> pairs = fx(() -> List.copyOf(dv.viewModel().pairs()));
        for (ImagePair p : pairs) {
            fx(() -> {
                dv.viewModel().selectedProperty().set(p);
                return null;
            });
            await(() -> fx(() -> !dv.viewModel().imageInfoProperty().get().endsWith("(loading…)")), 30);
            awaitIdle();
            System.out.println("BROWSE " + p.id() + " | shown " + fx(() -> dv.viewModel().imageProperty().get() != null)
                    + " | " + fx(() -> dv.viewModel().imageInfoProperty().get()));
        }

        // Mix view: samples the readable images
        select(wb, "Mix");
        MixView mix = (MixView) wb.view("Mix").orElseThrow();
        await(() -> fx(() -> mix.viewModel().resultProperty().get() != null), 60);
        awaitIdle();
        MixResult r = fx(() -> mix.viewModel().resultProperty().get());
        System.out.println("MIX images " + r.batch().imageIndices().length + " | patches " + r.batch().patches().size()
                + " | skipped " + r.skipped().size());
        System.out.println("MIXMSG " + fx(() -> mix.viewModel().messageProperty().get()));

        // Train view: follows the run folder
        select(wb, "Train");
        TrainView train = (TrainView) wb.view("Train").orElseThrow();
        await(() -> fx(() -> train.viewModel().updatesProperty().get() > 0), 30);
        awaitIdle();
        System.out.println("TRAIN " + fx(() -> train.viewModel().followedStateProperty().get()));

        // Results view: the runs list and the comparison of the opened run
        select(wb, "Results");
        awaitIdle();
        @SuppressWarnings("unchecked")
        TableView<RunSummary> runs = (TableView<RunSummary>) fx(() -> wb.lookup("#results-runs"));
        await(() -> fx(() -> !runs.getItems().isEmpty()), 30);
        for (RunSummary s : fx(() -> List.copyOf(runs.getItems()))) {
            System.out.println("RUN " + s.name() + " | " + s.problem());
        }
        for (String m : STATUS) {
            System.out.println("STATUS " + m);
        }
        System.out.println("STATUSBAR " + fx(() -> ((StatusBar) wb.lookup("#status-bar")).getText()));
        System.out.println("END");
        System.out.flush();
        Platform.runLater(() -> {
            wb.exiting();
            Platform.exit();
        });
        Thread.sleep(500);
        System.exit(0);
    }

    private static void select(Workbench wb, String view) throws Exception {
        fx(() -> {
            for (int i = 0; i < wb.specs().size(); i++) {
                if (wb.specs().get(i).name().equals(view)) {
                    wb.tabs().getSelectionModel().select(i);
                }
            }
            return null;
        });
        awaitIdle();
    }

    private static <T> T fx(Callable<T> c) throws Exception {
        return Background.callAndWait(c);
    }

    private interface Check {
        boolean get() throws Exception;
    }

    private static void await(Check done, int seconds) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!done.get()) {
            if (System.nanoTime() > end) {
                System.out.println("TIMEOUT after " + seconds + " s");
                System.out.flush();
                System.exit(3);
            }
            Thread.sleep(50);
        }
    }

    /** Waits until no background job is pending for three polls in a row. */
    private static void awaitIdle() throws Exception {
        int[] quiet = {0};
        await(() -> {
            quiet[0] = fx(() -> Background.busyProperty().get()) == 0 ? quiet[0] + 1 : 0;
            return quiet[0] >= 3;
        }, 60);
    }
}
