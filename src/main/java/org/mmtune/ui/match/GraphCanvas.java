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
 * node's triplet drawn thick. Wheel zooms around the cursor, drag pans, double-click fits.
 */
public final class GraphCanvas extends Pane {

    private static final Color VIOLATION = Color.rgb(255, 40, 40, 0.85);
    private static final double NODE_RADIUS = 5;
    private static final double THUMB_MIN = 26;

    private final Canvas canvas = new Canvas();
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
        g.setFill(Color.rgb(30, 31, 34));
        g.fillRect(0, 0, w, h);
        if (result == null) {
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
        // negative edges: dashed, one path
        if (showNegatives) {
            g.setLineDashes(4, 4);
            g.setLineWidth(0.8);
            g.setStroke(Color.rgb(200, 200, 200, 0.28));
            g.beginPath();
            for (int[] e : result.negativeEdges()) {
                g.moveTo(sx[e[0]], sy[e[0]]);
                g.lineTo(sx[e[1]], sy[e[1]]);
            }
            g.stroke();
            g.setLineDashes((double[]) null);
        }
        // positive edges: one path per class
        g.setLineWidth(1.3);
        int maxLabel = 0;
        for (int l : labels) {
            maxLabel = Math.max(maxLabel, l);
        }
        for (int c = 0; c <= maxLabel; c++) {
            boolean any = false;
            for (int[] e : result.positiveEdges()) {
                if (labels[e[0]] != c) {
                    continue;
                }
                if (!any) {
                    g.setStroke(ClassColors.fx(classes, c).deriveColor(0, 1, 1, 0.85));
                    g.beginPath();
                    any = true;
                }
                g.moveTo(sx[e[0]], sy[e[0]]);
                g.lineTo(sx[e[1]], sy[e[1]]);
            }
            if (any) {
                g.stroke();
            }
        }
        // nodes
        double side = thumbSide();
        Image[] thumbs = result.mix().thumbs();
        g.setLineWidth(side > 0 ? 3 : 1.6);
        for (int i = 0; i < n; i++) {
            if (sx[i] < -side - 10 || sy[i] < -side - 10 || sx[i] > w + side + 10 || sy[i] > h + side + 10) {
                continue;
            }
            Color c = ClassColors.fx(classes, labels[i]);
            boolean violated = result.violated(i, margin);
            if (side > 0) {
                double half = side / 2;
                g.drawImage(thumbs[i], sx[i] - half, sy[i] - half, side, side);
                g.setStroke(c);
                g.strokeRect(sx[i] - half, sy[i] - half, side, side);
                if (violated) {
                    g.setStroke(VIOLATION);
                    g.setLineWidth(1.5);
                    g.strokeRect(sx[i] - half - 3, sy[i] - half - 3, side + 6, side + 6);
                    g.setLineWidth(3);
                }
            } else {
                g.setFill(c);
                g.fillOval(sx[i] - NODE_RADIUS, sy[i] - NODE_RADIUS, 2 * NODE_RADIUS, 2 * NODE_RADIUS);
                if (violated) {
                    g.setStroke(VIOLATION);
                    g.setLineWidth(1.2);
                    g.strokeOval(sx[i] - NODE_RADIUS - 2, sy[i] - NODE_RADIUS - 2, 2 * NODE_RADIUS + 4,
                            2 * NODE_RADIUS + 4);
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
