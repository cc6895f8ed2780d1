package org.mmtune.ui.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.mmtune.experiment.runs.MetricPoint;

/**
 * The live training charts: loss per iteration (one series per stage, stages laid end to end on one
 * iteration axis); during M&amp;M tuning the share of correctly ordered triplets (‖a−p‖² &lt; ‖a−n‖²) and the
 * mean cos(a,p) − cos(a,n) on a second axis (runs written before these were recorded show the share of
 * triplets inside the margin instead); validation mIoU per epoch. Mutated on the FX thread only.
 */
public final class RunCharts {

    static final Map<String, Color> STAGE_COLORS = Map.of(
            "proxy", new Color(0x1f77b4), "mm", new Color(0xd62728),
            "finetune", new Color(0x2ca02c), "eval", new Color(0x9467bd));

    private final XYSeriesCollection loss = new XYSeriesCollection();
    private final XYSeries ordered = new XYSeries("correctly ordered", false, true);
    private final XYSeries violated = new XYSeries("inside the margin", false, true);
    private final XYSeries cosGap = new XYSeries("cos(a,p) − cos(a,n)", false, true);
    private final XYSeries miou = new XYSeries("val mIoU", false, true);
    private final XYSeriesCollection shareData = new XYSeriesCollection();
    private final XYSeriesCollection gapData = new XYSeriesCollection(cosGap);
    private final XYSeriesCollection miouData = new XYSeriesCollection(miou);
    /** Stage → its first global iteration (stages in the order they appeared). */
    private final Map<String, Integer> stageOffset = new LinkedHashMap<>();
    private final Map<String, Integer> stageMax = new LinkedHashMap<>();
    private final JFreeChart lossChart;
    private final ChartViewer lossViewer;
    private final ChartViewer tripletViewer;
    private final ChartViewer miouViewer;
    private int points;

    RunCharts() {
        lossChart = chart("Loss per iteration", "iteration (stages in order)", "loss", loss, true);
        lossViewer = new ChartViewer(lossChart);
        shareData.addSeries(ordered);
        JFreeChart v = chart("Triplets (M&M)", "M&M iteration", "share of triplets", shareData, true);
        XYPlot vp = v.getXYPlot();
        ((NumberAxis) vp.getRangeAxis()).setRange(0, 1);
        vp.getRenderer().setSeriesPaint(0, STAGE_COLORS.get("mm"));
        vp.getRenderer().setSeriesPaint(1, Color.GRAY);
        NumberAxis gapAxis = new NumberAxis("mean cos(a,p) − cos(a,n)");
        gapAxis.setAutoRangeIncludesZero(true);
        vp.setRangeAxis(1, gapAxis);
        vp.setDataset(1, gapData);
        vp.mapDatasetToRangeAxis(1, 1);
        XYLineAndShapeRenderer gr = new XYLineAndShapeRenderer(true, false);
        gr.setSeriesPaint(0, new Color(0x8c564b));
        gr.setSeriesStroke(0, new BasicStroke(1.4f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {5f, 3f}, 0f));
        vp.setRenderer(1, gr);
        tripletViewer = new ChartViewer(v);
        JFreeChart m = chart("Validation mIoU", "epoch", "mIoU", miouData, false);
        ((NumberAxis) m.getXYPlot().getRangeAxis()).setAutoRangeIncludesZero(true);
        XYLineAndShapeRenderer r = (XYLineAndShapeRenderer) m.getXYPlot().getRenderer();
        r.setDefaultShapesVisible(true);
        r.setSeriesPaint(0, STAGE_COLORS.get("finetune"));
        miouViewer = new ChartViewer(m);
        for (ChartViewer cv : List.of(lossViewer, tripletViewer, miouViewer)) {
            cv.setMinSize(200, 150);
        }
    }

    private static JFreeChart chart(String title, String x, String y, XYSeriesCollection data, boolean legend) {
        JFreeChart c = ChartFactory.createXYLineChart(title, x, y, data, PlotOrientation.VERTICAL, legend, true, false);
        c.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        c.setBackgroundPaint(Color.WHITE);
        XYPlot p = c.getXYPlot();
        p.setBackgroundPaint(new Color(0xfafafa));
        p.setDomainGridlinePaint(new Color(0xdddddd));
        p.setRangeGridlinePaint(new Color(0xdddddd));
        ((NumberAxis) p.getRangeAxis()).setAutoRangeIncludesZero(false);
        ((NumberAxis) p.getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        r.setDefaultStroke(new BasicStroke(1.6f));
        r.setAutoPopulateSeriesStroke(false);
        p.setRenderer(r);
        return c;
    }

    ChartViewer lossViewer() {
        return lossViewer;
    }

    /** The M&amp;M triplet chart: ordered share and mean cosine gap. */
    ChartViewer tripletViewer() {
        return tripletViewer;
    }

    ChartViewer miouViewer() {
        return miouViewer;
    }

    /** Number of loss points shown (all stages). */
    public int lossPoints() {
        return points;
    }

    /** M&amp;M points shown: correctly ordered shares, or for older runs shares inside the margin. */
    int tripletPoints() {
        return ordered.getItemCount() + violated.getItemCount();
    }

    /** Points of the mean cosine gap. */
    int cosGapPoints() {
        return cosGap.getItemCount();
    }

    int miouPoints() {
        return miou.getItemCount();
    }

    void clear() {
        loss.removeAllSeries();
        ordered.clear();
        violated.clear();
        if (shareData.indexOf(violated) >= 0) {
            shareData.removeSeries(violated);
        }
        cosGap.clear();
        miou.clear();
        stageOffset.clear();
        stageMax.clear();
        points = 0;
    }

    void add(List<MetricPoint> batch) {
        if (batch.isEmpty()) {
            return;
        }
        for (int i = 0; i < loss.getSeriesCount(); i++) {
            loss.getSeries(i).setNotify(false);
        }
        for (XYSeries s : List.of(ordered, violated, cosGap, miou)) {
            s.setNotify(false);
        }
        for (MetricPoint m : batch) {
            int x = globalIteration(m);
            if (m.loss() != null && Double.isFinite(m.loss()) && m.loss() >= 0) { // the pipeline writes -1 for a non-finite loss
                XYSeries s = seriesFor(m.stage());
                s.setNotify(false);
                s.add(x, m.loss(), false);
                points++;
            }
            if (m.orderedFraction() != null) {
                ordered.add(m.iteration(), m.orderedFraction(), false);
            } else if (m.violatedFraction() != null) {
                if (shareData.indexOf(violated) < 0) {
                    shareData.addSeries(violated); // an older run: its only triplet figure
                }
                violated.add(m.iteration(), m.violatedFraction(), false);
            }
            if (m.meanCosGap() != null) {
                cosGap.add(m.iteration(), m.meanCosGap(), false);
            }
            if (m.valMIoU() != null) {
                miou.add(m.epoch() != null ? m.epoch() : m.iteration(), m.valMIoU(), false);
            }
        }
        for (int i = 0; i < loss.getSeriesCount(); i++) {
            loss.getSeries(i).setNotify(true);
        }
        for (XYSeries s : List.of(ordered, violated, cosGap, miou)) {
            s.setNotify(true);
        }
    }

    private int globalIteration(MetricPoint m) {
        String stage = m.stage();
        if (!stageOffset.containsKey(stage)) {
            int offset = 0;
            for (Map.Entry<String, Integer> e : stageMax.entrySet()) {
                offset = Math.max(offset, stageOffset.get(e.getKey()) + e.getValue());
            }
            stageOffset.put(stage, offset);
            stageMax.put(stage, 0);
        }
        int span = Math.max(m.iteration(), m.totalIterations());
        stageMax.merge(stage, span, Math::max);
        return stageOffset.get(stage) + m.iteration();
    }

    private XYSeries seriesFor(String stage) {
        int idx = loss.getSeriesIndex(stage);
        if (idx >= 0) {
            return loss.getSeries(idx);
        }
        XYSeries s = new XYSeries(stage, false, true);
        loss.addSeries(s);
        Color c = STAGE_COLORS.getOrDefault(stage, Color.DARK_GRAY);
        lossChart.getXYPlot().getRenderer().setSeriesPaint(loss.getSeriesCount() - 1, c);
        return s;
    }
}
