package org.mmtune.experiment.runs;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Reads a label image as class indices: an 8-bit indexed (palette) PNG's raster samples, or a
 * single-channel 8-bit PNG's values. (The palette only colours the indices, so it is not consulted.)
 */
public final class LabelPng {

    /** A label map: one class index (0..255) per pixel, row-major. */
    public record Labels(int width, int height, byte[] values) {
        public int at(int x, int y) {
            return values[y * width + x] & 0xFF;
        }
    }

    private LabelPng() {
    }

    public static Labels read(Path file) throws RunFolderException {
        BufferedImage img;
        try {
            org.mmtune.data.ImageHeader.read(file);   // refuses broken or enormous files before decoding
        } catch (org.mmtune.data.DatasetException e) {
            throw new RunFolderException(e.getMessage(), e);
        }
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new RunFolderException(file + ": not a readable image (" + e.getMessage() + ")", e);
        }
        if (img == null) {
            throw new RunFolderException(file + ": not a PNG image");
        }
        Raster r = img.getRaster();
        boolean indexed = img.getColorModel() instanceof IndexColorModel;
        if (!indexed && r.getNumBands() != 1) {
            throw new RunFolderException(file + ": a label image must be indexed or single-channel, this one has "
                    + r.getNumBands() + " channels");
        }
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] v = new byte[w * h];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            r.getSamples(0, y, w, 1, 0, row);
            for (int x = 0; x < w; x++) {
                v[y * w + x] = (byte) row[x];
            }
        }
        return new Labels(w, h, v);
    }

    public static boolean exists(Path file) {
        return Files.isRegularFile(file);
    }
}
