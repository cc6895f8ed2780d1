package org.mmtune.eval;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.mmtune.data.ClassInfo;
import org.mmtune.util.AtomicFiles;

/** Writes predictions as 8-bit palette PNGs (raster = class index) and as colour overlays on the image. */
public final class PredictionImages {

    private PredictionImages() {
    }

    /** Palette PNG: pixel values are class indices, the palette holds the class colours (others black). */
    public static void writePalette(Path file, int[] classes, int width, int height, List<ClassInfo> info)
            throws IOException {
        byte[] r = new byte[256];
        byte[] g = new byte[256];
        byte[] b = new byte[256];
        for (ClassInfo c : info) {
            if (c.index() >= 0 && c.index() < 256) {
                r[c.index()] = (byte) c.red();
                g[c.index()] = (byte) c.green();
                b[c.index()] = (byte) c.blue();
            }
        }
        IndexColorModel cm = new IndexColorModel(8, 256, r, g, b);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_INDEXED, cm);
        WritableRaster raster = img.getRaster();
        raster.setSamples(0, 0, width, height, 0, classes);
        writePng(file, img);
    }

    /** The RGB image with each pixel blended half-and-half with its predicted class colour. */
    public static void writeOverlay(Path file, byte[] rgb, int[] classes, int width, int height,
                                    List<ClassInfo> info, double alpha) throws IOException {
        int[] colours = new int[256];
        for (ClassInfo c : info) {
            if (c.index() >= 0 && c.index() < 256) {
                colours[c.index()] = c.rgb();
            }
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] px = new int[width * height];
        for (int i = 0; i < px.length; i++) {
            int col = colours[Math.max(0, Math.min(255, classes[i]))];
            int r = blend(rgb[3 * i] & 0xFF, (col >> 16) & 0xFF, alpha);
            int g = blend(rgb[3 * i + 1] & 0xFF, (col >> 8) & 0xFF, alpha);
            int b = blend(rgb[3 * i + 2] & 0xFF, col & 0xFF, alpha);
            px[i] = (r << 16) | (g << 8) | b;
        }
        img.setRGB(0, 0, width, height, px, 0, width);
        writePng(file, img);
    }

    private static int blend(int a, int b, double alpha) {
        return (int) Math.round(a * (1 - alpha) + b * alpha);
    }

    private static void writePng(Path file, BufferedImage img) throws IOException {
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(img, "png", out)) {
                throw new IOException(file + ": no PNG writer");
            }
        });
    }
}
