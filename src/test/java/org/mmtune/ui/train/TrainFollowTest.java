package org.mmtune.ui.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mmtune.ui.WorkbenchContext;
import org.mmtune.ui.common.Images;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Train view follows a run folder written by another process: here the test plays that process,
 * appending metrics, log lines and embedding snapshots as the pipeline would.
 */
@ExtendWith(ApplicationExtension.class)
class TrainFollowTest {

    @TempDir
    static Path runs;

    private WorkbenchContext ctx;
    private TrainView view;

    @BeforeAll
    static void setup() {
        System.setProperty("mmtune.engine", "off");
    }

    @Start
    void start(Stage stage) {
        System.setProperty("mmtune.runsDir", runs.toString());
        ctx = new WorkbenchContext();
        view = new TrainView(ctx);
        stage.setScene(new Scene(view, 1260, 780));
        stage.show();
    }

    private static void append(Path f, String s) throws Exception {
        Files.writeString(f, s, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static String mm(int i, double loss, double ordered) {
        return String.format(java.util.Locale.ROOT, "{\"stage\":\"mm\",\"iteration\":%d,\"totalIterations\":40,"
                + "\"loss\":%.4f,\"lr\":0.01,\"time\":%d,\"elapsedSeconds\":%.1f,\"violatedFraction\":1.0,"
                + "\"orderedFraction\":%.3f,\"meanCosGap\":%.4f}%n",
                i, loss, 1_700_000_000 + i, i * 0.2, ordered, ordered - 0.5);
    }

    @Test
    void followsARunWrittenByAnotherProcess(FxRobot robot) throws Exception {
        Path run = Files.createDirectories(runs.resolve("cli-run"));
        Files.writeString(run.resolve("config.json"), "{\"preset\":\"quick\"}");
        Files.writeString(run.resolve("status.json"), "{\"state\":\"running\",\"stage\":\"mm\",\"pid\":"
                + ProcessHandle.current().pid() + "}");
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= 10; i++) {
            sb.append("{\"stage\":\"proxy\",\"iteration\":").append(i).append(",\"totalIterations\":10,\"loss\":")
                    .append(5.0 - 0.2 * i).append(",\"time\":").append(1_700_000_000 + i).append("}\n");
        }
        for (int i = 1; i <= 20; i++) {
            sb.append(mm(i, 1.5 - 0.03 * i, 0.8 - 0.01 * i));
        }
        append(run.resolve("metrics.jsonl"), sb.toString());
        append(run.resolve("run.log"), "INFO proxy stage done\nINFO mm stage started\n");
        Path emb = Files.createDirectories(run.resolve("embeddings"));
        StringBuilder pts = new StringBuilder("{\"iteration\":20,\"labels\":[");
        StringBuilder xy = new StringBuilder();
        StringBuilder patches = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            pts.append(i == 0 ? "" : ",").append(i % 3);
            xy.append(i == 0 ? "" : ",").append("[").append(i % 3 * 2 + 0.1 * i).append(",").append((i % 3) - 0.05 * i).append("]");
            patches.append(i == 0 ? "" : ",").append("{\"image\":\"img").append(i).append("\",\"cx\":10,\"cy\":20,\"size\":64,\"label\":")
                    .append(i % 3).append("}");
        }
        Files.writeString(emb.resolve("mm-000020.json"), pts + "],\"points\":[" + xy + "],\"patches\":[" + patches + "]}");

        robot.interact(() -> ctx.runDirProperty().set(run));
        RunCharts charts = view.viewModel().charts();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> charts.lossPoints() == 30
                && view.viewModel().embeddingProperty().get() != null);
        assertThat(charts.tripletPoints()).isEqualTo(20);
        assertThat(charts.cosGapPoints()).isEqualTo(20);
        assertThat(robot.lookup("#train-followed").queryAs(Label.class).getText())
                .contains("cli-run").contains("running").contains("mm");
        assertThat(view.viewModel().logLines()).containsExactly("INFO proxy stage done", "INFO mm stage started");

        // the other process goes on: the charts follow
        append(run.resolve("metrics.jsonl"), mm(21, 0.8, 0.5) + mm(22, 0.75, 0.45));
        append(run.resolve("metrics.jsonl"), "{\"stage\":\"finetune\",\"iteration\":5,\"epoch\":1,\"loss\":2.0,\"valMIoU\":0.21}\n");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> charts.lossPoints() == 33);
        assertThat(charts.tripletPoints()).isEqualTo(22);
        assertThat(charts.cosGapPoints()).isEqualTo(22);
        assertThat(charts.miouPoints()).isEqualTo(1);

        // click a point of the embedding: its class and patch record are shown
        EmbeddingView ev = view.embeddingView();
        double[][] at = new double[1][];
        robot.interact(() -> at[0] = ev.screen(4));
        robot.clickOn(ev.canvas().localToScreen(at[0][0], at[0][1]));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(ev.selectedProperty().get()).isEqualTo(4);
        assertThat(ev.patchInfo().getText()).contains("class 1").contains("img4").contains("side 64");

        Files.writeString(run.resolve("status.json"), "{\"state\":\"finished\",\"stage\":\"eval\"}");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#train-followed").queryAs(Label.class)
                .getText().contains("finished"));
        Path shots = Files.createDirectories(Path.of("target", "ui-shots"));
        robot.interact(() -> {
            try {
                Images.writePng(view.getScene().snapshot(null), shots.resolve("train-follow.png"));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Test
    void theFormFollowsTheOpenDatasetUntilTheUserChoosesOne(FxRobot robot) throws Exception {
        TrainViewModel vm = view.viewModel();
        robot.interact(() -> vm.loadPreset("quick"));
        assertThat(vm.configProperty().get().path("dataset").asText()).isEqualTo("sample-data");
        // the workbench opens a dataset: the preset's form follows it
        Path other = Files.createDirectories(runs.resolve("other-dataset"));
        robot.interact(() -> vm.setOpenDataset(other));
        assertThat(vm.configProperty().get().path("dataset").asText()).isEqualTo(other.toString());
        assertThat(vm.dirtyProperty().get()).isFalse();
        // a preset loaded while it is open starts on it
        robot.interact(() -> vm.loadPreset("camvid"));
        assertThat(vm.configProperty().get().path("dataset").asText()).isEqualTo(other.toString());
        // the user's own choice is kept when the workbench opens another dataset
        robot.interact(() -> vm.configProperty().get().put("dataset", "my-data"));
        robot.interact(() -> vm.setOpenDataset(runs));
        assertThat(vm.configProperty().get().path("dataset").asText()).isEqualTo("my-data");
        // an experiment file keeps its own dataset
        Path file = runs.resolve("exp.json");
        Files.writeString(file, "{\"dataset\":\"from-file\"}");
        robot.interact(() -> vm.loadFile(file));
        robot.interact(() -> vm.setOpenDataset(other));
        assertThat(vm.configProperty().get().path("dataset").asText()).isEqualTo("from-file");
    }
}
