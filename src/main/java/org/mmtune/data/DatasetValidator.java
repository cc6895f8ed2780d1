package org.mmtune.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a dataset and measures its class pixel frequencies. For every pair of every split the headers
 * of image and label are read (missing, empty, truncated, non-image, enormous, size mismatch); up to
 * {@code sampleLimit} pairs per split (evenly spread, all of them for small splits) are fully decoded to
 * count label values outside the classes and the pixels of every class. Runs on all cores.
 */
public final class DatasetValidator {

    private static final Logger LOG = LoggerFactory.getLogger(DatasetValidator.class);

    /** Default number of pairs decoded per split. */
    public static final int DEFAULT_SAMPLE = 200;

    /** At most this many problem lines are listed per split (all are counted). */
    public static final int MAX_LISTED = 50;

    private DatasetValidator() {
    }

    /** Validates with the default sample size. */
    public static DatasetReport validate(SegmentationDataset ds) {
        return validate(ds, DEFAULT_SAMPLE);
    }

    /**
     * @param sampleLimit pairs decoded per split; 0 or less decodes every pair
     */
    public static DatasetReport validate(SegmentationDataset ds, int sampleLimit) {
        List<DatasetReport.ClassEntry> classes = ds.classes().stream()
                .map(c -> new DatasetReport.ClassEntry(c.index(), c.name(), c.hex())).toList();
        Map<String, DatasetReport.SplitReport> splits = new LinkedHashMap<>();
        for (String split : ds.splitNames()) {
            splits.put(split, validateSplit(ds, split, sampleLimit));
        }
        return new DatasetReport(ds.name(), ds.format().name(), ds.root().toString(),
                ds.labelEncoding().name().toLowerCase(), describeLabelValues(ds), classes, ds.ignoreIndex(),
                ds.backgroundIndex(), splits);
    }

    /**
     * How raw label values become classes, in a few words: {@code "value = class index"},
     * {@code "0 = void, k = class k-1"} (ADE20K, {@code reduceZeroLabel}), {@code "class colours"} (RGB
     * labels) or {@code "values mapped to classes"} (other tables, e.g. Cityscapes label ids).
     */
    public static String describeLabelValues(SegmentationDataset ds) {
        if (ds.labelEncoding() == LabelEncoding.RGB) {
            return "class colours";
        }
        int[] map = ds.labelMap();
        if (map == null) {
            return "value = class index";
        }
        boolean reduceZero = map[0] == ds.ignoreIndex();
        for (int k = 1; k <= ds.numClasses() && reduceZero; k++) {
            reduceZero = k < 256 && map[k] == k - 1;
        }
        return reduceZero ? "0 = void, k = class k-1" : "values mapped to classes";
    }

    /** The result of checking one pair. */
    private record PairCheck(DatasetProblem problem, long[] classPixels, long voidPixels, LabelIssues issues,
                             boolean decoded) {
    }

    private static DatasetReport.SplitReport validateSplit(SegmentationDataset ds, String split, int sampleLimit) {
        List<ImagePair> pairs = ds.pairs(split);
        int n = pairs.size();
        boolean sampled = sampleLimit > 0 && n > sampleLimit;
        boolean[] decode = new boolean[n];
        if (sampled) {
            for (int k = 0; k < sampleLimit; k++) {
                decode[(int) ((long) k * n / sampleLimit)] = true;
            }
        } else {
            java.util.Arrays.fill(decode, true);
        }
        PairCheck[] checks = new PairCheck[n];
        Runnable work = () -> IntStream.range(0, n).parallel()
                .forEach(i -> checks[i] = check(ds, split, pairs.get(i), decode[i]));
        if (ForkJoinPool.commonPool().getParallelism() >= Runtime.getRuntime().availableProcessors() - 1) {
            work.run();
        } else {
            ForkJoinPool pool = new ForkJoinPool(Runtime.getRuntime().availableProcessors());
            try {
                pool.submit(work).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("validation interrupted", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("validation failed: " + e.getCause().getMessage(), e.getCause());
            } finally {
                pool.shutdown();
            }
        }

        List<DatasetProblem> problems = new ArrayList<>(ds.problems(split));
        long[] classPixels = new long[ds.numClasses()];
        long voidPixels = 0;
        int decodedCount = 0;
        int unreadable = 0;
        int mismatches = 0;
        Map<String, Long> outOfRange = new TreeMap<>();
        long outOfRangePixels = 0;
        int usable = 0;
        for (PairCheck c : checks) {
            if (c.problem != null) {
                problems.add(c.problem);
                if (c.problem.kind() == DatasetProblem.Kind.SIZE_MISMATCH) {
                    mismatches++;
                } else {
                    unreadable++;
                }
                continue;
            }
            usable++;
            if (!c.decoded) {
                continue;
            }
            decodedCount++;
            for (int k = 0; k < classPixels.length; k++) {
                classPixels[k] += c.classPixels[k];
            }
            voidPixels += c.voidPixels;
            if (c.issues != null && !c.issues.isEmpty()) {
                c.issues.outOfRange().forEach((v, cnt) -> outOfRange.merge(String.valueOf(v), cnt, Long::sum));
                c.issues.unknownColours().forEach((v, cnt) -> outOfRange.merge(v, cnt, Long::sum));
                outOfRangePixels += c.issues.pixels();
            }
        }
        for (int i = 0; i < n; i++) {
            PairCheck c = checks[i];
            if (c.problem == null && c.issues != null && !c.issues.isEmpty()) {
                problems.add(new DatasetProblem(split, DatasetProblem.Kind.OUT_OF_RANGE, PairLists.rel(ds.root(), pairs.get(i).label()),
                        c.issues.describe()));
            }
        }
        long labelled = 0;
        for (long p : classPixels) {
            labelled += p;
        }
        List<DatasetReport.ClassFrequency> freqs = new ArrayList<>();
        for (ClassInfo ci : ds.classes()) {
            long p = classPixels[ci.index()];
            freqs.add(new DatasetReport.ClassFrequency(ci.index(), ci.name(), p, labelled == 0 ? 0 : (double) p / labelled));
        }
        int missing = 0;
        int refused = 0;
        for (DatasetProblem p : ds.problems(split)) {
            switch (p.kind()) {
                case MISSING, UNPAIRED -> missing++;
                case REFUSED_PATH, MALFORMED_LINE -> refused++;
                default -> unreadable++;
            }
        }
        if (usable == 0) {
            problems.add(0, new DatasetProblem(split, DatasetProblem.Kind.EMPTY_SPLIT, split,
                    "no usable image/label pair in this split"));
        }
        List<String> lines = problems.stream().limit(MAX_LISTED).map(DatasetProblem::toString).toList();
        LOG.debug("split {}: {} pairs, {} problems", split, n, problems.size());
        return new DatasetReport.SplitReport(usable, decodedCount, sampled, missing, refused, unreadable, mismatches,
                outOfRangePixels, outOfRange, freqs, voidPixels, lines, problems.size());
    }

    private static PairCheck check(SegmentationDataset ds, String split, ImagePair pair, boolean decode) {
        try {
            if (decode) {
                SampleReader.Result r = SampleReader.readChecked(ds, pair);
                long[] counts = new long[ds.numClasses()];
                long voids = 0;
                for (byte b : r.sample().labels()) {
                    int v = b & 0xFF;
                    if (v < counts.length) {
                        counts[v]++;
                    } else {
                        voids++;
                    }
                }
                return new PairCheck(null, counts, voids, r.issues(), true);
            }
            ImageHeader hi = ImageHeader.read(pair.image());
            ImageHeader hl = ImageHeader.read(pair.label());
            if (hi.width() != hl.width() || hi.height() != hl.height()) {
                return new PairCheck(new DatasetProblem(split, DatasetProblem.Kind.SIZE_MISMATCH, PairLists.rel(ds.root(), pair.label()),
                        "label is " + hl.width() + "x" + hl.height() + " but its image " + pair.image().getFileName()
                                + " is " + hi.width() + "x" + hi.height()), null, 0, null, false);
            }
            if (hl.isPng() && hl.bitDepth() == 16) {
                return new PairCheck(new DatasetProblem(split, DatasetProblem.Kind.UNREADABLE, PairLists.rel(ds.root(), pair.label()),
                        "16-bit label image; labels must be 8-bit (class indices 0-255)"), null, 0, null, false);
            }
            return new PairCheck(null, null, 0, null, false);
        } catch (DatasetException e) {
            String msg = e.getMessage();
            DatasetProblem.Kind kind = msg.contains(" but its image ") ? DatasetProblem.Kind.SIZE_MISMATCH
                    : DatasetProblem.Kind.UNREADABLE;
            int colon = msg.indexOf(": ");
            String file = PairLists.rel(ds.root(), java.nio.file.Path.of(colon > 0 ? msg.substring(0, colon)
                    : pair.label().toString()));
            String text = colon > 0 ? msg.substring(colon + 2) : msg;
            return new PairCheck(new DatasetProblem(split, kind, file, text), null, 0, null, false);
        } catch (RuntimeException e) {
            LOG.debug("unexpected failure reading {}", pair, e);
            return new PairCheck(new DatasetProblem(split, DatasetProblem.Kind.UNREADABLE,
                    PairLists.rel(ds.root(), pair.image()), "cannot be read (unexpected error; details in the log)"),
                    null, 0, null, false);
        }
    }
}
