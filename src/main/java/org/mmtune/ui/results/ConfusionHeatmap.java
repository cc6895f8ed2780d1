package org.mmtune.ui.results;

import java.util.List;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Pane;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;
import org.mmtune.experiment.runs.RunFiles;

/**
 * A confusion matrix as a heatmap: rows are the true classes, columns the predicted ones, each row
 * normalised to the share of that class's pixels (so the diagonal is the class's recall). Hover shows
 * the counts.
 */
final class ConfusionHeatmap extends Pane {

    private final Canvas canvas = new Canvas();
    private final Tooltip tip = new Tooltip();
    private long[][] matrix = new long[0][];
    private List<String> names = List.of();
    private String title = "Confusion matrix";
    private double cell;
    private double left;
    private double top;

    ConfusionHeatmap() {
        getChildren().add(canvas);
        setMinSize(200, 200);
        Tooltip.install(canvas, tip);
        canvas.setOnMouseMoved(e -> {
            int n = matrix.length;
            int c = (int) Math.floor((e.getX() - left) / cell);
            int r = (int) Math.floor((e.getY() - top) / cell);
            if (n > 0 && r >= 0 && c >= 0 && r < n && c < matrix[r].length) {
                long rowSum = 0;
                for (long v : matrix[r]) {
                    rowSum += v;
                }
                tip.setText(String.format("truth %s → predicted %s: %,d pixels (%.1f%% of %s)", name(r), name(c),
                        matrix[r][c], rowSum == 0 ? 0 : 100.0 * matrix[r][c] / rowSum, name(r)));
            }
        });
    }

    void set(String title, long[][] matrix, List<String> names) {
        this.title = title;
        this.matrix = matrix == null ? new long[0][] : matrix;
        this.names = names;
        draw();
    }

    private String name(int i) {
        return i < names.size() ? names.get(i) : String.valueOf(i);
    }

    @Override
    protected void layoutChildren() {
        canvas.setWidth(getWidth());
        canvas.setHeight(getHeight());
        draw();
    }

    private void draw() {
        GraphicsContext g = canvas.getGraphicsContext2D();
        double w = canvas.getWidth();
        double h = canvas.getHeight();
        g.setFill(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setFill(Color.BLACK);
        g.setFont(Font.font(null, javafx.scene.text.FontWeight.BOLD, 12));
        g.setTextAlign(TextAlignment.LEFT);
        g.fillText(title, 6, 14);
        int n = matrix.length;
        if (n == 0) {
            g.setFont(Font.font(12));
            g.fillText("No confusion matrix in this run's " + RunFiles.RESULTS, 6, 34);
            return;
        }
        left = 90;
        top = 28;
        double bottomRoom = 70;
        cell = Math.max(4, Math.min((w - left - 8) / n, (h - top - bottomRoom) / n));
        g.setFont(Font.font(Math.min(11, Math.max(7, cell * 0.45))));
        for (int r = 0; r < n; r++) {
            long sum = 0;
            for (long v : matrix[r]) {
                sum += v;
            }
            for (int c = 0; c < matrix[r].length && c < n; c++) {
                double share = sum == 0 ? 0 : matrix[r][c] / (double) sum;
                g.setFill(heat(share));
                g.fillRect(left + c * cell, top + r * cell, cell, cell);
                if (cell >= 24) {
                    g.setFill(share > 0.5 ? Color.WHITE : Color.BLACK);
                    g.setTextAlign(TextAlignment.CENTER);
                    g.fillText(String.format("%.0f", share * 100), left + (c + 0.5) * cell, top + (r + 0.65) * cell);
                }
            }
            g.setFill(Color.BLACK);
            g.setTextAlign(TextAlignment.RIGHT);
            g.fillText(name(r), left - 4, top + (r + 0.65) * cell);
        }
        g.setStroke(Color.gray(0.6));
        g.strokeRect(left, top, n * cell, n * cell);
        g.setTextAlign(TextAlignment.LEFT);
        g.setFill(Color.BLACK);
        for (int c = 0; c < n; c++) {
            g.save();
            g.translate(left + (c + 0.6) * cell, top + n * cell + 4);
            g.rotate(60);
            g.fillText(name(c), 0, 0);
            g.restore();
        }
        g.setFont(Font.font(10));
        g.fillText("rows: truth · columns: prediction · % of the row's pixels", left, Math.min(h - 4, top + n * cell + 64));
    }

    static Color heat(double share) {
        double s = Math.max(0, Math.min(1, share));
        return Color.rgb((int) (255 - 200 * s), (int) (255 - 160 * s), (int) (255 - 60 * s));
    }
}
