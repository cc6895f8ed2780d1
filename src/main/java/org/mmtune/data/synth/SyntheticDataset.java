package org.mmtune.data.synth;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_OPTIMIZE;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_PROGRESSIVE;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_PNG_COMPRESSION;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_PNG_STRATEGY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_PNG_STRATEGY_DEFAULT;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGB2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.mmtune.data.ClassInfo;
import org.mmtune.data.DatasetDescriptor;

/**
 * Writes a synthetic dataset made by {@link SceneGenerator} in the {@code dataset.json} format:
 * <pre>
 *   dataset.json
 *   train/images/s0000.jpg   train/labels/s0000.png   (8-bit index PNGs, 255 = void)
 *   val/images/...           val/labels/...
 * </pre>
 * Images are JPEG (quality 90, baseline) and labels PNG, both encoded by the OpenCV bundled with mmtune
 * with fixed parameters, so the same seed and sizes give the same bytes.
 */
public final class SyntheticDataset {

    public static final long DEFAULT_SEED = 2018;
    public static final int DEFAULT_TRAIN = 36;
    public static final int DEFAULT_VAL = 16;
    public static final int DEFAULT_WIDTH = 320;
    public static final int DEFAULT_HEIGHT = 240;

    /** What to generate. */
    public record Spec(long seed, int train, int val, int width, int height) {
        public Spec {
            if (train < 1 || val < 1 || train > 10_000 || val > 10_000) {
                throw new IllegalArgumentException("image counts must be 1-10000 (train " + train + ", val " + val + ")");
            }
        }

        public static Spec defaults() {
            return new Spec(DEFAULT_SEED, DEFAULT_TRAIN, DEFAULT_VAL, DEFAULT_WIDTH, DEFAULT_HEIGHT);
        }
    }

    private SyntheticDataset() {
    }

    /** The descriptor written next to the generated data. */
    public static DatasetDescriptor descriptor(Spec spec) {
        List<DatasetDescriptor.ClassSpec> classes = new ArrayList<>();
        for (ClassInfo c : SceneGenerator.CLASSES) {
            classes.add(new DatasetDescriptor.ClassSpec(c.name(), JsonNodeFactory.instance.textNode(c.hex()), null));
        }
        Map<String, DatasetDescriptor.SplitSpec> splits = new LinkedHashMap<>();
        splits.put("train", new DatasetDescriptor.SplitSpec(null, "train/images", "train/labels", null));
        splits.put("val", new DatasetDescriptor.SplitSpec(null, "val/images", "val/labels", null));
        return new DatasetDescriptor("mmtune-synth",
                "Synthetic street scenes made by 'mmtune synth --seed " + spec.seed() + " --train " + spec.train()
                        + " --val " + spec.val() + " --size " + spec.width() + "x" + spec.height() + "'",
                classes, null, SceneGenerator.VOID, JsonNodeFactory.instance.textNode("other"), "index", null, null,
                splits);
    }

    /** The seed of one image, derived from the dataset seed, the split and the image number. */
    static long imageSeed(long seed, int split, int i) {
        long z = seed * 0x9E3779B97F4A7C15L + split * 0xD1B54A32D192ED03L + i * 0xABC98388FB8FAC03L;
        z = (z ^ (z >>> 31)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 29);
    }

    /**
     * Generates the dataset into {@code out}. Everything is written into a temporary folder next to it
     * first and moved into place at the end, so {@code out} never holds a half-written dataset.
     *
     * @param replace whether an existing generated dataset in {@code out} may be replaced
     * @return the number of files written
     */
    public static int write(Path out, Spec spec, boolean replace) throws IOException {
        Path target = out.toAbsolutePath().normalize();
        if (Files.exists(target) && !Files.isDirectory(target)) {
            throw new IOException(out + ": exists and is not a folder");
        }
        boolean nonEmpty = Files.isDirectory(target) && !isEmpty(target);
        if (nonEmpty && !replace) {
            throw new IOException(out + ": folder is not empty (use --force to replace a generated dataset there)");
        }
        if (nonEmpty && !Files.isRegularFile(target.resolve(DatasetDescriptor.FILE_NAME))) {
            throw new IOException(out + ": folder is not empty and holds no dataset.json; refusing to replace it");
        }
        Path parent = target.getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".tmp-");
        int files = 0;
        try {
            SceneGenerator gen = new SceneGenerator(spec.width(), spec.height());
            String[] splitNames = {"train", "val"};
            int[] counts = {spec.train(), spec.val()};
            for (int s = 0; s < 2; s++) {
                Path images = Files.createDirectories(tmp.resolve(splitNames[s]).resolve("images"));
                Path labels = Files.createDirectories(tmp.resolve(splitNames[s]).resolve("labels"));
                int split = s;
                // every scene depends only on its own seed: generate and encode in parallel, write in order
                for (int from = 0; from < counts[s]; from += 32) {
                    int to = Math.min(counts[s], from + 32);
                    byte[][][] encoded = new byte[to - from][][];
                    int first = from;
                    IntStream.range(from, to).parallel().forEach(i -> {
                        SceneGenerator.Scene scene = gen.generate(imageSeed(spec.seed(), split, i));
                        encoded[i - first] = new byte[][] {encodeJpeg(scene), encodeLabelPng(scene)};
                    });
                    for (int i = from; i < to; i++) {
                        String id = String.format("s%04d", i);
                        Files.write(images.resolve(id + ".jpg"), encoded[i - from][0]);
                        Files.write(labels.resolve(id + ".png"), encoded[i - from][1]);
                        files += 2;
                    }
                }
            }
            Files.writeString(tmp.resolve(DatasetDescriptor.FILE_NAME), descriptor(spec).toJson());
            files++;
            if (Files.isDirectory(target)) {
                for (String name : List.of(DatasetDescriptor.FILE_NAME, "train", "val")) {
                    deleteTree(target.resolve(name));
                }
                try (Stream<Path> s = Files.list(tmp)) {
                    for (Path p : s.toList()) {
                        Files.move(p, target.resolve(p.getFileName()), StandardCopyOption.ATOMIC_MOVE);
                    }
                }
                Files.delete(tmp);
            } else {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            }
        } finally {
            deleteTree(tmp);
        }
        return files;
    }

    /** JPEG, quality 90, baseline, standard Huffman tables. */
    public static byte[] encodeJpeg(SceneGenerator.Scene scene) {
        try (Mat rgb = new Mat(scene.height(), scene.width(), CV_8UC3);
             Mat bgr = new Mat()) {
            rgb.data().put(scene.rgb());
            cvtColor(rgb, bgr, COLOR_RGB2BGR);
            return encode(".jpg", bgr, new int[] {IMWRITE_JPEG_QUALITY, 90, IMWRITE_JPEG_PROGRESSIVE, 0,
                IMWRITE_JPEG_OPTIMIZE, 0});
        }
    }

    /** Single-channel 8-bit PNG of the class indices. */
    public static byte[] encodeLabelPng(SceneGenerator.Scene scene) {
        try (Mat m = new Mat(scene.height(), scene.width(), CV_8UC1)) {
            m.data().put(scene.labels());
            return encode(".png", m, new int[] {IMWRITE_PNG_COMPRESSION, 9, IMWRITE_PNG_STRATEGY,
                IMWRITE_PNG_STRATEGY_DEFAULT});
        }
    }

    private static byte[] encode(String ext, Mat m, int[] params) {
        try (BytePointer buf = new BytePointer(); IntPointer p = new IntPointer(params)) {
            if (!imencode(ext, m, buf, p)) {
                throw new IllegalStateException("OpenCV could not encode " + ext);
            }
            byte[] out = new byte[(int) buf.limit()];
            buf.get(out);
            return out;
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }
}
