package org.mmtune.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.ListView;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mmtune.cli.BadInput;
import org.mmtune.data.Fixtures;
import org.mmtune.data.ImagePair;
import org.mmtune.ui.dataset.DatasetView;
import org.mmtune.ui.mix.MixResult;
import org.mmtune.ui.mix.MixView;
import org.mmtune.ui.mix.MixViewModel;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Bad input in the workbench (issue 7): opening bad folders, a dataset with bad pairs, and impossible values
 * typed into the Mix form give one plain line each (status bar, problem list, message line), never an
 * exception on the FX thread.
 */
@ExtendWith(ApplicationExtension.class)
class BadInputWorkbenchTest extends WorkbenchFixture {

    @TempDir
    Path dir;

    private final List<Throwable> fxErrors = new CopyOnWriteArrayList<>();
    private Thread.UncaughtExceptionHandler before;

    @Start
    void start(Stage stage) {
        show(stage, partOne());
    }

    @BeforeEach
    void watchTheFxThread(FxRobot robot) {
        robot.interact(() -> {
            before = Thread.currentThread().getUncaughtExceptionHandler();
            Thread.currentThread().setUncaughtExceptionHandler((t, e) -> fxErrors.add(e));
        });
    }

    @AfterEach
    void noExceptionOnTheFxThread(FxRobot robot) {
        robot.interact(() -> Thread.currentThread().setUncaughtExceptionHandler(before));
        assertThat(fxErrors).isEmpty();
    }

    private static void assertPlainLine(String s) {
        assertThat(s).doesNotContain("\n").doesNotContain("Exception").doesNotContain("\tat ");
    }

    private String openAndWait(FxRobot robot, Path folder) throws Exception {
        robot.interact(() -> ctx.openDataset(folder));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> !ctx.loadingProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        return ctx.messageProperty().get();
    }

    @Test
    void badFoldersGiveOneLineInTheStatusBar(FxRobot robot) throws Exception {
        Path odd = Files.createDirectories(dir.resolve("holiday photos"));
        Fixtures.rgbImage(odd.resolve("beach.jpg"), 8, 8);
        String m = openAndWait(robot, odd);
        assertThat(m).startsWith("Could not open dataset: ").contains("holiday photos").contains("no known dataset format");
        assertPlainLine(m);

        m = openAndWait(robot, dir.resolve("nowhere"));
        assertThat(m).contains("nowhere").contains("no such folder");
        assertPlainLine(m);

        Path ds = BadInput.dataset(dir.resolve("ds"), 1);
        Fixtures.text(ds.resolve("dataset.json"), "{\"classes\": [{\"name\": \"a\", \"colour\": \"#000000\"}]}");
        m = openAndWait(robot, ds);
        assertThat(m).contains("dataset.json").contains("unknown key 'classes[0].colour'");
        assertPlainLine(m);
        Fixtures.text(ds.resolve("dataset.json"), "{\"classes\": [");
        m = openAndWait(robot, ds);
        assertThat(m).contains("dataset.json").contains("not valid JSON");
        assertPlainLine(m);
        assertThat(ctx.dataset()).isNull();
    }

    @Test
    void badPairsAreCountedInTheDatasetViewAndSkippedInTheMixView(FxRobot robot) throws Exception {
        Path ds = BadInput.dataset(dir.resolve("ds"), 3);
        int bad = BadInput.addBadTrainPairs(ds);
        String m = openAndWait(robot, ds);
        assertThat(m).startsWith("Opened bad-input");
        settle();
        DatasetView view = (DatasetView) wb.view("Dataset").orElseThrow();
        @SuppressWarnings("unchecked")
        ListView<String> problems = robot.lookup("#problems-list").queryAs(ListView.class);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> !problems.getItems().isEmpty()
                && !problems.getItems().get(0).startsWith("checking"));
        List<String> lines = List.copyOf(problems.getItems());
        assertThat(lines.get(0)).startsWith(bad + " problem(s) in train").contains("unreadable " + (bad - 1))
                .contains("size mismatches 1");
        assertThat(lines).allSatisfy(BadInputWorkbenchTest::assertPlainLine);
        assertThat(lines).anyMatch(l -> l.contains("hugepng.png") && l.contains("too large"))
                .anyMatch(l -> l.contains("words.png") && l.contains("not an image"))
                .anyMatch(l -> l.contains("deep.png") && l.contains("16-bit"));

        // selecting a bad pair shows why it cannot be shown, in one line
        ImagePair empty = view.viewModel().pairs().stream().filter(p -> p.id().equals("empty")).findFirst().orElseThrow();
        robot.interact(() -> view.viewModel().selectedProperty().set(empty));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> view.viewModel().imageInfoProperty().get().contains("empty file"));
        assertPlainLine(view.viewModel().imageInfoProperty().get());
        assertThat(view.viewModel().imageProperty().get()).isNull();

        // the Mix view samples the readable pairs and says how many it skipped
        robot.clickOn("#tab-mix");
        settle();
        MixView mix = (MixView) wb.view("Mix").orElseThrow();
        MixResult r = mix.viewModel().resultProperty().get();
        assertThat(r).isNotNull();
        assertThat(r.batch().imageIndices()).hasSize(3);
        assertThat(r.skipped()).hasSize(bad);
        String msg = mix.viewModel().messageProperty().get();
        assertThat(msg).contains(bad + " unreadable images skipped (first: ");
        assertPlainLine(msg);
    }

    @Test
    void theMixFormRefusesImpossibleValuesInPlainWords(FxRobot robot) throws Exception {
        Path ds = BadInput.dataset(dir.resolve("ds"), 3);
        openAndWait(robot, ds);
        robot.clickOn("#tab-mix");
        settle();
        MixView mix = (MixView) wb.view("Mix").orElseThrow();
        MixViewModel vm = mix.viewModel();
        MixResult first = vm.resultProperty().get();
        assertThat(first).isNotNull();
        int images = vm.imagesPerBatchProperty().get();

        // text that is no number: the value stays, the message says why (the stock spinner would throw)
        robot.doubleClickOn("#mix-images .text-field").eraseText(8).write("abc").type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(vm.imagesPerBatchProperty().get()).isEqualTo(images);
        assertThat(vm.messageProperty().get()).isEqualTo("Images / batch: 'abc' is not a whole number; kept " + images);

        // out of range: clamped, and said so
        robot.doubleClickOn("#mix-patches .text-field").eraseText(8).write("-5").type(KeyCode.ENTER);
        settle();
        assertThat(vm.patchesPerImageProperty().get()).isEqualTo(1);
        assertThat(vm.messageProperty().get()).startsWith("Patches / image: -5 is outside 1–500; using 1");

        // the form cannot make the smallest side larger than the largest: the range slider holds them in order
        robot.interact(() -> {
            vm.maxSizeProperty().set(100);
            vm.minSizeProperty().set(300);
        });
        settle();
        assertThat(vm.minSizeProperty().get()).isLessThanOrEqualTo(vm.maxSizeProperty().get());
        assertThat(vm.config().problems()).isEmpty();

        // the view model alone (no form to hold the values in order) refuses to sample, in plain words
        MixViewModel alone = new MixViewModel();
        robot.interact(() -> alone.setDataset(ctx.dataset()));
        settle();
        MixResult current = alone.resultProperty().get();
        assertThat(current).isNotNull();
        robot.interact(() -> {
            alone.maxSizeProperty().set(100);
            alone.minSizeProperty().set(300);
        });
        settle();
        assertThat(alone.resultProperty().get()).isSameAs(current);
        assertThat(alone.messageProperty().get()).isEqualTo("Not sampled: the smallest patch side (300) is larger than "
                + "the largest patch side (100) (the previous batch stays)");
        robot.interact(() -> {
            alone.minSizeProperty().set(64);
            alone.backgroundRatioProperty().set(1.5);
        });
        settle();
        assertThat(alone.messageProperty().get()).isEqualTo("Not sampled: Background ratio must be between 0 and 1 "
                + "(got 1.5) (the previous batch stays)");
        assertPlainLine(vm.messageProperty().get());
    }
}
