package org.mmtune.ui.common;

import java.util.List;
import javafx.scene.paint.Color;
import org.mmtune.data.ClassInfo;

/** Class colours as JavaFX and AWT colours, plus a readable text colour on top of each. */
public final class ClassColors {

    /** Colour used for void / unknown labels. */
    public static final Color VOID = Color.rgb(40, 40, 40);

    private static final java.util.Map<Color, javafx.scene.layout.Background> BACKGROUNDS =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final java.util.Map<String, javafx.scene.layout.Border> BORDERS =
            new java.util.concurrent.ConcurrentHashMap<>();

    private ClassColors() {
    }

    /** A plain background in {@code c} (shared instances). */
    public static javafx.scene.layout.Background background(Color c) {
        return BACKGROUNDS.computeIfAbsent(c, k -> new javafx.scene.layout.Background(
                new javafx.scene.layout.BackgroundFill(k, null, null)));
    }

    /** A solid border of {@code width} in {@code c} (shared instances). */
    public static javafx.scene.layout.Border border(Color c, double width) {
        return BORDERS.computeIfAbsent(c + "/" + width, k -> new javafx.scene.layout.Border(
                new javafx.scene.layout.BorderStroke(c, javafx.scene.layout.BorderStrokeStyle.SOLID, null,
                        new javafx.scene.layout.BorderWidths(width))));
    }

    public static Color fx(ClassInfo c) {
        return Color.rgb(c.red(), c.green(), c.blue());
    }

    /** Colour of class {@code index}, or {@link #VOID} when it is not a class. */
    public static Color fx(List<ClassInfo> classes, int index) {
        return index >= 0 && index < classes.size() ? fx(classes.get(index)) : VOID;
    }

    public static java.awt.Color awt(ClassInfo c) {
        return new java.awt.Color(c.red(), c.green(), c.blue());
    }

    /** Black or white, whichever reads better on {@code background}. */
    public static Color textOn(Color background) {
        double luma = 0.299 * background.getRed() + 0.587 * background.getGreen() + 0.114 * background.getBlue();
        return luma > 0.55 ? Color.BLACK : Color.WHITE;
    }

    /** CSS colour literal. */
    public static String css(Color c) {
        return String.format("#%02x%02x%02x", (int) Math.round(c.getRed() * 255),
                (int) Math.round(c.getGreen() * 255), (int) Math.round(c.getBlue() * 255));
    }

    /** Name of class {@code index}, "void" for the ignore index, else "label N". */
    public static String name(List<ClassInfo> classes, int index, int ignoreIndex) {
        if (index >= 0 && index < classes.size()) {
            return classes.get(index).name();
        }
        return index == ignoreIndex ? "void" : "label " + index;
    }
}
