package org.mmtune.data;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * What an image file's header declares, read without decoding the pixels: its container format, its
 * size and (for PNG) bit depth and colour type. Used to refuse enormous or broken files before any
 * pixel memory is allocated, and to choose how a label image is decoded.
 *
 * @param format       PNG, JPEG, WEBP, BMP or the ImageIO format name of anything else
 * @param width        declared width
 * @param height       declared height
 * @param bitDepth     bits per sample (PNG), 8 otherwise
 * @param pngColorType PNG colour type (0 gray, 2 RGB, 3 palette, 4 gray+alpha, 6 RGBA), -1 if not PNG
 */
public record ImageHeader(String format, int width, int height, int bitDepth, int pngColorType) {

    /** Images larger than this many pixels are refused (system property {@code mmtune.maxImagePixels}). */
    public static final long MAX_PIXELS = Long.getLong("mmtune.maxImagePixels", 100_000_000L);

    /** Files larger than this are refused before reading them. */
    public static final long MAX_FILE_BYTES = 512L * 1024 * 1024;

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final int TAIL = 4096;

    public boolean isPng() { return "PNG".equals(format); }

    public boolean isJpeg() { return "JPEG".equals(format); }

    public long pixels() { return (long) width * height; }

    /**
     * Reads and checks the header of a whole file held in memory: known container, sane declared size
     * (at most {@link #MAX_PIXELS}), and not truncated (PNG ends with IEND, JPEG with an EOI marker).
     *
     * @param name the file name used in messages
     */
    public static ImageHeader parse(String name, byte[] bytes) throws DatasetException {
        return parse(name, bytes, bytes.length, bytes, true);
    }

    /** Reads the header (and the end, to detect truncation) of a file without reading all of it. */
    public static ImageHeader read(Path file) throws DatasetException {
        String name = file.toString();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            checkSize(name, size);
            byte[] head = readAt(ch, 0, (int) Math.min(size, 16 * 1024));
            if (head.length < size && head.length >= 3 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xD8) {
                // JPEG: the frame header may follow large EXIF/ICC segments
                head = readAt(ch, 0, (int) Math.min(size, 1024 * 1024));
            }
            boolean whole = head.length == size;
            byte[] tail = whole ? head : readAt(ch, size - Math.min(size, TAIL), (int) Math.min(size, TAIL));
            return parse(name, head, size, tail, whole);
        } catch (NoSuchFileException e) {
            throw new DatasetException(name + ": file not found");
        } catch (AccessDeniedException e) {
            throw new DatasetException(name + ": permission denied");
        } catch (IOException e) {
            throw new DatasetException(name + ": cannot read (" + org.mmtune.util.IoProblems.describe(e) + ")", e);
        }
    }

    private static byte[] readAt(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        ch.position(position);
        while (buf.hasRemaining() && ch.read(buf) >= 0) {
            // keep reading
        }
        return buf.array();
    }

    /** Reads a whole file after checking its size; the messages name the file. */
    public static byte[] readAllBytes(Path file) throws DatasetException {
        String name = file.toString();
        try {
            long size = Files.size(file);
            checkSize(name, size);
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new DatasetException(name + ": file not found");
        } catch (AccessDeniedException e) {
            throw new DatasetException(name + ": permission denied");
        } catch (IOException e) {
            throw new DatasetException(name + ": cannot read (" + org.mmtune.util.IoProblems.describe(e) + ")", e);
        }
    }

    private static void checkSize(String name, long size) throws DatasetException {
        if (size == 0) {
            throw new DatasetException(name + ": empty file");
        }
        if (size > MAX_FILE_BYTES) {
            throw new DatasetException(name + ": file too large (" + size / (1024 * 1024) + " MB)");
        }
    }

    private static ImageHeader parse(String name, byte[] head, long size, byte[] tail, boolean whole)
            throws DatasetException {
        if (size == 0) {
            throw new DatasetException(name + ": empty file");
        }
        ImageHeader h;
        if (startsWith(head, PNG_SIGNATURE)) {
            h = parsePng(name, head);
            if (!contains(tail, Math.max(0, tail.length - TAIL), "IEND".getBytes(StandardCharsets.US_ASCII))) {
                throw new DatasetException(name + ": truncated PNG (no IEND chunk at the end)");
            }
            if (whole) {
                checkPngChunks(name, head);
            }
        } else if (head.length >= 3 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xD8 && (head[2] & 0xFF) == 0xFF) {
            h = parseJpeg(name, head, whole);
            if (!contains(tail, Math.max(0, tail.length - TAIL), new byte[] {(byte) 0xFF, (byte) 0xD9})) {
                throw new DatasetException(name + ": truncated JPEG (no end-of-image marker)");
            }
        } else if (head.length >= 12 && "RIFF".equals(new String(head, 0, 4, StandardCharsets.US_ASCII))
                && "WEBP".equals(new String(head, 8, 4, StandardCharsets.US_ASCII))) {
            long declared = (le32(head, 4) & 0xFFFFFFFFL) + 8;
            if (declared > size) {
                throw new DatasetException(name + ": truncated WebP (" + size + " of " + declared + " bytes)");
            }
            if (head.length < 30) {
                throw new DatasetException(name + ": corrupt WebP (header too short)");
            }
            h = parseWebp(name, head);
        } else if (head.length >= 26 && head[0] == 'B' && head[1] == 'M') {
            int w = le32(head, 18);
            int hh = Math.abs(le32(head, 22));
            h = new ImageHeader("BMP", w, hh, 8, -1);
        } else {
            h = parseOther(name, head, whole);
        }
        if (h.width <= 0 || h.height <= 0) {
            throw new DatasetException(name + ": corrupt header (declares " + h.width + "x" + h.height + ")");
        }
        if (h.pixels() > MAX_PIXELS) {
            throw new DatasetException(name + ": image too large (header declares " + h.width + "x" + h.height
                    + " = " + h.pixels() / 1_000_000 + " megapixels, limit " + MAX_PIXELS / 1_000_000 + ")");
        }
        return h;
    }

    private static ImageHeader parsePng(String name, byte[] b) throws DatasetException {
        if (b.length < 33 || !"IHDR".equals(new String(b, 12, 4, StandardCharsets.US_ASCII))) {
            throw new DatasetException(name + ": corrupt PNG (no IHDR header)");
        }
        long w = be32(b, 16) & 0xFFFFFFFFL;
        long h = be32(b, 20) & 0xFFFFFFFFL;
        if (w > Integer.MAX_VALUE || h > Integer.MAX_VALUE) {
            throw new DatasetException(name + ": image too large (header declares " + w + "x" + h + ")");
        }
        int depth = b[24] & 0xFF;
        int type = b[25] & 0xFF;
        if (type != 0 && type != 2 && type != 3 && type != 4 && type != 6) {
            throw new DatasetException(name + ": corrupt PNG (colour type " + type + ")");
        }
        return new ImageHeader("PNG", (int) w, (int) h, depth, type);
    }

    /**
     * Walks the chunks of a whole PNG and checks the CRC of the critical ones (IHDR, PLTE, IDAT, IEND), so
     * that a corrupt file is refused with a plain message before the native decoder sees it (libpng would
     * print its own complaint to the terminal).
     */
    static void checkPngChunks(String name, byte[] b) throws DatasetException {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        int i = PNG_SIGNATURE.length;
        while (i + 12 <= b.length) {
            long len = be32(b, i) & 0xFFFFFFFFL;
            String type = new String(b, i + 4, 4, StandardCharsets.ISO_8859_1);
            if (len > b.length - i - 12L) {
                throw new DatasetException(name + ": corrupt PNG (chunk '" + printable(type) + "' at byte " + i
                        + " runs past the end of the file)");
            }
            if (Character.isUpperCase(type.charAt(0))) {
                crc.reset();
                crc.update(b, i + 4, 4 + (int) len);
                if ((int) crc.getValue() != be32(b, i + 8 + (int) len)) {
                    throw new DatasetException(name + ": corrupt PNG (checksum error in chunk '" + printable(type)
                            + "' at byte " + i + ")");
                }
            }
            if ("IEND".equals(type)) {
                return;
            }
            i += 12 + (int) len;
        }
        throw new DatasetException(name + ": corrupt PNG (no IEND chunk after the data)");
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            sb.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return sb.toString();
    }

    private static ImageHeader parseJpeg(String name, byte[] b, boolean whole) throws DatasetException {
        int i = 2;
        while (i + 3 < b.length) {
            if ((b[i] & 0xFF) != 0xFF) {
                throw new DatasetException(name + ": corrupt JPEG (bad marker at byte " + i + ")");
            }
            int marker = b[i + 1] & 0xFF;
            if (marker == 0xFF) {
                i++;
                continue;
            }
            if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                i += 2;
                continue;
            }
            if (marker == 0xD9 || marker == 0xDA) {
                break;
            }
            int len = be16(b, i + 2);
            boolean sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (sof) {
                if (i + 8 >= b.length) {
                    break;
                }
                int h = be16(b, i + 5);
                int w = be16(b, i + 7);
                return new ImageHeader("JPEG", w, h, b[i + 4] & 0xFF, -1);
            }
            if (len < 2) {
                throw new DatasetException(name + ": corrupt JPEG (segment length " + len + ")");
            }
            i += 2 + len;
        }
        throw new DatasetException(name + (whole ? ": corrupt or truncated JPEG (no frame header)"
                : ": JPEG frame header not found in the first MB"));
    }

    private static ImageHeader parseWebp(String name, byte[] b) throws DatasetException {
        String chunk = new String(b, 12, 4, StandardCharsets.US_ASCII);
        switch (chunk) {
            case "VP8 " -> {
                return new ImageHeader("WEBP", (b[26] & 0xFF | (b[27] & 0xFF) << 8) & 0x3FFF,
                        (b[28] & 0xFF | (b[29] & 0xFF) << 8) & 0x3FFF, 8, -1);
            }
            case "VP8L" -> {
                int bits = le32(b, 21);
                return new ImageHeader("WEBP", (bits & 0x3FFF) + 1, ((bits >>> 14) & 0x3FFF) + 1, 8, -1);
            }
            case "VP8X" -> {
                int w = (b[24] & 0xFF | (b[25] & 0xFF) << 8 | (b[26] & 0xFF) << 16) + 1;
                int h = (b[27] & 0xFF | (b[28] & 0xFF) << 8 | (b[29] & 0xFF) << 16) + 1;
                return new ImageHeader("WEBP", w, h, 8, -1);
            }
            default -> throw new DatasetException(name + ": corrupt WebP (chunk '" + chunk + "')");
        }
    }

    private static ImageHeader parseOther(String name, byte[] head, boolean whole) throws DatasetException {
        try (InputStream in = new ByteArrayInputStream(head);
             ImageInputStream iis = new MemoryCacheImageInputStream(in)) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(iis);
            if (readers == null || !readers.hasNext()) {
                throw new DatasetException(name + ": not an image (unknown file format)");
            }
            ImageReader r = readers.next();
            try {
                r.setInput(iis, true, true);
                return new ImageHeader(r.getFormatName().toUpperCase(), r.getWidth(0), r.getHeight(0), 8, -1);
            } finally {
                r.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new DatasetException(name + ": not a readable image (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean contains(byte[] b, int from, byte[] needle) {
        outer:
        for (int i = b.length - needle.length; i >= from; i--) {
            for (int j = 0; j < needle.length; j++) {
                if (b[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static int be32(byte[] b, int o) {
        return ((b[o] & 0xFF) << 24) | ((b[o + 1] & 0xFF) << 16) | ((b[o + 2] & 0xFF) << 8) | (b[o + 3] & 0xFF);
    }

    private static int be16(byte[] b, int o) {
        return ((b[o] & 0xFF) << 8) | (b[o + 1] & 0xFF);
    }

    private static int le32(byte[] b, int o) {
        return (b[o] & 0xFF) | ((b[o + 1] & 0xFF) << 8) | ((b[o + 2] & 0xFF) << 16) | ((b[o + 3] & 0xFF) << 24);
    }
}
