package org.mmtune.data;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR_RGB;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_IGNORE_ORIENTATION;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_UNCHANGED;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.mmtune.util.OpenCvThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes image/label pairs into {@link Sample}s. Images are decoded by OpenCV straight to RGB; label
 * images become class indices: palette PNGs through their raster (the indices, not the colours),
 * grayscale PNGs as they are, RGB colour labels by matching the class colours. The dataset's label
 * map is applied; values that are not a class become the ignore index and are counted.
 *
 * <p>Every file's header is checked before decoding, so that empty, truncated, non-image or enormous
 * files are refused with a {@link DatasetException} naming the file. Stateless and thread-safe.
 */
public final class SampleReader {

    private static final Logger LOG = LoggerFactory.getLogger(SampleReader.class);

    /** A sample with what was wrong in its label. */
    public record Result(Sample sample, LabelIssues issues) {
    }

    static {
        OpenCvThreads.callerOnly();
    }

    private SampleReader() {
    }

    /** Reads one pair; label values outside the classes become the ignore index. */
    public static Sample read(SegmentationDataset ds, ImagePair pair) throws DatasetException {
        return readChecked(ds, pair).sample();
    }

    /** Reads one pair and reports label values outside the classes. */
    public static Result readChecked(SegmentationDataset ds, ImagePair pair) throws DatasetException {
        RgbImage img = readImage(pair.image());
        LabelRead lab = readLabel(ds, pair.label());
        if (img.width() != lab.width || img.height() != lab.height) {
            throw new DatasetException(pair.label() + ": label is " + lab.width + "x" + lab.height
                    + " but its image " + pair.image().getFileName() + " is " + img.width() + "x" + img.height());
        }
        Sample s = new Sample(pair.id(), img.width(), img.height(), img.rgb(), lab.labels, ds.ignoreIndex());
        return new Result(s, lab.issues);
    }

    /** Decodes an RGB image (any format OpenCV reads; gray images are expanded to RGB). */
    public static RgbImage readImage(Path file) throws DatasetException {
        byte[] bytes = ImageHeader.readAllBytes(file);
        ImageHeader h = ImageHeader.parse(file.toString(), bytes);
        // decoded straight to RGB (no BGR copy and conversion): same bytes as BGR + cvtColor(BGR2RGB)
        try (Mat rgb = decode(bytes, IMREAD_COLOR_RGB | IMREAD_IGNORE_ORIENTATION)) {
            if (rgb == null || rgb.empty()) {
                throw new DatasetException(file + ": corrupt image (cannot be decoded)");
            }
            if (rgb.cols() != h.width() || rgb.rows() != h.height() || rgb.channels() != 3) {
                throw new DatasetException(file + ": corrupt image (decoded " + rgb.cols() + "x" + rgb.rows()
                        + ", header says " + h.width() + "x" + h.height() + ")");
            }
            byte[] out = new byte[3 * h.width() * h.height()];
            copyOut(rgb, out);
            return new RgbImage(h.width(), h.height(), out);
        } catch (RuntimeException e) {
            LOG.debug("decoding {} failed", file, e);
            throw new DatasetException(file + ": corrupt image (" + firstLine(e.getMessage()) + ")", e);
        }
    }

    /** Decoded label: class indices (after the label map) and what was out of range. */
    private record LabelRead(int width, int height, byte[] labels, LabelIssues issues) {
    }

    /** Reads a label image as class indices of {@code ds} (ignore index for everything else). */
    public static byte[] readLabels(SegmentationDataset ds, Path file) throws DatasetException {
        return readLabel(ds, file).labels;
    }

    private static LabelRead readLabel(SegmentationDataset ds, Path file) throws DatasetException {
        byte[] bytes = ImageHeader.readAllBytes(file);
        ImageHeader h = ImageHeader.parse(file.toString(), bytes);
        int w = h.width();
        int hh = h.height();
        if (h.isPng() && h.bitDepth() == 16) {
            throw new DatasetException(file + ": 16-bit label image; labels must be 8-bit (class indices 0-255)");
        }
        try {
            if (ds.labelEncoding() == LabelEncoding.RGB) {
                return mapColours(ds, file, w, hh, decodeRgb(file, bytes, h));
            }
            byte[] raw;
            if (h.isPng() && (h.pngColorType() == 3 || h.bitDepth() < 8 || h.pngColorType() == 4)) {
                raw = rasterSamples(file, bytes, w, hh);
            } else {
                raw = decodeIndices(file, bytes, h, ds.labelEncoding());
            }
            return mapIndices(ds, w, hh, raw);
        } catch (RuntimeException e) {
            LOG.debug("decoding label {} failed", file, e);
            throw new DatasetException(file + ": corrupt label image (" + firstLine(e.getMessage()) + ")", e);
        }
    }

    /** Index or palette labels decoded by OpenCV: must be single-channel (or RGB with R = G = B). */
    private static byte[] decodeIndices(Path file, byte[] bytes, ImageHeader h, LabelEncoding enc)
            throws DatasetException {
        try (Mat m = decode(bytes, IMREAD_UNCHANGED)) {
            if (m == null || m.empty()) {
                throw new DatasetException(file + ": corrupt label image (cannot be decoded)");
            }
            if (m.cols() != h.width() || m.rows() != h.height()) {
                throw new DatasetException(file + ": corrupt label image (decoded size differs from its header)");
            }
            if (m.elemSize1() != 1) {
                throw new DatasetException(file + ": " + 8 * m.elemSize1()
                        + "-bit label image; labels must be 8-bit (class indices 0-255)");
            }
            int n = h.width() * h.height();
            int ch = m.channels();
            if (ch == 1) {
                byte[] out = new byte[n];
                copyOut(m, out);
                return out;
            }
            byte[] px = new byte[n * ch];
            copyOut(m, px);
            byte[] out = new byte[n];
            for (int i = 0, j = 0; i < n; i++, j += ch) {
                if (px[j] != px[j + 1] || px[j] != px[j + 2]) {
                    throw new DatasetException(file + ": label is an RGB colour image but the dataset expects class "
                            + "indices (" + enc.name().toLowerCase() + " encoding); describe it with "
                            + "\"labelEncoding\": \"rgb\" in a dataset.json");
                }
                out[i] = px[j];
            }
            return out;
        }
    }

    /** The raw samples of an indexed or low-bit-depth PNG: the indices, not the palette colours. */
    private static byte[] rasterSamples(Path file, byte[] bytes, int w, int h) throws DatasetException {
        BufferedImage bi;
        try {
            bi = ImageIO.read(new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes)));
        } catch (IOException | RuntimeException e) {
            LOG.debug("ImageIO failed on {}", file, e);
            throw new DatasetException(file + ": corrupt label image (" + firstLine(e.getMessage()) + ")", e);
        }
        if (bi == null) {
            throw new DatasetException(file + ": corrupt label image (cannot be decoded)");
        }
        if (bi.getWidth() != w || bi.getHeight() != h) {
            throw new DatasetException(file + ": corrupt label image (decoded size differs from its header)");
        }
        Raster r = bi.getRaster();
        byte[] out;
        Object elements = r.getNumBands() == 1 ? r.getDataElements(0, 0, w, h, null) : null;
        if (elements instanceof byte[] direct && direct.length == w * h) {
            out = direct;
        } else {
            out = new byte[w * h];
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                r.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    out[y * w + x] = (byte) row[x];
                }
            }
        }
        if (!(bi.getColorModel() instanceof IndexColorModel) && bi.getColorModel().getNumColorComponents() > 1) {
            throw new DatasetException(file + ": label is an RGB colour image but the dataset expects class indices");
        }
        return out;
    }

    /** Any label decoded to RGB colours (for RGB-encoded datasets). */
    private static byte[] decodeRgb(Path file, byte[] bytes, ImageHeader h) throws DatasetException {
        try (Mat rgb = decode(bytes, IMREAD_COLOR_RGB | IMREAD_IGNORE_ORIENTATION)) {
            if (rgb == null || rgb.empty()) {
                throw new DatasetException(file + ": corrupt label image (cannot be decoded)");
            }
            if (rgb.cols() != h.width() || rgb.rows() != h.height()) {
                throw new DatasetException(file + ": corrupt label image (decoded size differs from its header)");
            }
            byte[] out = new byte[3 * h.width() * h.height()];
            copyOut(rgb, out);
            return out;
        }
    }

    private static LabelRead mapColours(SegmentationDataset ds, Path file, int w, int h, byte[] rgb) {
        Map<Integer, Integer> byColour = new HashMap<>();
        List<ClassInfo> classes = ds.classes();
        for (ClassInfo c : classes) {
            byColour.putIfAbsent(c.rgb() & 0xFFFFFF, c.index());
        }
        int voidColour = ds.ignoreColor();
        int ignore = ds.ignoreIndex();
        byte[] out = new byte[w * h];
        Map<String, Long> unknown = new HashMap<>();
        int lastColour = -1;
        int lastClass = ignore;
        for (int i = 0, j = 0; i < out.length; i++, j += 3) {
            int c = ((rgb[j] & 0xFF) << 16) | ((rgb[j + 1] & 0xFF) << 8) | (rgb[j + 2] & 0xFF);
            if (c != lastColour) {
                Integer k = byColour.get(c);
                lastColour = c;
                lastClass = k == null ? -1 : k;
            }
            if (lastClass >= 0) {
                out[i] = (byte) lastClass;
            } else {
                out[i] = (byte) ignore;
                if (c != voidColour) {
                    unknown.merge(String.format("#%06x", c), 1L, Long::sum);
                }
            }
        }
        return new LabelRead(w, h, out, new LabelIssues(Map.of(), unknown));
    }

    private static LabelRead mapIndices(SegmentationDataset ds, int w, int h, byte[] raw) {
        int[] map = ds.labelMap();
        int n = ds.numClasses();
        int ignore = ds.ignoreIndex();
        int[] table = new int[256];
        for (int v = 0; v < 256; v++) {
            int m = map == null ? v : map[v];
            table[v] = (m >= 0 && m < n) || m == ignore ? m : -1;
        }
        long[] bad = null;
        for (int i = 0; i < raw.length; i++) {
            int v = raw[i] & 0xFF;
            int m = table[v];
            if (m < 0) {
                if (bad == null) {
                    bad = new long[256];
                }
                bad[v]++;
                raw[i] = (byte) ignore;
            } else if (m != v) {
                raw[i] = (byte) m;
            }
        }
        if (bad == null) {
            return new LabelRead(w, h, raw, LabelIssues.NONE);
        }
        Map<Integer, Long> counts = new HashMap<>();
        for (int v = 0; v < 256; v++) {
            if (bad[v] > 0) {
                counts.put(v, bad[v]);
            }
        }
        return new LabelRead(w, h, raw, new LabelIssues(counts, Map.of()));
    }

    private static Mat decode(byte[] bytes, int flags) {
        try (BytePointer bp = new BytePointer(bytes); Mat buf = new Mat(1, bytes.length, CV_8UC1, bp)) {
            return imdecode(buf, flags);
        }
    }

    private static void copyOut(Mat m, byte[] out) {
        if (m.isContinuous()) {
            m.data().get(out);
            return;
        }
        int rowBytes = m.cols() * (int) m.elemSize();
        for (int y = 0; y < m.rows(); y++) {
            m.ptr(y).get(out, y * rowBytes, rowBytes);
        }
    }

    private static String firstLine(String s) {
        if (s == null || s.isBlank()) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl >= 0 ? s.substring(0, nl) : s;
    }
}
