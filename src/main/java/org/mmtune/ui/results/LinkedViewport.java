package org.mmtune.ui.results;

import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.scene.Group;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.shape.Rectangle;
import javafx.scene.transform.Scale;
import javafx.scene.transform.Translate;

/**
 * Zoom and pan shared by several image panes: scrolling in any pane zooms all of them around the same
 * image point, dragging pans all of them, double-click fits. All panes show content of the same pixel
 * size (image, truth, predictions), so one transform serves them all.
 */
final class LinkedViewport {

    private final DoubleProperty scale = new SimpleDoubleProperty(1);
    private final DoubleProperty tx = new SimpleDoubleProperty();
    private final DoubleProperty ty = new SimpleDoubleProperty();
    private final List<Pane> panes = new ArrayList<>();
    private double contentW;
    private double contentH;
    private boolean userMoved;

    DoubleProperty scaleProperty() {
        return scale;
    }

    /** A new pane that follows this viewport, with a caption at its top. */
    Pane newPane() {
        Pane p = new Pane();
        panes.add(p);
        return p;
    }

    void setContentSize(double w, double h) {
        boolean changed = w != contentW || h != contentH;
        contentW = w;
        contentH = h;
        if (changed) {
            userMoved = false;
            fit();
        }
    }

    void fit() {
        if (panes.isEmpty() || contentW <= 0) {
            return;
        }
        Pane ref = panes.get(0);
        double w = ref.getWidth();
        double h = ref.getHeight();
        if (w <= 0 || h <= 0) {
            return;
        }
        double s = Math.min(w / contentW, h / contentH) * 0.98;
        scale.set(s);
        tx.set((w - contentW * s) / 2);
        ty.set((h - contentH * s) / 2);
        userMoved = false;
    }

    void zoomAt(double factor, double x, double y) {
        double s = Math.max(0.05, Math.min(40, scale.get() * factor));
        double f = s / scale.get();
        tx.set(x - (x - tx.get()) * f);
        ty.set(y - (y - ty.get()) * f);
        scale.set(s);
        userMoved = true;
    }

    /** One image pane of the viewport. */
    final class Pane extends Region {
        private final Group holder = new Group();
        private final Label caption = new Label();
        private final StackPane captionBox = new StackPane(caption);
        private double dragX;
        private double dragY;

        Pane() {
            Scale sc = new Scale();
            sc.xProperty().bind(scale);
            sc.yProperty().bind(scale);
            Translate tr = new Translate();
            tr.xProperty().bind(tx);
            tr.yProperty().bind(ty);
            holder.getTransforms().setAll(tr, sc);
            caption.setStyle("-fx-text-fill: white; -fx-font-size: 12px; -fx-font-weight: bold;");
            captionBox.setStyle("-fx-background-color: rgba(0,0,0,0.6); -fx-padding: 2 6 2 6;");
            captionBox.setMouseTransparent(true);
            getChildren().addAll(holder, captionBox);
            Rectangle clip = new Rectangle();
            clip.widthProperty().bind(widthProperty());
            clip.heightProperty().bind(heightProperty());
            setClip(clip);
            setMinSize(60, 60);
            setPrefSize(300, 240);
            setStyle("-fx-background-color: #2b2b2b;");
            setOnScroll(e -> {
                zoomAt(Math.pow(1.0015, e.getDeltaY()), e.getX(), e.getY());
                e.consume();
            });
            setOnMousePressed(e -> {
                dragX = e.getX() - tx.get();
                dragY = e.getY() - ty.get();
                requestFocus();
            });
            setOnMouseDragged(e -> {
                tx.set(e.getX() - dragX);
                ty.set(e.getY() - dragY);
                userMoved = true;
            });
            setOnMouseClicked(e -> {
                if (e.getClickCount() == 2) {
                    fit();
                }
            });
        }

        void setContent(Node... layers) {
            holder.getChildren().setAll(layers);
        }

        Label caption() {
            return caption;
        }

        @Override
        protected void layoutChildren() {
            holder.relocate(0, 0);
            captionBox.autosize();
            captionBox.relocate(0, 0);
            if (!userMoved && this == panes.get(0)) {
                fit();
            }
        }
    }
}
