package org.mmtune.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import javafx.geometry.Point2D;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.Slider;
import javafx.scene.image.ImageView;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mmtune.data.SampleData;
import org.mmtune.mix.Patch;
import org.mmtune.ui.dataset.DatasetView;
import org.mmtune.ui.match.MatchResult;
import org.mmtune.ui.match.MatchView;
import org.mmtune.ui.mix.MixView;
import org.mmtune.ui.mix.PatchItem;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Drives the real views on the bundled sample data, as a user would: open it, change a sampling
 * parameter and see the patch grid change, click a graph node and see its triplet, move the margin and
 * see the violation count change.
 */
@ExtendWith(ApplicationExtension.class)
class WorkbenchViewsTest extends WorkbenchFixture {

    @Start
    void start(Stage stage) {
        show(stage, partOne());
        Path sample = SampleData.locate().orElseThrow();
        ctx.openDataset(sample);
    }

    @Test
    void opensTheSampleData(FxRobot robot) throws Exception {
        settle(ctx);
        assertThat(robot.lookup("#status-dataset").queryAs(Label.class).getText()).contains("mmtune-synth");
        DatasetView view = (DatasetView) wb.view("Dataset").orElseThrow();
        assertThat(view.viewModel().pairs()).hasSize(ctx.dataset().pairs("train").size()).isNotEmpty();
        assertThat(view.viewModel().imageProperty().get()).isNotNull();
        assertThat(robot.lookup("#class-legend .check-box").queryAll()).hasSize(ctx.dataset().numClasses());
        @SuppressWarnings("unchecked")
        ListView<String> problems = robot.lookup("#problems-list").queryAs(ListView.class);
        assertThat(problems.getItems()).first().asString().startsWith("no problems found in train");
        // hovering the image names the class under the cursor
        robot.moveTo("#image-pane");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#hover-label").queryAs(Label.class).getText())
                .containsAnyOf(ctx.dataset().classes().stream().map(c -> c.name()).toArray(String[]::new));
    }

    @Test
    void changingASamplingParameterChangesThePatchGrid(FxRobot robot) throws Exception {
        select(robot, "mix");
        settle(ctx);
        MixView mix = (MixView) wb.view("Mix").orElseThrow();
        List<PatchItem> before = List.copyOf(mix.items());
        assertThat(before).isNotEmpty();
        int perImage = mix.viewModel().patchesPerImageProperty().get();
        robot.clickOn("#mix-patches .increment-arrow-button");
        settle(ctx);
        List<PatchItem> after = List.copyOf(mix.items());
        assertThat(mix.viewModel().patchesPerImageProperty().get()).isEqualTo(perImage + 1);
        assertThat(after.size()).isGreaterThan(before.size());
        // a new seed draws different patches with the same settings
        robot.clickOn("#mix-new-seed");
        settle(ctx);
        List<Patch> reseeded = mix.items().stream().map(PatchItem::patch).toList();
        assertThat(reseeded).isNotEqualTo(after.stream().map(PatchItem::patch).toList());
        // clicking a patch shows where it comes from
        // the third cell on screen (the flow reuses cells, so scene-graph order is not screen order; a cell
        // in the last, half-visible row may sit under the message line)
        javafx.geometry.Bounds gridBounds = WaitForAsyncUtils.asyncFx(() -> {
            javafx.scene.Node g = robot.lookup("#patch-grid").query();
            return g.localToScreen(g.getBoundsInLocal());
        }).get();
        javafx.scene.control.IndexedCell<?> third = robot.lookup("#patch-grid .grid-cell").queryAll().stream()
                .map(n -> (javafx.scene.control.IndexedCell<?>) n)
                .filter(c -> c.getItem() != null && c.isVisible() && gridBounds.contains(c.localToScreen(c.getBoundsInLocal())))
                .sorted(java.util.Comparator.<javafx.scene.control.IndexedCell<?>>comparingDouble(c -> c.localToScreen(0, 0).getY())
                        .thenComparingDouble(c -> c.localToScreen(0, 0).getX()))
                .skip(2).findFirst().orElseThrow();
        robot.clickOn(third);
        settle(ctx);
        assertThat(mix.selectedProperty().get()).isNotNull();
        assertThat(mix.selectedProperty().get()).isSameAs(third.getItem());
    }

    @Test
    void clickingANodeShowsItsTripletAndTheMarginMovesTheViolationCount(FxRobot robot) throws Exception {
        select(robot, "match");
        settle(ctx);
        MatchView match = (MatchView) wb.view("Match").orElseThrow();
        MatchResult r = match.viewModel().resultProperty().get();
        assertThat(r).isNotNull();
        int node = 5;
        Point2D p = WaitForAsyncUtils.asyncFx(() -> screenOf(match, node)).get();
        robot.clickOn(p);
        WaitForAsyncUtils.waitForFxEvents();
        int clicked = match.viewModel().selectedProperty().get();
        assertThat(clicked).isGreaterThanOrEqualTo(0);
        String info = robot.lookup("#triplet-info").queryAs(Label.class).getText();
        assertThat(info).contains("‖a−p‖² = ").contains("‖a−n‖² = ").contains("at m = 2.10");
        assertThat(robot.lookup("#match-view .image-view").queryAllAs(ImageView.class))
                .filteredOn(v -> v.getImage() != null).hasSizeGreaterThanOrEqualTo(3);

        Label count = robot.lookup("#violation-count").queryAs(Label.class);
        String atPaperMargin = count.getText();
        int violationsBefore = match.viewModel().violationsProperty().get();
        Slider margin = robot.lookup("#margin-slider").queryAs(Slider.class);
        robot.clickOn(margin);
        robot.type(javafx.scene.input.KeyCode.HOME);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(margin.getValue()).isEqualTo(0.0);
        int violationsAtZero = match.viewModel().violationsProperty().get();
        assertThat(violationsAtZero).isLessThan(violationsBefore);
        assertThat(count.getText()).isNotEqualTo(atPaperMargin).startsWith(violationsAtZero + " of ");
        assertThat(robot.lookup("#triplet-info").queryAs(Label.class).getText()).contains("at m = 0.00");
    }

    private static Point2D screenOf(MatchView match, int node) {
        double[] s = match.canvas().screen(node);
        return match.canvas().localToScreen(s[0], s[1]);
    }
}
