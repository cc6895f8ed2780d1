package org.mmtune.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.mmtune.data.ClassInfo;
import org.mmtune.data.DatasetException;
import org.mmtune.data.DatasetFormat;
import org.mmtune.data.ImagePair;
import org.mmtune.data.LabelEncoding;
import org.mmtune.data.Sample;
import org.mmtune.data.SegmentationDataset;
import org.mmtune.experiment.DatasetSource;
import org.mmtune.train.PatchBatch;
import org.mmtune.train.PatchBatchSource;
import org.mmtune.train.PatchInfo;

/**
 * Tiny synthetic scenes for pipeline tests: blue sky (class 0) above green ground (class 2) with a red
 * box (class 1) at a random place; a 2-pixel void border (255). Colours, brightness and texture differ per
 * class, so colorization, matching and segmentation all have signal.
 */
public final class TinyData {

    public static final List<ClassInfo> CLASSES = List.of(
            new ClassInfo(0, "sky", 0x4060ff), new ClassInfo(1, "box", 0xe02020), new ClassInfo(2, "ground", 0x20a020));
    public static final int VOID = 255;

    private TinyData() {
    }

    public static Sample scene(String id, int w, int h, long seed) {
        Random r = new Random(seed);
        byte[] rgb = new byte[3 * w * h];
        byte[] lab = new byte[w * h];
        int horizon = h / 3 + r.nextInt(h / 3);
        int bw = w / 4 + r.nextInt(w / 4);
        int bh = h / 4 + r.nextInt(h / 4);
        int bx = r.nextInt(w - bw);
        int by = r.nextInt(h - bh);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int cls;
                int cr;
                int cg;
                int cb;
                if (x >= bx && x < bx + bw && y >= by && y < by + bh) {
                    cls = 1;
                    cr = 200 + ((x / 3 + y / 3) % 2) * 40;
                    cg = 30;
                    cb = 30;
                } else if (y < horizon) {
                    cls = 0;
                    cr = 60;
                    cg = 90;
                    cb = 230 - y;
                } else {
                    cls = 2;
                    int n = r.nextInt(40);
                    cr = 20 + n;
                    cg = 120 + n;
                    cb = 20;
                }
                int i = y * w + x;
                rgb[3 * i] = (byte) Math.max(0, Math.min(255, cr));
                rgb[3 * i + 1] = (byte) Math.max(0, Math.min(255, cg));
                rgb[3 * i + 2] = (byte) Math.max(0, Math.min(255, cb));
                boolean border = x < 2 || y < 2 || x >= w - 2 || y >= h - 2;
                lab[i] = (byte) (border ? VOID : cls);
            }
        }
        return new Sample(id, w, h, rgb, lab, VOID);
    }

    public static List<Sample> scenes(int n, int w, int h, long seed) {
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(scene("img" + i, w, h, seed * 1000 + i));
        }
        return out;
    }

    /** An in-memory dataset: splits train/val of generated scenes, read through {@link #source()}. */
    public static final class Fixture implements DatasetSource {
        private final Map<String, Sample> samples = new LinkedHashMap<>();
        private final SegmentationDataset dataset;

        public Fixture(int trainCount, int valCount, int w, int h) {
            Map<String, List<ImagePair>> splits = new LinkedHashMap<>();
            List<ImagePair> train = new ArrayList<>();
            List<ImagePair> val = new ArrayList<>();
            for (int i = 0; i < trainCount; i++) {
                Sample s = scene("t" + i, w, h, 100 + i);
                samples.put(s.id(), s);
                train.add(new ImagePair(s.id(), Path.of(s.id() + ".png"), Path.of(s.id() + "_L.png")));
            }
            for (int i = 0; i < valCount; i++) {
                Sample s = scene("v" + i, w, h, 900 + i);
                samples.put(s.id(), s);
                val.add(new ImagePair(s.id(), Path.of(s.id() + ".png"), Path.of(s.id() + "_L.png")));
            }
            splits.put("train", train);
            splits.put("val", val);
            dataset = new SegmentationDataset("tiny", DatasetFormat.DESCRIPTOR, Path.of("tiny"), CLASSES, VOID, -1,
                    LabelEncoding.INDEX, null, splits);
        }

        public SegmentationDataset dataset() {
            return dataset;
        }

        @Override
        public SegmentationDataset open(Path folder) {
            return dataset;
        }

        @Override
        public Sample read(SegmentationDataset ds, ImagePair pair) throws DatasetException {
            Sample s = samples.get(pair.id());
            if (s == null) {
                throw new DatasetException(pair.image() + ": missing");
            }
            return s;
        }
    }

    /** Records every iteration's metrics and the losses per stage. */
    public static final class Recorder implements org.mmtune.train.TrainingListener {
        public final Map<org.mmtune.train.Stage, List<Double>> losses = new java.util.TreeMap<>();
        public final List<org.mmtune.train.IterationMetrics> all = new ArrayList<>();

        @Override
        public void onIteration(org.mmtune.train.IterationMetrics m) {
            losses.computeIfAbsent(m.stage(), k -> new ArrayList<>()).add(m.loss());
            all.add(m);
        }

        /** The losses of {@code stage} so far (a live list; empty before its first iteration). */
        public List<Double> losses(org.mmtune.train.Stage stage) {
            return losses.computeIfAbsent(stage, k -> new ArrayList<>());
        }
    }

    /** Mean of {@code v[from, to)}. */
    public static double mean(List<Double> v, int from, int to) {
        return v.subList(from, to).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    /** A source that draws one batch from {@code source} and then returns it at every iteration. */
    public static PatchBatchSource repeatingFirst(PatchBatchSource source) {
        PatchBatch[] first = new PatchBatch[1];
        return it -> first[0] == null ? (first[0] = source.next(it)) : first[0];
    }

    /**
     * A stand-in M&amp;M batch source: square patches cut around random pixels, labelled by their centre,
     * triplets drawn per patch (same-class positive, other-class negative).
     */
    public static PatchBatchSource patches(List<Sample> images, int count, int size, long seed) {
        Random r = new Random(seed);
        return it -> {
            byte[] gray = new byte[count * size * size];
            int[] labels = new int[count];
            List<PatchInfo> info = new ArrayList<>();
            for (int k = 0; k < count; k++) {
                Sample s = images.get(r.nextInt(images.size()));
                byte[] g = s.gray();
                int cx;
                int cy;
                int l;
                do {
                    cx = r.nextInt(s.width());
                    cy = r.nextInt(s.height());
                    l = s.label(cx, cy);
                } while (l == VOID || l != k % 3);
                labels[k] = l;
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        int sx = cx - size / 2 + x;
                        int sy = cy - size / 2 + y;
                        gray[k * size * size + y * size + x] = sx >= 0 && sy >= 0 && sx < s.width() && sy < s.height()
                                ? g[sy * s.width() + sx] : 0;
                    }
                }
                info.add(new PatchInfo(s.id(), cx, cy, size, l));
            }
            int[][] triplets = new int[count][3];
            for (int k = 0; k < count; k++) {
                int p;
                int n;
                do {
                    p = r.nextInt(count);
                } while (labels[p] != labels[k] || p == k);
                do {
                    n = r.nextInt(count);
                } while (labels[n] == labels[k]);
                triplets[k] = new int[] {k, p, n};
            }
            return new PatchBatch(count, size, gray, labels, triplets, info, 0);
        };
    }
}
