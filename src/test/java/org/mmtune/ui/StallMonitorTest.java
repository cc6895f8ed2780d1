package org.mmtune.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mmtune.data.SampleData;
import org.mmtune.ui.bench.StallMonitor;
import org.mmtune.ui.mix.MixView;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The FX stall monitor: a deliberate block is measured at its full length, and it follows real view work. */
@ExtendWith(ApplicationExtension.class)
class StallMonitorTest extends WorkbenchFixture {

    private StallMonitor monitor;

    @Start
    void start(Stage stage) {
        show(stage, partOne());
    }

    @AfterEach
    void stop() {
        if (monitor != null) {
            monitor.stop();
        }
    }

    private static void waitForGaps(StallMonitor m, String phase, int n) throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> m.stats().stream()
                .anyMatch(s -> s.phase().equals(phase) && s.samples() >= n));
    }

    @Test
    void aDeliberate150msBlockIsReportedAsAtLeast150ms(FxRobot robot) throws Exception {
        monitor = StallMonitor.start(5, "idle");
        waitForGaps(monitor, "idle", 20);
        assertThat(StallMonitor.current()).isSameAs(monitor);
        monitor.phase("blocked");
        robot.interact(() -> {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(150);
            while (System.nanoTime() < end) {
                Thread.onSpinWait();
            }
        });
        waitForGaps(monitor, "blocked", 5);
        StallMonitor.Stats blocked = monitor.stats().stream().filter(s -> s.phase().equals("blocked")).findFirst()
                .orElseThrow();
        assertThat(blocked.max()).isGreaterThanOrEqualTo(150.0);
        assertThat(blocked.overTarget()).isGreaterThanOrEqualTo(1);
        // the FX thread's stack is sampled during the block, so the report says where it was (unless the
        // watchdog itself got no core in those 150 ms, as can happen on a loaded machine)
        if (blocked.worstAt() != null) {
            assertThat(blocked.worstAt()).contains("StallMonitorTest");
        }
        List<String> report = monitor.report();
        assertThat(report).anyMatch(l -> l.matches("blocked: worst stall \\d{3,}\\.\\d ms .*") && l.contains("stalls > 100 ms: ")
                && l.contains("FX thread on CPU for"));
        assertThat(blocked.worstCpu()).as("the block spins on the CPU (how much it got depends on the load)").isPositive();
        assertThat(blocked.worstRenderWait()).as("spinning is the FX thread's own work, not a wait for the renderer")
                .isZero();
        assertThat(blocked.worstOwn()).isEqualTo(blocked.max());
        assertThat(report.get(report.size() - 1)).startsWith("all phases: worst stall").contains("over the 100 ms target");
        assertThat(monitor.worstMs()).isGreaterThanOrEqualTo(150.0);
        monitor.stop();
        assertThat(StallMonitor.current()).isNull();
    }

    @Test
    void framesSlowToPaintShowAsWaitingForTheRenderer(FxRobot robot) throws Exception {
        // a big node under a wide blur: cheap for the FX thread to change, slow for the software renderer to
        // paint, so each pulse waits for the previous frame to finish
        javafx.scene.canvas.Canvas heavy = new javafx.scene.canvas.Canvas(1200, 700);
        heavy.getGraphicsContext2D().setFill(javafx.scene.paint.Color.DARKCYAN);
        heavy.getGraphicsContext2D().fillOval(100, 100, 1000, 500);
        heavy.setEffect(new javafx.scene.effect.GaussianBlur(30));
        javafx.scene.layout.StackPane layer = new javafx.scene.layout.StackPane(heavy);
        layer.setMouseTransparent(true);
        javafx.animation.AnimationTimer spin = new javafx.animation.AnimationTimer() {
            @Override
            public void handle(long now) {
                heavy.setRotate((heavy.getRotate() + 7) % 360);
            }
        };
        robot.interact(() -> {
            ((javafx.scene.layout.BorderPane) wb).setCenter(layer);
            spin.start();
        });
        try {
            monitor = StallMonitor.start(5, "painting");
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            StallMonitor.Stats s = null;
            do {
                Thread.sleep(200);
                List<StallMonitor.Stats> stats = monitor.stats();
                s = stats.isEmpty() ? s : stats.get(0);
            } while ((s == null || s.worstRenderWait() < 10) && System.nanoTime() < until);
            assertThat(s).as("the FX thread answered the monitor").isNotNull();
            assertThat(s.worstRenderWait()).as("stalls spent waiting for the renderer: " + s.line()).isGreaterThanOrEqualTo(10);
            assertThat(s.worstOwn()).isLessThan(s.max());
            assertThat(s.line()).contains("for the renderer to finish the previous frame")
                    .contains("apart from waiting for the renderer");
        } finally {
            robot.interact(spin::stop);
        }
    }

    @Test
    void measuresWhileTheViewsLoadSampleAndRegraph(FxRobot robot) throws Exception {
        monitor = StallMonitor.start(5, "start-up");
        Path sample = SampleData.locate().orElseThrow();
        robot.interact(() -> ctx.openDataset(sample));
        awaitDataset(ctx);
        robot.clickOn("#tab-mix");
        settle();
        MixView mix = (MixView) wb.view("Mix").orElseThrow();
        robot.clickOn("#mix-new-seed");
        settle();
        robot.clickOn("#tab-match");
        settle();
        monitor.stop();
        List<StallMonitor.Stats> stats = monitor.stats();
        assertThat(stats).extracting(StallMonitor.Stats::phase)
                .contains("start-up", "Mix view", "Match view");
        assertThat(stats).allSatisfy(s -> {
            assertThat(s.samples()).isPositive();
            assertThat(s.p50()).isPositive().isLessThanOrEqualTo(s.p90());
            assertThat(s.p90()).isLessThanOrEqualTo(s.p99());
            assertThat(s.p99()).isLessThanOrEqualTo(s.max());
        });
        assertThat(mix.items()).isNotEmpty();
        System.out.println(String.join("\n", monitor.report()));
    }
}
