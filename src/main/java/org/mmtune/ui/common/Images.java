package org.mmtune.ui.common;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.image.Image;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javax.imageio.ImageIO;
import org.mmtune.data.ClassInfo;
import org.mmtune.util.AtomicFiles;

/** Conversions from the pipeline's plain byte arrays to JavaFX images (safe to call off the FX thread). */
public final class Images {

    private Images() {
    }

    /** Interleaved RGB bytes ({@code 3*w*h}) to an image. */
    public static WritableImage rgb(byte[] rgb, int width, int height) {
        // opaque pixels in the toolkit's native BGRA (premultiplied = plain when opaque): no conversion later
        int n = width * height;
        byte[] bgra = new byte[4 * n];
        for (int i = 0, j = 0, k = 0; i < n; i++, j += 3, k += 4) {
            bgra[k] = rgb[j + 2];
            bgra[k + 1] = rgb[j + 1];
            bgra[k + 2] = rgb[j];
            bgra[k + 3] = (byte) 0xFF;
        }
        WritableImage img = new WritableImage(width, height);
        img.getPixelWriter().setPixels(0, 0, width, height, PixelFormat.getByteBgraPreInstance(), bgra, 0, 4 * width);
        return img;
    }

    /** One gray byte per pixel to an image. */
    public static WritableImage gray(byte[] gray, int width, int height) {
        int[] argb = new int[width * height];
        for (int i = 0; i < argb.length; i++) {
            int g = gray[i] & 0xFF;
            argb[i] = 0xFF000000 | g << 16 | g << 8 | g;
        }
        return argb(argb, width, height);
    }

    /**
     * Ground-truth overlay: each pixel in its class colour, fully opaque for shown classes and transparent
     * for hidden classes and void. The view sets the overall opacity.
     */
    public static WritableImage labelOverlay(byte[] labels, int width, int height, List<ClassInfo> classes,
                                             boolean[] shown) {
        return labelOverlay(labels, width, height, classes, shown, false);
    }

    /** Like {@link #labelOverlay(byte[], int, int, List, boolean[])}; {@code outlines} paints class borders white. */
    public static WritableImage labelOverlay(byte[] labels, int width, int height, List<ClassInfo> classes,
                                             boolean[] shown, boolean outlines) {
        int[] lut = new int[256];
        for (ClassInfo c : classes) {
            if (c.index() >= 0 && c.index() < 256 && (shown == null || c.index() >= shown.length || shown[c.index()])) {
                lut[c.index()] = 0xFF000000 | (c.rgb() & 0xFFFFFF);
            }
        }
        int[] argb = new int[width * height];
        for (int i = 0; i < argb.length; i++) {
            argb[i] = lut[labels[i] & 0xFF];
        }
        if (outlines) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int i = y * width + x;
                    int l = labels[i];
                    if ((x + 1 < width && labels[i + 1] != l) || (y + 1 < height && labels[i + width] != l)) {
                        if (lut[l & 0xFF] != 0) {
                            argb[i] = 0xFFFFFFFF;
                        }
                    }
                }
            }
        }
        return argb(argb, width, height);
    }

    public static WritableImage argb(int[] argb, int width, int height) {
        WritableImage img = new WritableImage(width, height);
        img.getPixelWriter().setPixels(0, 0, width, height, PixelFormat.getIntArgbInstance(), argb, 0, width);
        return img;
    }

    /** Writes an FX image as PNG, atomically. */
    public static void writePng(Image image, Path file) throws IOException {
        BufferedImage bi = SwingFXUtils.fromFXImage(image, null);
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(bi, "png", out)) {
                throw new IOException(file + ": no PNG writer");
            }
        });
    }
}
