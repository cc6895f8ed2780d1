package org.mmtune.ui.common;

import java.awt.BasicStroke;
import java.awt.Font;
import java.awt.Paint;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Tooltip;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.Region;
import javafx.stage.FileChooser;
import javafx.util.Duration;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.entity.CategoryItemEntity;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;
import org.mmtune.data.ClassInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JFreeChart bar chart with one bar per class, each bar in its class colour, drawn off the FX thread.
 *
 * <p>JFreeChart's FX viewer redraws the whole chart on the FX thread at every data change (60-100 ms of FX
 * CPU for the first draws of a 32-class chart, and a resample or a newly opened dataset changes the data).
 * Here the FX thread only records what to show; a background thread draws the chart with Java2D into an
 * image at the node's size (and the screen's scale), and the FX thread then swaps the image in. Requests
 * coalesce: while a drawing runs, newer changes replace each other and only the latest is drawn next.
 * Hovering a bar tells its class and value; the context menu saves the chart as a PNG.
 */
public final class ClassBarChart {

    private static final Logger LOG = LoggerFactory.getLogger(ClassBarChart.class);

    /** One thread draws the charts of all views (a drawing takes a few ms once warm). */
    private static final ExecutorService DRAWER = Executors.newSingleThreadExecutor(
            org.mmtune.util.Nice.backgroundThreads("mmtune-chart", false));

    /** What to draw: the FX thread's latest wish. */
    private record Wish(long generation, String title, List<ClassInfo> classes, double[] values, String message,
                        int width, int height, double scale) {
    }

    /** A bar's area in the node's coordinates and what hovering it says. */
    record Bar(Rectangle2D area, int classIndex, String text) {
    }

    private final String valueLabel;
    private final ImageView view = new ImageView();
    private final ChartNode node = new ChartNode();
    private final Tooltip tip = new Tooltip();
    private final AtomicBoolean queued = new AtomicBoolean();
    private volatile Wish wish;

    // FX thread
    private String title;
    private List<ClassInfo> classes = List.of();
    private double[] values;
    private String message = "computing …";
    private long generation;
    private long shownGeneration = -1;
    private List<Bar> bars = List.of();
    private boolean tipInstalled;

    // drawing thread only
    private final DefaultCategoryDataset data = new DefaultCategoryDataset();
    private final JFreeChart chart;
    private List<ClassInfo> drawnClasses = List.of();

    public ClassBarChart(String title, String valueLabel) {
        this.title = title;
        this.valueLabel = valueLabel;
        chart = createChart(title, valueLabel, data,
                column -> column < drawnClasses.size() ? ClassColors.awt(drawnClasses.get(column)) : java.awt.Color.GRAY);
        node.getStyleClass().add("class-bar-chart");
        node.setMinSize(100, 100);
        node.setPrefSize(400, 240);
        view.setPreserveRatio(false);
        view.setSmooth(false);
        node.widthProperty().addListener((o, a, b) -> changed());
        node.heightProperty().addListener((o, a, b) -> changed());
        tip.setShowDelay(Duration.millis(150));
        node.setOnMouseMoved(e -> hover(e.getX(), e.getY()));
        node.setOnMouseExited(e -> hover(-1, -1));
        MenuItem save = new MenuItem("Save Chart as PNG…");
        save.setOnAction(e -> saveAs());
        ContextMenu menu = new ContextMenu(save);
        node.setOnContextMenuRequested(e -> menu.show(node, e.getScreenX(), e.getScreenY()));
    }

    /** Horizontal pixels per bar below which the class names under the bars are left out. */
    static final double MIN_NAME_SPACING = 11;

    private volatile boolean namesShown = true;

    /** Whether the last drawing printed the class names under the bars (false when too many classes). */
    boolean namesShown() {
        return namesShown;
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

    public Region node() {
        return node;
    }

    /** Sets one value per class (FX thread). */
    public void setValues(List<ClassInfo> classes, double[] values) {
        this.classes = List.copyOf(classes);
        this.values = values.clone();
        changed();
    }

    /** Removes the bars; the chart shows {@code message} instead (FX thread). */
    public void clear(String message) {
        this.values = null;
        this.message = message;
        changed();
    }

    public void setTitle(String title) {
        this.title = title;
        changed();
    }

    /** True when the image on screen shows the latest values at the node's current size (FX thread). */
    public boolean upToDate() {
        return shownGeneration == generation;
    }

    /** The bars of the image on screen, in node coordinates (FX thread). */
    List<Bar> bars() {
        return bars;
    }

    /** The image on screen, or null before the first drawing. */
    Image image() {
        return view.getImage();
    }

    private void changed() {
        generation++;
        int w = (int) Math.floor(node.getWidth());
        int h = (int) Math.floor(node.getHeight());
        if (w < 10 || h < 10) {
            // not laid out yet: drawn once it has a size
            return;
        }
        double scale = node.getScene() != null && node.getScene().getWindow() != null
                ? Math.max(1, node.getScene().getWindow().getOutputScaleX()) : 1;
        wish = new Wish(generation, title, classes, values, message, w, h, scale);
        if (queued.compareAndSet(false, true)) {
            Background.pending(+1);
            DRAWER.execute(this::drawLatest);
        }
    }

    /** Drawing thread: draws the latest wish and hands the image to the FX thread. */
    private void drawLatest() {
        queued.set(false);
        Wish w = wish;
        BufferedImage img = null;
        List<Bar> hits = List.of();
        try {
            hits = new ArrayList<>();
            img = draw(w, hits);
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("drawing the chart failed", e);
            LOG.warn("could not draw the chart {}: {}", w.title(), e.toString());
        }
        Image fx = img == null ? null : SwingFXUtils.toFXImage(img, null);
        List<Bar> drawnBars = List.copyOf(hits);
        Platform.runLater(() -> {
            try {
                if (fx != null && w.generation() >= shownGeneration) {
                    view.setImage(fx);
                    view.setFitWidth(w.width());
                    view.setFitHeight(w.height());
                    bars = drawnBars;
                    shownGeneration = w.generation();
                }
            } finally {
                Background.pending(-1);
            }
        });
    }

    private BufferedImage draw(Wish w, List<Bar> hits) {
        data.setNotify(false);
        data.clear();
        drawnClasses = w.classes();
        if (w.values() != null) {
            for (int i = 0; i < w.classes().size() && i < w.values().length; i++) {
                data.addValue(w.values()[i], "value", w.classes().get(i).name());
            }
        }
        // Rotated names need about one line height each: with more classes than fit (ADE20K's 150 in a side
        // panel) they would print over each other, so the axis says how to read a bar instead.
        int n = data.getColumnCount();
        boolean names = n == 0 || w.width() / n >= MIN_NAME_SPACING;
        CategoryAxis axis = ((CategoryPlot) chart.getPlot()).getDomainAxis();
        axis.setTickLabelsVisible(names);
        axis.setLabel(names ? null : n + " classes: hover a bar for its name");
        axis.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        namesShown = names;
        ((CategoryPlot) chart.getPlot()).setNoDataMessage(w.message());
        chart.setTitle(w.title());
        data.setNotify(true);
        int pw = (int) Math.ceil(w.width() * w.scale());
        int ph = (int) Math.ceil(w.height() * w.scale());
        BufferedImage img = new BufferedImage(pw, ph, BufferedImage.TYPE_INT_ARGB_PRE);
        java.awt.Graphics2D g = img.createGraphics();
        ChartRenderingInfo info = new ChartRenderingInfo();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.scale(w.scale(), w.scale());
            chart.draw(g, new Rectangle2D.Double(0, 0, w.width(), w.height()), info);
        } finally {
            g.dispose();
        }
        if (info.getEntityCollection() != null) {
            for (Object o : info.getEntityCollection().getEntities()) {
                if (o instanceof CategoryItemEntity ce && ce.getColumnKey() != null) {
                    int column = data.getColumnIndex(ce.getColumnKey());
                    if (column >= 0 && w.values() != null && column < w.values().length) {
                        hits.add(new Bar(ce.getArea().getBounds2D(), w.classes().get(column).index(),
                                w.classes().get(column).name() + ": " + format(w.values()[column]) + " " + valueLabel));
                    }
                }
            }
        }
        return img;
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? String.valueOf((long) v) : String.format("%.3f", v);
    }

    /** The bar under (x, y) in node coordinates, or null. */
    Bar barAt(double x, double y) {
        for (Bar b : bars) {
            if (b.area().contains(x, y)) {
                return b;
            }
        }
        return null;
    }

    private void hover(double x, double y) {
        Bar b = x < 0 ? null : barAt(x, y);
        if (b == null) {
            if (tipInstalled) {
                Tooltip.uninstall(node, tip);
                tipInstalled = false;
            }
            return;
        }
        tip.setText(b.text());
        if (!tipInstalled) {
            Tooltip.install(node, tip);
            tipInstalled = true;
        }
    }

    private void saveAs() {
        Image img = view.getImage();
        if (img == null || node.getScene() == null) {
            return;
        }
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Save chart as PNG");
        chooser.setInitialFileName((title == null ? "chart" : title.toLowerCase().replaceAll("[^a-z0-9]+", "-")) + ".png");
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("PNG image", "*.png"));
        java.io.File f = chooser.showSaveDialog(node.getScene().getWindow());
        if (f == null) {
            return;
        }
        Path target = f.toPath();
        Background.run("save chart", () -> {
            Images.writePng(img, target);
            return target;
        }, p -> LOG.info("chart saved to {}", p), err -> LOG.warn("could not save the chart to {}: {}", target,
                org.mmtune.util.Failures.firstLine(err)));
    }

    /** The chart's node: a plain region whose only child is the drawn image. */
    private final class ChartNode extends Region {
        ChartNode() {
            getChildren().add(view);
        }

        @Override
        protected void layoutChildren() {
            view.relocate(0, 0);
        }
    }
}
