package org.mmtune.ui.common;

import javafx.geometry.Bounds;
import javafx.scene.Group;
import javafx.scene.Node;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.Region;
import javafx.scene.shape.Rectangle;

/**
 * Shows one node with zoom (mouse wheel, around the cursor) and pan (drag); double-click fits it to the
 * pane. The content keeps its own coordinates, so mouse events on it report image pixels.
 */
public class ZoomPane extends Region {

    private final Group holder = new Group();
    private Node content;
    private double scale = 1;
    private double tx;
    private double ty;
    private double dragX;
    private double dragY;
    private boolean fitPending = true;
    private boolean userMoved;

    public ZoomPane() {
        getChildren().add(holder);
        Rectangle clip = new Rectangle();
        clip.widthProperty().bind(widthProperty());
        clip.heightProperty().bind(heightProperty());
        setClip(clip);
        setMinSize(50, 50);
        setStyle("-fx-background-color: #2b2b2b;");
        setOnScroll(e -> {
            double factor = Math.pow(1.0015, e.getDeltaY());
            zoomAt(factor, e.getX(), e.getY());
            e.consume();
        });
        setOnMousePressed(e -> {
            dragX = e.getX() - tx;
            dragY = e.getY() - ty;
        });
        setOnMouseDragged(e -> {
            if (e.getButton() == MouseButton.PRIMARY || e.getButton() == MouseButton.MIDDLE) {
                tx = e.getX() - dragX;
                ty = e.getY() - dragY;
                userMoved = true;
                apply();
            }
        });
        setOnMouseClicked(e -> {
            if (e.getClickCount() == 2) {
                fit();
            }
        });
    }

    /** Replaces the content; it is fitted to the pane at the next layout. */
    public void setContent(Node node) {
        content = node;
        holder.getChildren().setAll(node);
        fitPending = true;
        requestLayout();
    }

    /** Replaces the content keeping the current zoom and pan (same-size content). */
    public void replaceContent(Node node) {
        content = node;
        holder.getChildren().setAll(node);
    }

    public double scale() {
        return scale;
    }

    public void zoomAt(double factor, double x, double y) {
        double s = Math.max(0.05, Math.min(40, scale * factor));
        double f = s / scale;
        tx = x - (x - tx) * f;
        ty = y - (y - ty) * f;
        scale = s;
        userMoved = true;
        apply();
    }

    /** Scales the content to fit and centres it. */
    public void fit() {
        if (content == null || getWidth() <= 0 || getHeight() <= 0) {
            fitPending = true;
            return;
        }
        Bounds b = content.getLayoutBounds();
        if (b.getWidth() <= 0 || b.getHeight() <= 0) {
            return;
        }
        scale = Math.min(getWidth() / b.getWidth(), getHeight() / b.getHeight()) * 0.98;
        tx = (getWidth() - b.getWidth() * scale) / 2 - b.getMinX() * scale;
        ty = (getHeight() - b.getHeight() * scale) / 2 - b.getMinY() * scale;
        fitPending = false;
        userMoved = false;
        apply();
    }

    private void apply() {
        holder.getTransforms().setAll(new javafx.scene.transform.Translate(tx, ty),
                new javafx.scene.transform.Scale(scale, scale));
    }

    @Override
    protected void layoutChildren() {
        holder.relocate(0, 0);
        if (fitPending) {
            fit();
        }
    }

    @Override
    public void resize(double width, double height) {
        boolean changed = width != getWidth() || height != getHeight();
        super.resize(width, height);
        if (changed && !userMoved) {
            fitPending = true;
        }
    }
}
