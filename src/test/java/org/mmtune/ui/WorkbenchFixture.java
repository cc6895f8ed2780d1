package org.mmtune.ui;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.mmtune.ui.common.Background;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The set-up the TestFX workbench tests share: the system properties (no engine, the Monocle screen, a test
 * preferences node), a real {@link Workbench} on the TestFX stage, and waits until the views are quiet.
 * TestFX keeps one stage per JVM and the first class to start JavaFX fixes the Monocle screen size, so every
 * workbench test sets the same properties here (the pom sets {@code headless.geometry} too).
 * <p>
 * A subclass still declares its own {@code @Start} method (TestFX looks for it on the test class only) and calls
 * {@link #show} from it.
 */
abstract class WorkbenchFixture {

    /** The preferences node the workbench tests use, so they never touch the user's settings. */
    static final String PREFS_NODE = "org/mmtune/workbench-test";

    WorkbenchContext ctx;
    Workbench wb;

    /** No engine in the UI, the Monocle screen size, the test preferences; before JavaFX starts. */
    @BeforeAll
    static void noEngine() {
        System.setProperty("mmtune.engine", "off");
        System.setProperty("headless.geometry", "1600x1000-32");
        System.setProperty("mmtune.prefsNode", PREFS_NODE);
    }

    /** The views of the first part (Dataset, Mix, Match); Train and Results have their own tests. */
    static List<ViewSpec> partOne() {
        return WorkbenchViews.all().stream().filter(v -> Set.of("Dataset", "Mix", "Match").contains(v.name())).toList();
    }

    /** For the subclass's {@code @Start}: a new context and a workbench with {@code views} on the TestFX stage. */
    void show(Stage stage, List<ViewSpec> views) {
        ctx = new WorkbenchContext();
        wb = new Workbench(ctx, new Settings(), views);
        stage.setScene(new Scene(wb, 1260, 760));
        stage.show();
    }

    /** Waits until {@code ctx} has a dataset (opening one runs in the background). */
    static void awaitDataset(WorkbenchContext ctx) throws Exception {
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> ctx.dataset() != null);
    }

    /** Waits until no background work has been running for three FX event rounds in a row. */
    static void settle() throws Exception {
        int[] quiet = {0};
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> {
            WaitForAsyncUtils.waitForFxEvents();
            quiet[0] = Background.busyProperty().get() == 0 ? quiet[0] + 1 : 0;
            return quiet[0] >= 3;
        });
    }

    /** Waits for {@code ctx}'s dataset, then until the background work is quiet. */
    static void settle(WorkbenchContext ctx) throws Exception {
        awaitDataset(ctx);
        settle();
    }

    /** Clicks the tab {@code #tab-<tab>} and lets the FX events run. */
    static void select(FxRobot robot, String tab) {
        robot.clickOn("#tab-" + tab);
        WaitForAsyncUtils.waitForFxEvents();
    }
}
