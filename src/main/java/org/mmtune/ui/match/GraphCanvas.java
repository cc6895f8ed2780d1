package org.mmtune.ui.match;

import java.util.List;
import java.util.function.IntConsumer;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.image.Image;
import javafx.scene.layout.Pane;
import javafx.scene.paint.Color;
import org.mmtune.data.ClassInfo;
import org.mmtune.ui.common.ClassColors;
import org.mmtune.ui.common.Perf;

/**
 * The match graph on a canvas: nodes in class colours (patch thumbnails when zoomed in), positive
 * edges in the class colour, negative edges dashed; violated triplets ringed in red; the selected
 * node's triplet drawn thick. Wheel zooms around the cursor, drag pans, double-click fits. Edges and
 * dots are drawn by hand into one image per frame ({@link EdgeRaster}), which keeps zooming and panning
 * smooth with the software renderer too.
 */
public final class GraphCanvas extends Pane {

    private static final Color VIOLATION = Color.rgb(255, 40, 40, 0.85);
    private static final Color BACKGROUND = Color.rgb(30, 31, 34);
    private static final double NODE_RADIUS = 5;
    private static final double THUMB_MIN = 26;

    private final Canvas canvas = new Canvas();
    private final EdgeRaster raster = new EdgeRaster();
    private MatchResult result;
    private List<ClassInfo> classes = List.of();
    private double margin;
    private boolean showNegatives = true;
    private int selected = -1;
    private int hover = -1;
    private double scale = 1;
    private double tx;
    private double ty;
    private double dragX;
    private double dragY;
    private boolean dragged;
    private boolean fitPending = true;
    private IntConsumer onClick = i -> { };
    private IntConsumer onHover = i -> { };
    private double lastDrawMs;

    private boolean dirty;
    private final Runnable pulseCheck = () -> {
        if (dirty && shown()) {
            redraw();
        }
    };

    public GraphCanvas() {
        getChildren().add(canvas);
        // drawing into a hidden canvas only queues commands that are rasterised later; draw when shown
        sceneProperty().addListener((o, a, b) -> {
            if (a != null) {
                a.removePreLayoutPulseListener(pulseCheck);
            }
            if (b != null) {
                b.addPreLayoutPulseListener(pulseCheck);
            }
        });
        setStyle("-fx-background-color: #1e1f22;");
        setMinSize(100, 100);
        canvas.widthProperty().addListener((o, a, b) -> resized());
        canvas.heightProperty().addListener((o, a, b) -> resized());
        setOnScroll(e -> {
            zoomAt(Math.pow(1.0015, e.getDeltaY()), e.getX(), e.getY());
            e.consume();
        });
        setOnMousePressed(e -> {
            dragX = e.getX() - tx;
            dragY = e.getY() - ty;
            dragged = false;
        });
        setOnMouseDragged(e -> {
            tx = e.getX() - dragX;
            ty = e.getY() - dragY;
            dragged = true;
            redraw();
        });
        setOnMouseMoved(e -> {
            int h = nodeAt(e.getX(), e.getY());
            if (h != hover) {
                hover = h;
                onHover.accept(h);
                redraw();
            }
        });
        setOnMouseClicked(e -> {
            if (e.getClickCount() == 2) {
                fit();
                return;
            }
            if (!dragged) {
                onClick.accept(nodeAt(e.getX(), e.getY()));
            }
        });
    }

    @Override
    protected void layoutChildren() {
        canvas.setWidth(getWidth());
        canvas.setHeight(getHeight());
    }

    private void resized() {
        if (fitPending || result != null) {
            fit();
        }
    }

    public void setOnNodeClicked(IntConsumer c) {
        onClick = c;
    }

    public void setOnNodeHovered(IntConsumer c) {
        onHover = c;
    }

    public void setResult(MatchResult r, List<ClassInfo> classes) {
        boolean refit = result == null || r == null || result.positions().length != r.positions().length
                || result.layout() != r.layout();
        this.result = r;
        this.classes = classes == null ? List.of() : classes;
        if (refit) {
            fit();
        } else {
            redraw();
        }
    }

    public void setMargin(double m) {
        margin = m;
        redraw();
    }

    public void setShowNegatives(boolean b) {
        showNegatives = b;
        redraw();
    }

    public void setSelected(int node) {
        selected = node;
        redraw();
    }

    public double scale() {
        return scale;
    }

    /** Time of the last redraw (ms). */
    public double lastDrawMs() {
        return lastDrawMs;
    }

    /** Screen position of a node (for tests and hit testing). */
    public double[] screen(int node) {
        double[] p = result.positions()[node];
        return new double[] {tx + p[0] * scale, ty + p[1] * scale};
    }

    public void zoomAt(double factor, double x, double y) {
        double s = Math.max(20, Math.min(60000, scale * factor));
        double f = s / scale;
        tx = x - (x - tx) * f;
        ty = y - (y - ty) * f;
        scale = s;
        redraw();
    }

    /** Fits the graph to the canvas. */
    public void fit() {
        double w = getWidth();
        double h = getHeight();
        if (w <= 0 || h <= 0) {
            fitPending = true;
            return;
        }
        fitPending = false;
        scale = Math.min(w, h) / 2 * 0.9;
        tx = w / 2;
        ty = h / 2;
        redraw();
    }

    /** The node under (x, y), or -1. */
    public int nodeAt(double x, double y) {
        if (result == null) {
            return -1;
        }
        double r = Math.max(NODE_RADIUS + 3, thumbSide() / 2);
        int best = -1;
        double bestD = r * r;
        double[][] p = result.positions();
        for (int i = 0; i < p.length; i++) {
            double dx = tx + p[i][0] * scale - x;
            double dy = ty + p[i][1] * scale - y;
            double d = dx * dx + dy * dy;
            if (d <= bestD) {
                bestD = d;
                best = i;
            }
        }
        return best;
    }

    /** Side of node thumbnails at this zoom (0 = plain dots). */
    private double thumbSide() {
        if (result == null || result.positions().length == 0) {
            return 0;
        }
        // about 60% of the mean spacing between nodes on screen
        double spacing = scale * 2 / Math.sqrt(result.positions().length);
        double side = spacing * 0.6;
        return side >= THUMB_MIN ? Math.min(side, 160) : 0;
    }

    /** Device pixels per canvas unit (above 1 on HiDPI screens), so the hand-drawn layer stays sharp. */
    private double renderScale() {
        if (getScene() != null && getScene().getWindow() != null) {
            double s = getScene().getWindow().getOutputScaleX();
            if (s >= 1 && s <= 4) {
                return s;
            }
        }
        return 1;
    }

    /** Whether this canvas is in a scene and it and all its ancestors are visible. */
    private boolean shown() {
        if (getScene() == null) {
            return false;
        }
        for (javafx.scene.Node n = this; n != null; n = n.getParent()) {
            if (!n.isVisible()) {
                return false;
            }
        }
        return true;
    }

    /** Redraws everything (at the next pulse when the canvas is hidden, e.g. its tab is in the back). */
    public void redraw() {
        if (!shown()) {
            dirty = true;
            return;
        }
        dirty = false;
        long t0 = System.nanoTime();
        GraphicsContext g = canvas.getGraphicsContext2D();
        double w = canvas.getWidth();
        double h = canvas.getHeight();
        g.clearRect(0, 0, w, h); // a clear of the whole canvas also drops any commands still queued
        if (result == null) {
            g.setFill(BACKGROUND);
            g.fillRect(0, 0, w, h);
            g.setFill(Color.gray(0.7));
            g.fillText("No graph yet: open a dataset; the Mix view's batch is graphed here.", 20, 30);
            return;
        }
        double[][] p = result.positions();
        int n = p.length;
        double[] sx = new double[n];
        double[] sy = new double[n];
        for (int i = 0; i < n; i++) {
            sx[i] = tx + p[i][0] * scale;
            sy[i] = ty + p[i][1] * scale;
        }
        int[] labels = result.graph().labels();
        double side = thumbSide();
        // edges (and plain dots) into one image drawn by hand: see EdgeRaster for why not canvas strokes
        double rs = renderScale();
        raster.begin((int) Math.ceil(w * rs), (int) Math.ceil(h * rs), BACKGROUND);
        if (showNegatives) {
            for (int[] e : result.negativeEdges()) {
                raster.line(sx[e[0]] * rs, sy[e[0]] * rs, sx[e[1]] * rs, sy[e[1]] * rs, 0xC8C8C8, 0.28, 0.8 * rs,
                        4 * rs);
            }
        }
        int[] classRgb = new int[256];
        for (int c = 0; c < classRgb.length; c++) {
            classRgb[c] = EdgeRaster.opaque(ClassColors.fx(classes, c)) & 0xFFFFFF;
        }
        for (int[] e : result.positiveEdges()) {
            raster.line(sx[e[0]] * rs, sy[e[0]] * rs, sx[e[1]] * rs, sy[e[1]] * rs, classRgb[labels[e[0]] & 0xFF],
                    0.85, 1.3 * rs, 0);
        }
        int violationRgb = EdgeRaster.opaque(VIOLATION) & 0xFFFFFF;
        if (side <= 0) {
            for (int i = 0; i < n; i++) {
                if (sx[i] < -20 || sy[i] < -20 || sx[i] > w + 20 || sy[i] > h + 20) {
                    continue;
                }
                raster.disc(sx[i] * rs, sy[i] * rs, NODE_RADIUS * rs, classRgb[labels[i] & 0xFF]);
                if (result.violated(i, margin)) {
                    double r = (NODE_RADIUS + 2) * rs;
                    raster.ring(sx[i] * rs, sy[i] * rs, r - 0.6 * rs, r + 0.6 * rs, violationRgb, VIOLATION.getOpacity());
                }
            }
        }
        g.drawImage(raster.finish(), 0, 0, w, h);
        // nodes as patch thumbnails when zoomed in (only those on screen)
        if (side > 0) {
            Image[] thumbs = result.mix().thumbs();
            g.setLineWidth(3);
            for (int i = 0; i < n; i++) {
                if (sx[i] < -side - 10 || sy[i] < -side - 10 || sx[i] > w + side + 10 || sy[i] > h + side + 10) {
                    continue;
                }
                Color c = ClassColors.fx(classes, labels[i]);
                double half = side / 2;
                g.drawImage(thumbs[i], sx[i] - half, sy[i] - half, side, side);
                g.setStroke(c);
                g.strokeRect(sx[i] - half, sy[i] - half, side, side);
                if (result.violated(i, margin)) {
                    g.setStroke(VIOLATION);
                    g.setLineWidth(1.5);
                    g.strokeRect(sx[i] - half - 3, sy[i] - half - 3, side + 6, side + 6);
                    g.setLineWidth(3);
                }
            }
        }
        // selected triplet on top
        if (selected >= 0 && selected < n) {
            int[] t = result.graph().triplet(selected);
            g.setLineWidth(3.5);
            g.setStroke(Color.WHITE);
            g.strokeLine(sx[t[0]], sy[t[0]], sx[t[1]], sy[t[1]]);
            if (t[2] >= 0) {
                g.setLineDashes(8, 5);
                g.setStroke(Color.rgb(255, 120, 120));
                g.strokeLine(sx[t[0]], sy[t[0]], sx[t[2]], sy[t[2]]);
                g.setLineDashes((double[]) null);
            }
            ring(g, sx[t[0]], sy[t[0]], side, Color.WHITE, "A");
            ring(g, sx[t[1]], sy[t[1]], side, Color.rgb(120, 255, 140), "P");
            if (t[2] >= 0) {
                ring(g, sx[t[2]], sy[t[2]], side, Color.rgb(255, 120, 120), "N");
            }
        }
        if (hover >= 0 && hover < n && hover != selected) {
            ring(g, sx[hover], sy[hover], side, Color.rgb(255, 255, 255, 0.8), null);
        }
        lastDrawMs = (System.nanoTime() - t0) / 1e6;
        Perf.record("match: redraw " + n + " nodes", lastDrawMs);
    }

    private static void ring(GraphicsContext g, double x, double y, double side, Color c, String tag) {
        double r = side > 0 ? side / 2 + 5 : NODE_RADIUS + 5;
        g.setStroke(c);
        g.setLineWidth(2.5);
        if (side > 0) {
            g.strokeRect(x - r, y - r, 2 * r, 2 * r);
        } else {
            g.strokeOval(x - r, y - r, 2 * r, 2 * r);
        }
        if (tag != null) {
            g.setFill(c);
            g.fillText(tag, x + r + 2, y - r + 2);
        }
    }

    /** Snapshot of the canvas (FX thread). */
    public javafx.scene.image.WritableImage snapshotImage() {
        return canvas.snapshot(null, null);
    }
}
