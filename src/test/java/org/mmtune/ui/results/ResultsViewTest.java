package org.mmtune.ui.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Slider;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mmtune.data.DatasetLoader;
import org.mmtune.data.ImagePair;
import org.mmtune.data.Sample;
import org.mmtune.data.SampleData;
import org.mmtune.data.SampleReader;
import org.mmtune.data.SegmentationDataset;
import org.mmtune.experiment.runs.RunSummary;
import org.mmtune.ui.WorkbenchContext;
import org.mmtune.ui.common.Images;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Results view on run folders laid out as the pipeline writes them (written here as fixtures on the
 * bundled sample data): list, compare two runs side by side, browse, overlay, error map, metrics, export,
 * delete.
 */
@ExtendWith(ApplicationExtension.class)
class ResultsViewTest {

    @TempDir
    static Path runs;

    private static SegmentationDataset ds;
    private ResultsView view;

    @BeforeAll
    static void fixtures() throws Exception {
        System.setProperty("mmtune.engine", "off");
        Path sample = SampleData.locate().orElseThrow();
        ds = DatasetLoader.open(sample);
        writeRun("alpha", sample, 0, 0.50);
        writeRun("beta", sample, 40, 0.40);
        writeRun("gamma", sample, 0, 0.10);
    }

    /** A finished run whose predictions are the truth with a wrong band of {@code wrongRows} rows. */
    private static void writeRun(String name, Path sample, int wrongRows, double miou) throws Exception {
        Path run = Files.createDirectories(runs.resolve(name));
        Files.writeString(run.resolve("config.json"), "{\"name\":\"" + name + "\",\"preset\":\"quick\",\"dataset\":\""
                + sample.toAbsolutePath().toString().replace("\\", "\\\\") + "\",\"proxy\":{\"enabled\":true},"
                + "\"mm\":{\"enabled\":" + (wrongRows == 0) + "}}");
        Files.writeString(run.resolve("status.json"), "{\"state\":\"finished\",\"stage\":\"eval\",\"startedAt\":1767261600,"
                + "\"updatedAt\":1767261900}");
        int n = ds.numClasses();
        StringBuilder pc = new StringBuilder();
        StringBuilder conf = new StringBuilder();
        for (int i = 0; i < n; i++) {
            pc.append(i == 0 ? "" : ",").append("{\"index\":").append(i).append(",\"name\":\"")
                    .append(ds.classInfo(i).name()).append("\",\"iou\":").append(miou + 0.01 * i).append('}');
            conf.append(i == 0 ? "[" : ",[");
            for (int j = 0; j < n; j++) {
                conf.append(j == 0 ? "" : ",").append(i == j ? 100 : (i + j) % 3 * 5);
            }
            conf.append(']');
        }
        Files.writeString(run.resolve("results.json"), "{\"mIoU\":" + miou + ",\"pixelAccuracy\":0.8,\"perClass\":["
                + pc + "],\"confusion\":[" + conf + "]}");
        Path pred = Files.createDirectories(run.resolve("predictions"));
        for (ImagePair p : ds.pairs("val").subList(0, 3)) {
            Sample s = SampleReader.read(ds, p);
            BufferedImage img = new BufferedImage(s.width(), s.height(), BufferedImage.TYPE_BYTE_GRAY);
            byte[] v = s.labels().clone();
            for (int y = 0; y < wrongRows && y < s.height(); y++) {
                for (int x = 0; x < s.width(); x++) {
                    int i = y * s.width() + x;
                    if ((v[i] & 0xFF) != s.ignoreIndex()) {
                        v[i] = (byte) (((v[i] & 0xFF) + 1) % ds.numClasses());
                    }
                }
            }
            img.getRaster().setDataElements(0, 0, s.width(), s.height(), v);
            ImageIO.write(img, "png", pred.resolve(p.id() + ".png").toFile());
        }
    }

    @Start
    void start(Stage stage) {
        System.setProperty("mmtune.runsDir", runs.toString());
        WorkbenchContext ctx = new WorkbenchContext();
        view = new ResultsView(ctx);
        stage.setScene(new Scene(view, 1260, 780));
        stage.show();
    }

    @Test
    void comparesTwoRunsImageByImageAndByClass(FxRobot robot) throws Exception {
        ResultsViewModel vm = view.viewModel();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> vm.runs().size() == 3);
        @SuppressWarnings("unchecked")
        TableView<RunSummary> table = (TableView<RunSummary>) robot.lookup("#results-runs").query();
        assertThat(vm.runs()).extracting(RunSummary::mIoU).containsExactlyInAnyOrder(0.5, 0.4, 0.1);
        RunSummary alpha = vm.runs().stream().filter(r -> r.name().equals("alpha")).findFirst().orElseThrow();
        assertThat(alpha.arm()).isEqualTo("proxy-mm");
        assertThat(alpha.duration().getSeconds()).isEqualTo(300);

        robot.interact(() -> {
            table.getSelectionModel().clearSelection();
            for (int i = 0; i < vm.runs().size(); i++) {
                if (!vm.runs().get(i).name().equals("gamma")) {
                    table.getSelectionModel().select(i);
                }
            }
        });
        robot.clickOn("#results-compare");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> vm.currentProperty().get() != null);
        assertThat(vm.compared()).extracting(RunSummary::name).containsExactlyInAnyOrder("alpha", "beta");
        ResultsViewModel.ImageData d = vm.currentProperty().get();
        int a = vm.compared().get(0).name().equals("alpha") ? 0 : 1;
        assertThat(d.iou()[a]).isEqualTo(1.0);
        assertThat(d.iou()[1 - a]).isLessThan(1.0);
        String first = d.pair().id();

        // keyboard browsing: the next image, then one without predictions
        robot.clickOn("#results-grid");
        robot.type(KeyCode.PAGE_DOWN);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> vm.currentProperty().get() != null
                && !vm.currentProperty().get().pair().id().equals(first));
        assertThat(vm.imageIndexProperty().get()).isEqualTo(1);
        robot.interact(() -> vm.imageIndexProperty().set(5));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> vm.imageIndexProperty().get() == 5
                && vm.currentProperty().get().pair().equals(vm.images().get(5)));
        assertThat(vm.currentProperty().get().notes().get(0)).startsWith("no prediction");
        robot.interact(() -> vm.imageIndexProperty().set(0));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> vm.currentProperty().get().pair().id().equals(first));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> vm.perImageIoU().size() == 3);

        // overlay with opacity, then error maps
        robot.clickOn("#results-mode-overlay");
        robot.interact(() -> robot.lookup("#results-opacity").queryAs(Slider.class).setValue(0.8));
        Path shots = Files.createDirectories(Path.of("target", "ui-shots"));
        snap(robot, shots.resolve("results-overlay.png"));
        robot.clickOn("#results-mode-errors");
        snap(robot, shots.resolve("results-errors.png"));
        robot.clickOn("#results-mode-side");
        // the export is a snapshot of the comparison as laid out: let the side-by-side grid take its place first
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> {
            WaitForAsyncUtils.waitForFxEvents();
            javafx.scene.Node grid = robot.lookup("#results-grid").query();
            return grid.getScene() != null && grid.getLayoutBounds().getWidth() > 300;
        });
        Path png = runs.resolve("exports/comparison.png");
        robot.interact(() -> view.exportPng(png));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> Files.isRegularFile(png));
        assertThat(ImageIO.read(png.toFile()).getWidth()).isGreaterThan(300);
        snap(robot, shots.resolve("results-side.png"));

        // metrics: per-class table with a difference column, CSV export
        robot.interact(() -> robot.lookup("#results-tabs").queryAs(TabPane.class).getSelectionModel().select(1));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> vm.results().size() == 2);
        TableView<?> classes = robot.lookup("#results-class-table").queryAs(TableView.class);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(classes.getItems()).hasSize(ds.numClasses());
        assertThat(classes.getColumns()).hasSize(4).extracting(c -> c.getText()).contains("B − A");
        snap(robot, shots.resolve("results-metrics.png"));
        Path csv = runs.resolve("exports/table.csv");
        robot.interact(() -> vm.exportCsv(csv));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> Files.isRegularFile(csv));
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines).hasSize(1 + ds.numClasses() + 2);
        assertThat(lines.get(0)).startsWith("class,");
        assertThat(lines.get(lines.size() - 2)).matches("mIoU,0\\.[45]000,0\\.[45]000");

        // delete asks first, then removes the folder
        robot.interact(() -> {
            table.getSelectionModel().clearSelection();
            for (int i = 0; i < vm.runs().size(); i++) {
                if (vm.runs().get(i).name().equals("gamma")) {
                    table.getSelectionModel().select(i);
                }
            }
        });
        robot.clickOn("#results-delete");
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn(robot.lookup(".dialog-pane .button").match((Button b) -> b.getText().equals("OK")).queryButton());
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> vm.runs().size() == 2);
        assertThat(runs.resolve("gamma")).doesNotExist();
    }

    private void snap(FxRobot robot, Path file) {
        WaitForAsyncUtils.waitForFxEvents();
        robot.interact(() -> {
            try {
                Images.writePng(view.getScene().snapshot(null), file);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }
}
