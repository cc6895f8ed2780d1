package org.mmtune.ui.train;

import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.concurrent.Task;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Label;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.Pane;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import org.mmtune.experiment.runs.EmbeddingSnapshot;

/**
 * The M&M batch's patch embeddings in 2-D (the pipeline's PCA), one dot per patch in its class colour.
 * Hover names the class; clicking a dot shows its patch, cropped from the dataset image.
 */
final class EmbeddingView extends BorderPane {

    private static final double R = 4;

    private final Canvas canvas = new Canvas(300, 240);
    private final Label title = new Label("Embeddings (PCA): no M&M snapshot yet");
    private final ImageView patchView = new ImageView();
    private final Label patchInfo = new Label("Click a point to see its patch.");
    private final ObjectProperty<EmbeddingSnapshot> snapshot = new SimpleObjectProperty<>(this, "snapshot");
    private final IntegerProperty selected = new SimpleIntegerProperty(this, "selected", -1);
    private IntFunction<Color> classColor = EmbeddingView::fallbackColor;
    private IntFunction<String> className = i -> "class " + i;
    private Function<EmbeddingSnapshot.PatchRef, Image> patchLoader = p -> null;
    private double minX;
    private double maxX;
    private double minY;
    private double maxY;

    EmbeddingView() {
        Pane holder = new Pane(canvas) {
            @Override
            protected void layoutChildren() {
                canvas.setWidth(Math.max(10, getWidth()));
                canvas.setHeight(Math.max(10, getHeight()));
                redraw();
            }
        };
        holder.setMinSize(160, 120);
        holder.setStyle("-fx-background-color: white; -fx-border-color: #ccc;");
        title.setStyle("-fx-font-weight: bold;");
        title.setPadding(new Insets(0, 0, 4, 0));
        patchView.setFitWidth(128);
        patchView.setFitHeight(128);
        patchView.setPreserveRatio(true);
        patchView.setSmooth(false);
        patchInfo.setWrapText(true);
        patchInfo.setMaxWidth(150);
        VBox side = new VBox(6, patchView, patchInfo);
        side.setAlignment(Pos.TOP_CENTER);
        side.setPadding(new Insets(0, 0, 0, 8));
        side.setPrefWidth(160);
        side.setMinWidth(140);
        setTop(title);
        setCenter(holder);
        setRight(side);
        snapshot.addListener((o, a, b) -> {
            fitBounds();
            if (b == null) {
                title.setText("Embeddings (PCA): no M&M snapshot yet");
            } else {
                title.setText("Embeddings (PCA) at M&M iteration " + b.iteration() + ": " + b.points().length + " patches");
            }
            int sel = selected.get();
            if (b == null || sel >= b.points().length) {
                selected.set(-1);
            } else if (sel >= 0) {
                showPatch(sel);
            }
            redraw();
        });
        javafx.scene.control.Tooltip tip = new javafx.scene.control.Tooltip();
        tip.setShowDelay(javafx.util.Duration.millis(100));
        canvas.setOnMouseMoved(e -> {
            int i = nearest(e.getX(), e.getY());
            EmbeddingSnapshot s = snapshot.get();
            if (i >= 0 && s != null) {
                tip.setText(className.apply(s.labels()[i]));
                javafx.scene.control.Tooltip.install(canvas, tip);
            } else {
                javafx.scene.control.Tooltip.uninstall(canvas, tip);
            }
        });
        canvas.setOnMouseClicked(e -> {
            int i = nearest(e.getX(), e.getY());
            if (i >= 0) {
                selected.set(i);
                showPatch(i);
                redraw();
            }
        });
    }

    ObjectProperty<EmbeddingSnapshot> snapshotProperty() {
        return snapshot;
    }

    IntegerProperty selectedProperty() {
        return selected;
    }

    Label patchInfo() {
        return patchInfo;
    }

    ImageView patchView() {
        return patchView;
    }

    Canvas canvas() {
        return canvas;
    }

    void setClasses(IntFunction<Color> colors, IntFunction<String> names) {
        this.classColor = colors;
        this.className = names;
        redraw();
    }

    /** How a patch's pixels are found (called off the FX thread). */
    void setPatchLoader(Function<EmbeddingSnapshot.PatchRef, Image> loader) {
        this.patchLoader = loader;
    }

    /** Canvas coordinates of point i (for tests and hit testing). */
    double[] screen(int i) {
        EmbeddingSnapshot s = snapshot.get();
        double w = canvas.getWidth() - 4 * R;
        double h = canvas.getHeight() - 4 * R;
        double sx = maxX > minX ? (s.points()[i][0] - minX) / (maxX - minX) : 0.5;
        double sy = maxY > minY ? (s.points()[i][1] - minY) / (maxY - minY) : 0.5;
        return new double[] {2 * R + sx * w, 2 * R + (1 - sy) * h};
    }

    private void fitBounds() {
        EmbeddingSnapshot s = snapshot.get();
        minX = minY = Double.POSITIVE_INFINITY;
        maxX = maxY = Double.NEGATIVE_INFINITY;
        if (s == null) {
            return;
        }
        for (double[] p : s.points()) {
            minX = Math.min(minX, p[0]);
            maxX = Math.max(maxX, p[0]);
            minY = Math.min(minY, p[1]);
            maxY = Math.max(maxY, p[1]);
        }
    }

    private int nearest(double x, double y) {
        EmbeddingSnapshot s = snapshot.get();
        if (s == null) {
            return -1;
        }
        int best = -1;
        double bestD = (3 * R) * (3 * R);
        for (int i = 0; i < s.points().length; i++) {
            double[] p = screen(i);
            double d = (p[0] - x) * (p[0] - x) + (p[1] - y) * (p[1] - y);
            if (d <= bestD) {
                bestD = d;
                best = i;
            }
        }
        return best;
    }

    private void showPatch(int i) {
        EmbeddingSnapshot s = snapshot.get();
        if (s == null || i < 0 || i >= s.labels().length) {
            return;
        }
        String cls = className.apply(s.labels()[i]);
        if (i >= s.patches().size()) {
            patchInfo.setText(cls + " (the snapshot has no patch record)");
            patchView.setImage(null);
            return;
        }
        EmbeddingSnapshot.PatchRef ref = s.patches().get(i);
        patchInfo.setText(cls + "\n" + ref.image() + "\ncentre " + ref.cx() + "," + ref.cy() + " · side " + ref.size());
        Function<EmbeddingSnapshot.PatchRef, Image> loader = patchLoader;
        Task<Image> t = new Task<>() {
            @Override
            protected Image call() {
                return loader.apply(ref);
            }
        };
        t.setOnSucceeded(e -> {
            if (selected.get() == i && snapshot.get() == s) {
                patchView.setImage(t.getValue());
                if (t.getValue() == null) {
                    patchInfo.setText(patchInfo.getText() + "\n(image not found in the dataset)");
                }
            }
        });
        Thread th = new Thread(t, "patch-crop");
        th.setDaemon(true);
        th.start();
    }

    void redraw() {
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.setFill(Color.WHITE);
        g.fillRect(0, 0, canvas.getWidth(), canvas.getHeight());
        EmbeddingSnapshot s = snapshot.get();
        if (s == null) {
            g.setFill(Color.GRAY);
            g.setFont(Font.font(12));
            g.fillText("Points appear here during M&M tuning.", 12, 24);
            return;
        }
        for (int i = 0; i < s.points().length; i++) {
            double[] p = screen(i);
            g.setFill(classColor.apply(s.labels()[i]));
            g.fillOval(p[0] - R, p[1] - R, 2 * R, 2 * R);
        }
        int sel = selected.get();
        if (sel >= 0 && sel < s.points().length) {
            double[] p = screen(sel);
            g.setStroke(Color.BLACK);
            g.setLineWidth(2);
            g.strokeOval(p[0] - 2 * R, p[1] - 2 * R, 4 * R, 4 * R);
        }
        // legend of the classes present
        List<Integer> present = java.util.Arrays.stream(s.labels()).distinct().sorted().boxed().toList();
        g.setFont(Font.font(11));
        double longest = 0;
        for (int c : present) {
            longest = Math.max(longest, className.apply(c).length());
        }
        g.setFill(Color.rgb(255, 255, 255, 0.85));
        g.fillRect(2, 2, 24 + longest * 6.5, 6 + 13 * present.size());
        double y = 14;
        for (int c : present) {
            g.setFill(classColor.apply(c));
            g.fillRect(6, y - 8, 9, 9);
            g.setFill(Color.BLACK);
            g.fillText(className.apply(c), 19, y);
            y += 13;
        }
    }

    static Color fallbackColor(int i) {
        return Color.hsb((i * 137.508) % 360, 0.75, 0.85);
    }
}
