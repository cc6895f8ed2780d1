package org.mmtune.ui.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mmtune.data.SampleData;
import org.mmtune.experiment.runs.AblationSummary;
import org.mmtune.experiment.runs.RunSummary;
import org.mmtune.ui.WorkbenchContext;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Results view on an ablation folder laid out as {@code mmtune ablation --seeds} writes it: the Ablation
 * tab comes to the front with arms × seeds, mean ± std, the arms' probes and the paired differences, and a
 * click on a seed's mIoU opens that run.
 */
@ExtendWith(ApplicationExtension.class)
class AblationViewTest {

    @TempDir
    static Path ablation;

    private ResultsView view;

    static final String[] ARMS = {"random", "proxy", "proxy-mm", "proxy-mm-random"};
    static final double[][] MIOU = {{0.30, 0.32}, {0.33, 0.34}, {0.36, 0.38}, {0.34, 0.33}};

    @BeforeAll
    static void fixtures() throws Exception {
        System.setProperty("mmtune.engine", "off");
        Path sample = SampleData.locate().orElseThrow().toAbsolutePath();
        StringBuilder arms = new StringBuilder();
        for (int a = 0; a < ARMS.length; a++) {
            for (int s = 0; s < 2; s++) {
                Path run = Files.createDirectories(ablation.resolve("s" + (s + 1)).resolve(ARMS[a]));
                Files.writeString(run.resolve("config.json"), "{\"name\":\"abl-" + ARMS[a] + "\",\"arm\":\"" + ARMS[a]
                        + "\",\"seed\":" + (s + 1) + ",\"dataset\":\"" + sample.toString().replace("\\", "\\\\") + "\"}");
                Files.writeString(run.resolve("status.json"), "{\"state\":\"finished\",\"stage\":\"eval\","
                        + "\"startedAt\":1767261600,\"updatedAt\":1767261900}");
                String probes = a == 0 ? "{\"initial\":{\"knnAccuracy\":0.2,\"linearProbeMIoU\":0.1}}"
                        : "{\"initial\":{\"knnAccuracy\":0.2},\"proxy\":{\"knnAccuracy\":0.4,\"linearProbeMIoU\":0.2}"
                        + (ARMS[a].contains("mm") ? ",\"mm\":{\"knnAccuracy\":0.6,\"linearProbeMIoU\":0.3}" : "") + "}";
                Files.writeString(run.resolve("results.json"), "{\"mIoU\":" + MIOU[a][s]
                        + ",\"pixelAccuracy\":0.8,\"probes\":" + probes + "}");
            }
            double mean = (MIOU[a][0] + MIOU[a][1]) / 2;
            double std = Math.abs(MIOU[a][0] - MIOU[a][1]) / Math.sqrt(2);
            arms.append(a == 0 ? "" : ",").append(String.format(Locale.ROOT,
                    "\"%s\":{\"seeds\":[1,2],\"mIoU\":[%s,%s],\"mean\":%s,\"std\":%s}", ARMS[a], MIOU[a][0], MIOU[a][1],
                    mean, std));
        }
        Files.writeString(ablation.resolve("ablation.json"), "{\"arms\":{" + arms + "},\"comparisons\":["
                + "{\"a\":\"proxy-mm\",\"b\":\"proxy\",\"pairedSeeds\":[1,2],\"meanDiff\":0.035,\"ci95\":[-0.028,0.098]},"
                + "{\"a\":\"proxy\",\"b\":\"random\",\"pairedSeeds\":[1,2],\"meanDiff\":0.025,\"ci95\":[0.019,0.031]},"
                + "{\"a\":\"proxy-mm\",\"b\":\"proxy-mm-random\",\"pairedSeeds\":[1],\"meanDiff\":0.02,\"ci95\":null}]}");
    }

    @Start
    void start(Stage stage) {
        System.setProperty("mmtune.runsDir", ablation.toString());
        view = new ResultsView(new WorkbenchContext());
        stage.setScene(new Scene(view, 1260, 780));
        stage.show();
    }

    @Test
    void showsArmsSeedsIntervalsAndOpensARun(FxRobot robot) throws Exception {
        ResultsViewModel vm = view.viewModel();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> vm.ablationProperty().get() != null);
        WaitForAsyncUtils.waitForFxEvents();
        TabPane tabs = robot.lookup("#results-tabs").queryAs(TabPane.class);
        assertThat(tabs.getSelectionModel().getSelectedItem().getText()).isEqualTo("Ablation");
        // every run of every seed is listed too
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> vm.runs().size() == 8);

        @SuppressWarnings("unchecked")
        TableView<AblationSummary.Arm> arms = robot.lookup("#results-ablation-arms").queryAs(TableView.class);
        assertThat(arms.getItems()).extracting(AblationSummary.Arm::name).containsExactly(ARMS);
        assertThat(arms.getColumns()).extracting(c -> c.getText())
                .containsExactly("Arm", "s1", "s2", "Mean ± std", "k-NN acc. %", "Probe mIoU %");
        assertThat(cell(arms, 2, 1)).isEqualTo("36.0");
        assertThat(cell(arms, 2, 3)).isEqualTo("37.0 ± 1.4");
        assertThat(cell(arms, 2, 4)).isEqualTo("60.0"); // the M&M checkpoint's probe
        assertThat(cell(arms, 1, 4)).isEqualTo("40.0"); // the proxy's
        assertThat(cell(arms, 0, 5)).isEqualTo("10.0"); // the initial weights'

        @SuppressWarnings("unchecked")
        TableView<AblationSummary.Comparison> cmp = robot.lookup("#results-ablation-comparisons").queryAs(TableView.class);
        assertThat(cmp.getItems()).hasSize(3);
        assertThat(cell(cmp, 0, 0)).isEqualTo("proxy-mm − proxy");
        assertThat(cell(cmp, 0, 2)).isEqualTo("+3.5");
        assertThat(cell(cmp, 0, 3)).isEqualTo("[-2.8, +9.8]");
        assertThat(cell(cmp, 0, 4)).isEqualTo("includes 0");
        assertThat(cell(cmp, 1, 4)).isEqualTo("above 0");
        assertThat(cell(cmp, 2, 3)).isEqualTo("undefined (one seed)");

        Path shots = Files.createDirectories(Path.of("target", "ui-shots"));
        robot.interact(() -> {
            try {
                org.mmtune.ui.common.Images.writePng(view.getScene().snapshot(null), shots.resolve("results-ablation.png"));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });

        // a click on proxy-mm's seed-2 mIoU opens that run in the Images tab
        Node seed2 = robot.lookup(".table-cell").match(n -> n instanceof javafx.scene.control.TableCell<?, ?> c
                && c.getTableView() == arms && "38.0".equals(c.getText())).query();
        robot.clickOn(seed2);
        Path expected = ablation.resolve("s2").resolve("proxy-mm");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> vm.compared().size() == 1
                && vm.compared().get(0).dir().equals(expected));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(tabs.getSelectionModel().getSelectedIndex()).isZero();

        // "Compare seeds" puts an arm's runs side by side
        robot.clickOn("Ablation");
        robot.interact(() -> arms.getSelectionModel().select(1, arms.getColumns().get(0)));
        robot.clickOn("#results-ablation-compare");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> vm.compared().size() == 2);
        assertThat(vm.compared()).extracting(RunSummary::dir)
                .containsExactly(ablation.resolve("s1").resolve("proxy"), ablation.resolve("s2").resolve("proxy"));
    }

    private static String cell(TableView<?> t, int row, int col) {
        return String.valueOf(t.getColumns().get(col).getCellData(row));
    }

    @SuppressWarnings("unused")
    private static List<String> names(TableView<?> t) {
        return t.getColumns().stream().map(c -> c.getText()).toList();
    }
}
