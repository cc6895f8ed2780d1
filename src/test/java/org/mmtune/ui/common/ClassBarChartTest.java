package org.mmtune.ui.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.image.Image;
import javafx.scene.layout.StackPane;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mmtune.data.ClassInfo;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The class bar chart drawn off the FX thread: bars in class colours, hover text, redraw on resize. */
@ExtendWith(ApplicationExtension.class)
class ClassBarChartTest {

    private static final List<ClassInfo> CLASSES = List.of(new ClassInfo(0, "Sky", 0x808080),
            new ClassInfo(1, "Building", 0x800000), new ClassInfo(2, "Road", 0x804080));

    private ClassBarChart chart;
    private StackPane root;

    @Start
    void start(Stage stage) {
        chart = new ClassBarChart("Class pixel frequency", "share of pixels");
        root = new StackPane(chart.node());
        stage.setScene(new Scene(root, 420, 260));
        stage.show();
    }

    private void drawn() throws Exception {
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(chart::upToDate).get());
    }

    @Test
    void drawsOneBarPerClassInItsColourAndNamesItOnHover(FxRobot robot) throws Exception {
        robot.interact(() -> chart.setValues(CLASSES, new double[] {0.5, 0.25, 0.125}));
        drawn();
        Image img = chart.image();
        assertThat(img).isNotNull();
        assertThat(img.getWidth()).isEqualTo(chart.node().getWidth(), org.assertj.core.data.Offset.offset(1.0));
        List<ClassBarChart.Bar> bars = chart.bars();
        assertThat(bars).extracting(ClassBarChart.Bar::classIndex).containsExactly(0, 1, 2);
        // heights follow the values
        assertThat(bars.get(0).area().getHeight()).isGreaterThan(bars.get(1).area().getHeight());
        assertThat(bars.get(1).area().getHeight()).isGreaterThan(bars.get(2).area().getHeight());
        for (ClassBarChart.Bar b : bars) {
            Color c = img.getPixelReader().getColor((int) b.area().getCenterX(), (int) b.area().getCenterY());
            Color want = ClassColors.fx(CLASSES.get(b.classIndex()));
            assertThat(c.getRed()).isCloseTo(want.getRed(), org.assertj.core.data.Offset.offset(0.02));
            assertThat(c.getGreen()).isCloseTo(want.getGreen(), org.assertj.core.data.Offset.offset(0.02));
            assertThat(c.getBlue()).isCloseTo(want.getBlue(), org.assertj.core.data.Offset.offset(0.02));
        }
        ClassBarChart.Bar road = bars.get(2);
        assertThat(chart.barAt(road.area().getCenterX(), road.area().getCenterY()).text())
                .isEqualTo("Road: 0.125 share of pixels");
        // hovering installs the tooltip with that text
        robot.moveTo(chart.node().localToScreen(road.area().getCenterX(), road.area().getCenterY()));
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.control.Tooltip tip = (javafx.scene.control.Tooltip) chart.node().getProperties().get("javafx.scene.control.Tooltip");
        assertThat(tip).isNotNull();
        assertThat(tip.getText()).isEqualTo("Road: 0.125 share of pixels");

        robot.interact(() -> chart.clear("no data"));
        drawn();
        assertThat(chart.bars()).isEmpty();
    }

    @Test
    void coalescesChangesAndRedrawsAtANewSize(FxRobot robot) throws Exception {
        // many changes in one go: only the latest values end up on screen
        robot.interact(() -> {
            chart.node().setMaxWidth(250);
            for (int i = 1; i <= 50; i++) {
                chart.setValues(CLASSES, new double[] {i, 2 * i, 3 * i});
            }
        });
        drawn();
        assertThat(chart.barAt(chart.bars().get(2).area().getCenterX(), chart.bars().get(2).area().getCenterY()).text())
                .isEqualTo("Road: 150 share of pixels");
        double before = chart.image().getWidth();
        // the node grows (not the window: TestFX shares one stage between test classes)
        robot.interact(() -> chart.node().setMaxWidth(Double.MAX_VALUE));
        WaitForAsyncUtils.waitForFxEvents();
        drawn();
        assertThat(before).isLessThanOrEqualTo(250);
        assertThat(chart.image().getWidth()).isGreaterThan(before + 100);
        assertThat(chart.bars()).hasSize(3);
    }

    @Test
    void manyClassesDropTheNamesUnderTheBarsButKeepThemOnHover(FxRobot robot) throws Exception {
        List<ClassInfo> many = new java.util.ArrayList<>();
        double[] values = new double[150];
        for (int i = 0; i < 150; i++) {
            many.add(new ClassInfo(i, "class " + i, org.mmtune.data.Palette.color(i)));
            values[i] = (i % 7) / 7.0;
        }
        robot.interact(() -> chart.setValues(many, values));
        drawn();
        assertThat(chart.namesShown()).isFalse();
        List<ClassBarChart.Bar> bars = chart.bars();
        assertThat(bars).hasSize(150);
        ClassBarChart.Bar b = bars.stream().filter(x -> x.classIndex() == 100).findFirst().orElseThrow();
        assertThat(b.text()).startsWith("class 100: ");

        robot.interact(() -> chart.setValues(CLASSES, new double[] {0.5, 0.25, 0.125}));
        drawn();
        assertThat(chart.namesShown()).isTrue();
    }
}
