package org.mmtune.ui.common;

import java.awt.BasicStroke;
import java.awt.Font;
import java.awt.Paint;
import java.util.List;
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

/** A JFreeChart bar chart with one bar per class, each bar in its class colour. */
public final class ClassBarChart {

    private final DefaultCategoryDataset data = new DefaultCategoryDataset();
    private final ChartViewer viewer;
    private final JFreeChart chart;
    private List<ClassInfo> classes = List.of();

    public ClassBarChart(String title, String valueLabel) {
        CategoryAxis x = new CategoryAxis(null);
        x.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        x.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        NumberAxis y = new NumberAxis(valueLabel);
        y.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        y.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        BarRenderer renderer = new BarRenderer() {
            @Override
            public Paint getItemPaint(int row, int column) {
                return column < classes.size() ? ClassColors.awt(classes.get(column)) : java.awt.Color.GRAY;
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
        chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 12), plot, false);
        chart.setBackgroundPaint(java.awt.Color.WHITE);
        viewer = new ChartViewer(chart);
        viewer.setMinSize(100, 100);
        viewer.setPrefSize(400, 240);
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
