package org.mmtune.ui.common;

import java.awt.BasicStroke;
import java.awt.Font;
import java.awt.Paint;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;
import org.mmtune.data.ClassInfo;
import org.slf4j.LoggerFactory;

/** A JFreeChart bar chart with one bar per class, each bar in its class colour. */
public final class ClassBarChart {

    private static final AtomicBoolean PREWARMED = new AtomicBoolean();

    private final DefaultCategoryDataset data = new DefaultCategoryDataset();
    private final ChartViewer viewer;
    private final JFreeChart chart;
    private List<ClassInfo> classes = List.of();

    public ClassBarChart(String title, String valueLabel) {
        chart = createChart(title, valueLabel, data,
                column -> column < classes.size() ? ClassColors.awt(classes.get(column)) : java.awt.Color.GRAY);
        prewarm();
        viewer = new ChartViewer(chart);
        viewer.setMinSize(100, 100);
        viewer.setPrefSize(400, 240);
    }

    private static JFreeChart createChart(String title, String valueLabel, DefaultCategoryDataset data,
                                          IntFunction<Paint> colour) {
        CategoryAxis x = new CategoryAxis(null);
        x.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        x.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        NumberAxis y = new NumberAxis(valueLabel);
        y.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        y.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        BarRenderer renderer = new BarRenderer() {
            @Override
            public Paint getItemPaint(int row, int column) {
                return colour.apply(column);
            }
        };
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setDrawBarOutline(true);
        renderer.setDefaultOutlinePaint(java.awt.Color.DARK_GRAY);
        renderer.setDefaultOutlineStroke(new BasicStroke(0.5f));
        renderer.setItemMargin(0);
        CategoryPlot plot = new CategoryPlot(data, x, y, renderer);
        plot.setOrientation(PlotOrientation.VERTICAL);
        plot.setBackgroundPaint(java.awt.Color.WHITE);
        plot.setRangeGridlinePaint(new java.awt.Color(220, 220, 220));
        plot.setNoDataMessage("computing …");
        plot.setNoDataMessageFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 12), plot, false);
        chart.setBackgroundPaint(java.awt.Color.WHITE);
        return chart;
    }

    /**
     * The first drawing of a chart in a fresh JVM loads JFreeChart's drawing classes and initialises AWT's
     * fonts and text layout (over 100 ms of CPU), which would otherwise happen on the FX thread when the
     * first values arrive. Draws a throw-away chart once on a background thread (into an image and onto a
     * canvas that is in no scene: both legal off the FX thread) so that work is done before then.
     */
    static void prewarm() {
        if (!PREWARMED.compareAndSet(false, true)) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                DefaultCategoryDataset d = new DefaultCategoryDataset();
                for (int i = 0; i < 32; i++) {
                    d.addValue(0.02 + 0.01 * i, "value", "class " + i);
                }
                JFreeChart c = createChart("warm-up", "share of pixels", d, column -> java.awt.Color.GRAY);
                java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(400, 260,
                        java.awt.image.BufferedImage.TYPE_INT_ARGB);
                java.awt.Graphics2D g = img.createGraphics();
                try {
                    c.draw(g, new java.awt.geom.Rectangle2D.Double(0, 0, 400, 260));
                } finally {
                    g.dispose();
                }
                // the viewer's own canvas type, drawing through FXGraphics2D like the real chart
                org.jfree.chart.fx.ChartCanvas canvas = new org.jfree.chart.fx.ChartCanvas(c);
                canvas.setWidth(400);
                canvas.setHeight(260);
                for (int i = 0; i < 3; i++) {
                    canvas.draw();
                }
            } catch (RuntimeException | LinkageError e) {
                LoggerFactory.getLogger(ClassBarChart.class).debug("chart warm-up failed", e);
            }
        }, "mmtune-chart-warmup");
        t.setDaemon(true);
        t.start();
    }

    public ChartViewer node() {
        return viewer;
    }

    /** Sets one value per class (FX thread). */
    public void setValues(List<ClassInfo> classes, double[] values) {
        this.classes = List.copyOf(classes);
        // one redraw for the whole update: every dataset change would otherwise repaint the chart on the FX
        // thread (one repaint per class)
        data.setNotify(false);
        try {
            data.clear();
            for (int i = 0; i < classes.size() && i < values.length; i++) {
                data.addValue(values[i], "value", classes.get(i).name());
            }
        } finally {
            data.setNotify(true);
        }
    }

    /** Removes the bars; the chart shows {@code message} instead. */
    public void clear(String message) {
        ((CategoryPlot) chart.getPlot()).setNoDataMessage(message);
        data.clear();
    }

    public void setTitle(String title) {
        chart.setTitle(title);
    }
}
