package org.mmtune.ui.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.concurrent.Worker;
import javafx.scene.Scene;
import javafx.scene.control.ComboBox;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mmtune.data.DatasetLoader;
import org.mmtune.data.SampleData;
import org.mmtune.experiment.runs.RunResults;
import org.mmtune.experiment.runs.RunState;
import org.mmtune.experiment.runs.RunStatus;
import org.mmtune.experiment.runs.RunSummary;
import org.mmtune.ui.TestContexts;
import org.mmtune.ui.WorkbenchContext;
import org.mmtune.ui.common.Images;
import org.mmtune.ui.results.ResultsView;
import org.mmtune.ui.results.ResultsViewModel;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The real thing, end to end: the `quick` preset started from the Train view on the sample data (each job
 * a child `mmtune train` process), progress and the loss chart moving, a second run queued behind it, a
 * third cancelled while it trains, and the finished runs opened and compared in the Results view. The
 * test shrinks the preset's iterations so the whole test stays short.
 */
@ExtendWith(ApplicationExtension.class)
class TrainRunTest {

    @TempDir
    static Path runs;

    private WorkbenchContext ctx;
    private TrainView train;
    private ResultsView results;
    private TabPane tabs;

    @BeforeAll
    static void noEngineInTheUi() {
        System.setProperty("mmtune.engine", "off");
        System.setProperty("mmtune.childXmx", "1g");
    }

    @Start
    void start(Stage stage) throws Exception {
        System.setProperty("mmtune.runsDir", runs.toString());
        ctx = new WorkbenchContext();
        Path sample = SampleData.locate().orElseThrow();
        TestContexts.setDataset(ctx, DatasetLoader.open(sample), sample);
        train = new TrainView(ctx);
        results = new ResultsView(ctx);
        tabs = new TabPane(new javafx.scene.control.Tab("Train", train), new javafx.scene.control.Tab("Results", results));
        stage.setScene(new Scene(tabs, 1260, 780));
        stage.show();
    }

    /** The quick preset with every stage cut to a few iterations on a few images. */
    private static void shrink(ObjectNode c) {
        c.put("maxTrainImages", 6);
        c.put("maxValImages", 3);
        ObjectNode proxy = (ObjectNode) c.get("proxy");
        proxy.put("iterations", 4);
        proxy.put("batchSize", 2);
        ObjectNode mm = (ObjectNode) c.get("mm");
        mm.put("iterations", 8);
        mm.put("imagesPerBatch", 4);
        mm.put("patchesPerImage", 4);
        mm.put("embeddingsEvery", 2);
        ObjectNode ft = (ObjectNode) c.get("finetune");
        ft.put("iterations", 6);
        ft.put("batchSize", 2);
        ft.put("evalEvery", 3);
        ft.put("evalImages", 2);
    }

    @Test
    void runsTheQuickPresetFollowsItCancelsAJobAndComparesRuns(FxRobot robot) throws Exception {
        TrainViewModel vm = train.viewModel();
        // start from the preset, chosen in the form's preset box
        robot.interact(() -> robot.lookup("#train-preset").queryAs(ComboBox.class).getSelectionModel().select("quick"));
        assertThat(vm.configNameProperty().get()).isEqualTo("quick");
        WaitForAsyncUtils.waitForFxEvents();
        // the form holds every setting, defaults included (stages on/off, margin, strategy)
        ObjectNode loaded = vm.configProperty().get();
        assertThat(loaded.get("mm").get("enabled").asBoolean()).isTrue();
        assertThat(loaded.get("mm").get("margin").asDouble()).isEqualTo(2.1, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(loaded.get("mm").get("strategy").asText()).isEqualTo("classwise");
        // a bad value is refused with one line naming the key, and nothing starts
        robot.interact(() -> {
            ObjectNode bad = loaded.deepCopy();
            ((ObjectNode) bad.get("mm")).put("margin", -1.0);
            vm.configProperty().set(bad);
        });
        robot.clickOn("#train-run");
        assertThat(vm.allJobs()).isEmpty();
        assertThat(vm.messageProperty().get()).contains("mm.margin");
        // saved and loaded back: the same file the CLI reads
        Path file = runs.resolve("tiny.json");
        robot.interact(() -> {
            ObjectNode c = loaded.deepCopy();
            shrink(c);
            vm.configProperty().set(c);
            assertThat(vm.saveFile(file)).isTrue();
            assertThat(vm.loadFile(file)).isTrue();
        });
        assertThat(vm.configProperty().get().get("mm").get("iterations").asInt()).isEqualTo(8);
        assertThat(vm.configNameProperty().get()).isEqualTo("tiny");

        // first run: progress and the loss chart move while the child trains
        robot.clickOn("#train-run");
        TrainJob first = vm.allJobs().get(0);
        // two more queue behind it and are dropped from the queue again, the running one goes on
        robot.clickOn("#train-run");
        robot.clickOn("#train-run");
        TrainJob dropA = vm.allJobs().get(1);
        TrainJob dropB = vm.allJobs().get(2);
        assertThat(fx(() -> dropA.getMessage())).isEqualTo("queued");
        robot.clickOn("#train-drop-queued");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> fx(() -> dropA.getState()) == Worker.State.CANCELLED
                && fx(() -> dropB.getState()) == Worker.State.CANCELLED);
        assertThat(fx(() -> first.getState())).isNotEqualTo(Worker.State.CANCELLED);
        assertThat(fx(() -> List.copyOf(vm.history()))).extracting(TrainViewModel.HistoryEntry::text)
                .allMatch(t -> t.contains("dropped from the queue"));
        robot.clickOn("#train-run");
        TrainJob second = vm.allJobs().get(3);
        assertThat(fx(() -> second.getMessage())).isEqualTo("queued");
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> fx(() -> vm.charts().lossPoints()) >= 2);
        int seen = fx(() -> vm.charts().lossPoints());
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> fx(() -> vm.charts().lossPoints()) > seen
                && fx(() -> first.getProgress()) > 0);
        assertThat(fx(() -> first.getMessage())).containsPattern("(proxy|mm|finetune) \\d+/\\d+");
        assertThat(fx(() -> second.getState())).isIn(Worker.State.READY, Worker.State.SCHEDULED);
        // while it runs: M&M's triplet shares and embeddings, then fine-tuning's validation mIoU
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> fx(() -> vm.charts().tripletPoints()) > 0
                && fx(() -> vm.embeddingProperty().get()) != null);
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> fx(() -> vm.charts().miouPoints()) > 0);
        assertThat(fx(vm::followedRun)).isEqualTo(first.runDir());
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> fx(() -> first.getState()) == Worker.State.SUCCEEDED
                || fx(() -> first.getState()) == Worker.State.FAILED);
        assertThat(fx(() -> first.getException())).isNull();
        assertThat(fx(() -> first.getValue())).isEqualTo(RunState.FINISHED);
        snap(robot, "train-finished.png");

        // the queued run starts by itself; a third one is cancelled while it trains
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> fx(() -> second.getState()) == Worker.State.SUCCEEDED
                || fx(() -> second.getState()) == Worker.State.FAILED);
        assertThat(fx(() -> second.getException())).isNull();
        // the third run is long enough to be cancelled while it trains, however fast the kernels
        robot.interact(() -> {
            ObjectNode c = vm.configProperty().get().deepCopy();
            ((ObjectNode) c.get("finetune")).put("iterations", 5000);
            vm.configProperty().set(c);
        });
        robot.clickOn("#train-run");
        TrainJob third = vm.allJobs().get(4);
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> third.runDir().equals(fx(vm::followedRun))
                && fx(() -> vm.charts().lossPoints()) >= 2 && fx(() -> third.getProgress()) > 0);
        snap(robot, "train-running.png");
        robot.clickOn(robot.lookup(".task-cancel-button").queryButton());
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> fx(() -> third.getState()) == Worker.State.CANCELLED);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> RunStatus.read(third.runDir())
                .map(s -> s.state() == RunState.CANCELLED || s.state() == RunState.STALLED).orElse(false));
        assertThat(RunStatus.read(third.runDir()).orElseThrow().state()).isEqualTo(RunState.CANCELLED);

        // Results: both finished runs listed with their mIoU, opened and compared
        robot.interact(() -> tabs.getSelectionModel().select(1));
        ResultsViewModel rvm = results.viewModel();
        robot.clickOn("#results-refresh");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> rvm.runs().size() == 3);
        List<RunSummary> finished = rvm.runs().stream().filter(r -> r.state() == RunState.FINISHED).toList();
        assertThat(finished).hasSize(2).allSatisfy(r -> assertThat(r.mIoU()).isBetween(0.0, 1.0));
        robot.interact(() -> {
            var sel = ((TableView<?>) results.lookup("#results-runs")).getSelectionModel();
            sel.clearSelection();
            for (int i = 0; i < rvm.runs().size(); i++) {
                if (rvm.runs().get(i).state() == RunState.FINISHED) {
                    sel.select(i);
                }
            }
        });
        robot.clickOn("#results-compare");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> rvm.currentProperty().get() != null
                && rvm.results().size() == 2);
        ResultsViewModel.ImageData d = rvm.currentProperty().get();
        assertThat(d.predictions()).allSatisfy(p -> assertThat(p).isNotNull());
        for (double v : d.iou()) {
            assertThat(v).isBetween(0.0, 1.0);
        }
        RunResults r = rvm.results().get(finished.get(0).dir());
        assertThat(r.perClass()).hasSize(ctx.dataset().numClasses());
        snap(robot, "results-compare.png");

        // a run without its predictions gets them from its checkpoint (`mmtune predict` as a child)
        Path preds = finished.get(1).dir().resolve("predictions");
        try (var files = Files.list(preds)) {
            for (Path f : files.toList()) {
                if (f.toString().endsWith(".png")) {
                    Files.delete(f);
                }
            }
        }
        robot.interact(() -> rvm.compare(List.copyOf(rvm.compared())));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> fx(() -> rvm.currentProperty().get()) != null);
        // (the runs evaluated only maxValImages = 3 images: the others have no prediction either)
        var missing = fx(() -> rvm.missingPredictions());
        assertThat(missing.get(finished.get(1))).hasSize(rvm.images().size());
        assertThat(missing.get(finished.get(0))).hasSize(rvm.images().size() - 3);
        robot.clickOn("#results-predict");
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> !fx(() -> rvm.busyPredictingProperty().get())
                && fx(() -> rvm.currentProperty().get()) != null);
        assertThat(fx(() -> rvm.missingPredictions())).isEmpty();
        assertThat(fx(() -> rvm.currentProperty().get().predictions())).allSatisfy(p -> assertThat(p).isNotNull());
    }

    /** Reads FX state (tasks must be read on the FX thread). */
    private static <T> T fx(java.util.concurrent.Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(10, TimeUnit.SECONDS);
    }

    private void snap(FxRobot robot, String name) throws Exception {
        Path shots = Files.createDirectories(Path.of("target", "ui-shots"));
        WaitForAsyncUtils.waitForFxEvents();
        robot.interact(() -> {
            try {
                Images.writePng(tabs.getScene().snapshot(null), shots.resolve(name));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

}
