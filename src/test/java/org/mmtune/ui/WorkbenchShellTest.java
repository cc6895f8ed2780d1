package org.mmtune.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.MenuBar;
import javafx.scene.control.TabPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mmtune.data.ClassInfo;
import org.mmtune.data.DatasetFormat;
import org.mmtune.data.ImagePair;
import org.mmtune.data.LabelEncoding;
import org.mmtune.data.SegmentationDataset;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The window shell: tabs, menu, status bar, and a dataset set on the context reaching the views. */
@ExtendWith(ApplicationExtension.class)
class WorkbenchShellTest extends WorkbenchFixture {

    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        show(stage, WorkbenchViews.all());
        EngineStatus.loadInBackground(ctx);
    }

    @Test
    void showsOneTabPerViewMenuAndStatusBar(FxRobot robot) {
        TabPane tabs = robot.lookup("#workbench").queryAs(Workbench.class).tabs();
        assertThat(tabs.getTabs()).extracting(t -> t.getText()).startsWith("Dataset", "Mix", "Match");
        MenuBar menu = robot.lookup("#menu-bar").queryAs(MenuBar.class);
        assertThat(menu.getMenus()).extracting(m -> m.getText()).containsExactly("_File", "_View", "_Help");
        assertThat(menu.getMenus().get(0).getItems()).extracting(i -> i.getText())
                .contains("_Open Dataset Folder…", "Open _Recent", "Open R_un…", "_Quit");
        assertThat(robot.lookup("#status-engine").queryAs(Label.class).getText()).isEqualTo("engine: off");
        assertThat(robot.lookup("#status-dataset").queryAs(Label.class).getText()).isEqualTo("no dataset");
    }

    @Test
    void datasetReachesStatusBarAndDatasetView(FxRobot robot) {
        SegmentationDataset ds = new SegmentationDataset("tiny", DatasetFormat.DESCRIPTOR, Path.of("tiny"),
                List.of(new ClassInfo(0, "road", 0x804080), new ClassInfo(1, "sky", 0x8080ff)), 255, -1,
                LabelEncoding.INDEX, null,
                Map.of("train", List.of(new ImagePair("a", Path.of("tiny/a.png"), Path.of("tiny/a_l.png")),
                        new ImagePair("b", Path.of("tiny/b.png"), Path.of("tiny/b_l.png")))));
        robot.interact(() -> ctx.setDataset(ds, Path.of("tiny")));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#status-dataset").queryAs(Label.class).getText()).contains("tiny");
        @SuppressWarnings("unchecked")
        ComboBox<String> split = robot.lookup("#split-selector").queryAs(ComboBox.class);
        assertThat(split.getValue()).isEqualTo("train");
        assertThat(robot.lookup("#legend-1").tryQuery()).isPresent();
    }

    @Test
    void ctrlNumberSelectsTabs(FxRobot robot) {
        TabPane tabs = wb.tabs();
        robot.press(javafx.scene.input.KeyCode.CONTROL, javafx.scene.input.KeyCode.DIGIT2)
                .release(javafx.scene.input.KeyCode.DIGIT2, javafx.scene.input.KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(tabs.getSelectionModel().getSelectedItem().getText()).isEqualTo("Mix");
    }

    @Test
    void remembersRecentDatasetsAndTheWindowLayout(FxRobot robot, @org.junit.jupiter.api.io.TempDir Path tmp)
            throws Exception {
        java.util.prefs.Preferences node = java.util.prefs.Preferences.userRoot().node("org/mmtune/workbench-test-layout");
        try {
            Settings settings = new Settings(node);
            settings.addRecent(tmp);
            assertThat(settings.recentDatasets()).first().isEqualTo(tmp.toAbsolutePath().normalize());
            javafx.scene.control.SplitPane split = robot.lookup("#mix-split").queryAs(javafx.scene.control.SplitPane.class);
            robot.interact(() -> {
                split.setDividerPositions(0.3, 0.7);
                settings.saveWindow(stage, 2);
                split.setDividerPositions(0.1, 0.9);
                settings.restoreDividers(wb);
            });
            assertThat(split.getDividerPositions()[0]).isCloseTo(0.3, org.assertj.core.data.Offset.offset(0.01));
            assertThat(settings.lastTab()).isEqualTo(2);
        } finally {
            node.removeNode();
        }
    }
}
