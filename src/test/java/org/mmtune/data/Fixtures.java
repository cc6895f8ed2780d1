package org.mmtune.data;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntBinaryOperator;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/** Writes small image and label files for tests (made by the tests themselves, no real data). */
public final class Fixtures {

    private Fixtures() {
    }

    /** An RGB image whose colour depends on x and y (PNG or JPEG by extension). */
    public static Path rgbImage(Path file, int w, int h) {
        return rgbImage(file, w, h, (x, y) -> ((x * 40) & 0xFF) << 16 | ((y * 40) & 0xFF) << 8 | 0x80);
    }

    public static Path rgbImage(Path file, int w, int h, IntBinaryOperator rgb) {
        BufferedImage bi = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                bi.setRGB(x, y, rgb.applyAsInt(x, y));
            }
        }
        String ext = file.getFileName().toString().toLowerCase().endsWith(".jpg") ? "jpg" : "png";
        return write(bi, ext, file);
    }

    /** An 8-bit grayscale PNG whose values are given per pixel. */
    public static Path grayPng(Path file, int w, int h, IntBinaryOperator value) {
        BufferedImage bi = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster r = bi.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                r.setSample(x, y, 0, value.applyAsInt(x, y));
            }
        }
        return write(bi, "png", file);
    }

    /** A 16-bit grayscale PNG. */
    public static Path gray16Png(Path file, int w, int h, IntBinaryOperator value) {
        BufferedImage bi = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
        WritableRaster r = bi.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                r.setSample(x, y, 0, value.applyAsInt(x, y));
            }
        }
        return write(bi, "png", file);
    }

    /** An 8-bit indexed PNG: the raster holds {@code index(x, y)}, the palette gives each index a colour. */
    public static Path palettePng(Path file, int w, int h, int[] palette, IntBinaryOperator index) {
        byte[] r = new byte[256];
        byte[] g = new byte[256];
        byte[] b = new byte[256];
        for (int i = 0; i < 256; i++) {
            int c = i < palette.length ? palette[i] : 0xE0E0C0;
            r[i] = (byte) (c >> 16);
            g[i] = (byte) (c >> 8);
            b[i] = (byte) c;
        }
        IndexColorModel cm = new IndexColorModel(8, 256, r, g, b);
        BufferedImage bi = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, cm);
        WritableRaster ras = bi.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                ras.setSample(x, y, 0, index.applyAsInt(x, y));
            }
        }
        return write(bi, "png", file);
    }

    /** A 4-bit indexed PNG (packed pixels), values 0-15. */
    public static Path palette4BitPng(Path file, int w, int h, IntBinaryOperator index) {
        byte[] c = new byte[16];
        for (int i = 0; i < 16; i++) {
            c[i] = (byte) (i * 16);
        }
        IndexColorModel cm = new IndexColorModel(4, 16, c, c, c);
        BufferedImage bi = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_BINARY, cm);
        WritableRaster ras = bi.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                ras.setSample(x, y, 0, index.applyAsInt(x, y));
            }
        }
        return write(bi, "png", file);
    }

    /** An RGB colour PNG label. */
    public static Path rgbLabel(Path file, int w, int h, IntBinaryOperator rgb) {
        return rgbImage(file, w, h, rgb);
    }

    public static Path text(Path file, String content) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path write(BufferedImage bi, String format, Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (!ImageIO.write(bi, format, file.toFile())) {
                throw new IOException("no writer for " + format);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A CamVid (SegNet layout) folder: train/trainannot and val/valannot with {@code n} pairs each. */
    public static Path camvid(Path root, int n, int w, int h) {
        for (String split : new String[] {"train", "val"}) {
            for (int i = 0; i < n; i++) {
                String name = split + i + ".png";
                rgbImage(root.resolve(split).resolve(name), w, h);
                grayPng(root.resolve(split + "annot").resolve(name), w, h, (x, y) -> (x + y) % 12);
            }
        }
        return root;
    }

    /** A syntactically valid PNG (signature, IHDR, empty IDAT, IEND) declaring a given size. */
    public static byte[] pngHeaderOnly(int w, int h) {
        ByteBuffer b = ByteBuffer.allocate(8 + 25 + 12 + 12);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(b, "IHDR", ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
        chunk(b, "IDAT", new byte[0]);
        chunk(b, "IEND", new byte[0]);
        return b.array();
    }

    /** A JPEG with a baseline frame header (SOF0) declaring a given size, no scan data, and an end marker. */
    public static byte[] jpegHeaderOnly(int w, int h) {
        ByteBuffer b = ByteBuffer.allocate(2 + 2 + 17 + 2);
        b.put((byte) 0xFF).put((byte) 0xD8);                              // SOI
        b.put((byte) 0xFF).put((byte) 0xC0).putShort((short) 17)           // SOF0, length 17
                .put((byte) 8).putShort((short) h).putShort((short) w).put((byte) 3);
        for (int c = 1; c <= 3; c++) {
            b.put((byte) c).put((byte) 0x11).put((byte) 0);
        }
        b.put((byte) 0xFF).put((byte) 0xD9);                              // EOI
        return b.array();
    }

    private static void chunk(ByteBuffer b, String type, byte[] data) {
        b.putInt(data.length);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        b.put(t).put(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        b.putInt((int) crc.getValue());
    }
}
