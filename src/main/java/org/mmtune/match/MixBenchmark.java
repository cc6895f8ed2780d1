package org.mmtune.match;

import org.mmtune.mix.Mixer;
import org.mmtune.mix.Patch;
import org.mmtune.mix.PatchCropper;
import org.mmtune.mix.PatchSampler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import org.mmtune.data.Sample;

/**
 * Times the mix-and-match data path over a whole split: decode every image, sample its patches,
 * crop them (gray, OpenCV) and build the class-wise graph of each batch of {@code imagesPerBatch}
 * consecutive images. Parallel over images on all cores. Library code: returns figures, prints nothing.
 */
public final class MixBenchmark {

    /**
     * The measured figures: seconds are medians over the repeats after a warm-up ({@code *Best*}: the
     * fastest repeat, the least disturbed by other processes on a shared machine).
     */
    public record Result(int images, int skipped, int patches, int batches, int threads, double decodeSeconds,
                         double decodeCpuSeconds, double endToEndCpuSeconds,
                         double sampleCropGraphSeconds, double sampleCropGraphBestSeconds,
                         double endToEndBestSeconds, double sampleCropGraphFirstSeconds,
                         double sampleCropGraphCpuSeconds, double endToEndSeconds, double graph100kSeconds,
                         int repeats, double loadAverage) {

        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("images", images);
            m.put("skipped", skipped);
            m.put("patches", patches);
            m.put("batches", batches);
            m.put("threads", threads);
            m.put("decodeSeconds", decodeSeconds);
            m.put("decodeCpuSeconds", decodeCpuSeconds);
            m.put("endToEndCpuSeconds", endToEndCpuSeconds);
            m.put("sampleCropGraphSeconds", sampleCropGraphSeconds);
            m.put("sampleCropGraphBestSeconds", sampleCropGraphBestSeconds);
            m.put("endToEndBestSeconds", endToEndBestSeconds);
            m.put("sampleCropGraphFirstSeconds", sampleCropGraphFirstSeconds);
            m.put("sampleCropGraphCpuSeconds", sampleCropGraphCpuSeconds);
            m.put("endToEndSeconds", endToEndSeconds);
            m.put("graph100kSeconds", graph100kSeconds);
            m.put("repeats", repeats);
            m.put("loadAverage", loadAverage);
            return m;
        }
    }

    private final PatchSampler sampler;
    private final Mixer mixer;
    private final int threads;
    private volatile long lastDigest;

    public MixBenchmark(PatchSampler sampler, int threads) {
        this.sampler = sampler;
        this.mixer = new Mixer(sampler, Mixer.Crops.GRAY);
        this.threads = Math.max(1, threads);
    }

    /** Decodes all images in parallel; images the decoder returns null for (unreadable) are left out. */
    public Sample[] decodeAll(int n, IntFunction<Sample> decoder) {
        Sample[] out = new Sample[n];
        Mixer.runParallel(n, threads, i -> out[i] = decoder.apply(i));
        return Arrays.stream(out).filter(java.util.Objects::nonNull).toArray(Sample[]::new);
    }

    /**
     * Samples, crops and builds the graphs of all images already in memory: one parallel pass over the
     * images (each image has its own seed and output slots, so the patches are those of mixing each batch
     * of {@code imagesPerBatch} consecutive images on its own), then the class-wise graph of each batch.
     * Returns the patch count.
     */
    public int sampleCropGraph(Sample[] samples, long batchSeed) {
        return mixAndGraph(samples.length, i -> samples[i], batchSeed);
    }

    /**
     * The whole path from disk, streaming: each image is decoded, sampled and cropped by one task and
     * then dropped (only its crops and labels are kept), and the graph of each batch of
     * {@code imagesPerBatch} consecutive images is built from the labels. Returns the patch count.
     */
    public int endToEnd(int n, IntFunction<Sample> decoder, long batchSeed) {
        return mixAndGraph(n, decoder, batchSeed);
    }

    private int mixAndGraph(int n, IntFunction<Sample> source, long batchSeed) {
        int per = sampler.config().imagesPerBatch();
        int[][] labels = new int[n][];
        long[] digest = new long[n];
        PatchCropper cropper = mixer.cropper();
        Mixer.runParallel(n, threads, i -> {
            Sample s = source.apply(i);
            if (s == null) {
                labels[i] = new int[0];
                return;
            }
            List<Patch> p = sampler.sample(s, i, batchSeed);
            byte[][] g = new byte[p.size()][];
            cropper.cropAll(s, p, g, null, 0);
            // the crops are made in full and then dropped, as by the reference script (which keeps only the
            // labels): a consumer holds one batch at a time, not a whole split's crops (60 MB for CamVid train,
            // which the garbage collector would copy again and again). A digest of each crop is kept instead.
            long d = 0;
            for (byte[] crop : g) {
                d = 31 * d + crop[crop.length / 2] + crop[crop.length - 1];
            }
            digest[i] = d;
            int[] l = new int[p.size()];
            for (int k = 0; k < l.length; k++) {
                l[k] = p.get(k).label();
            }
            labels[i] = l;
        });
        int total = 0;
        for (int b = 0; b * per < n; b++) {
            int m = 0;
            for (int i = b * per; i < Math.min(n, (b + 1) * per); i++) {
                m += labels[i].length;
            }
            int[] l = new int[m];
            int o = 0;
            for (int i = b * per; i < Math.min(n, (b + 1) * per); i++) {
                System.arraycopy(labels[i], 0, l, o, labels[i].length);
                o += labels[i].length;
            }
            total += GraphBuilder.classwise(l, batchSeed * 31 + b).size();
        }
        long d = 0;
        for (long x : digest) {
            d += x;
        }
        lastDigest = d;
        return total;
    }

    /** A digest of the crops of the last pass (keeps the crops' computation observable). */
    public long lastDigest() {
        return lastDigest;
    }

    /** Seconds to build a class-wise graph of 100,000 nodes over {@code classes} classes (median of 5). */
    public static double graph100k(int classes) {
        int[] labels = new int[100_000];
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < labels.length; i++) {
            labels[i] = r.nextInt(classes);
        }
        double[] t = new double[7];
        for (int k = 0; k < t.length; k++) {
            long t0 = System.nanoTime();
            GraphBuilder.classwise(labels, k);
            t[k] = (System.nanoTime() - t0) / 1e9;
        }
        double[] last = Arrays.copyOfRange(t, 2, 7);
        return median(last);
    }

    /**
     * Runs the whole benchmark.
     *
     * @param n       number of images in the split
     * @param decoder decodes image i (must be thread-safe)
     * @param repeats timed repeats of each phase (after one warm-up for the end-to-end path)
     */
    public Result run(int n, IntFunction<Sample> decoder, int repeats, int numClasses) {
        // end to end from disk (file cache warm after the warm-up), streaming, then decoding alone
        List<Double> e2e = new ArrayList<>();
        List<Double> e2eCpu = new ArrayList<>();
        for (int r = 0; r <= repeats; r++) {
            long c0 = processCpuNanos();
            long t0 = System.nanoTime();
            endToEnd(n, decoder, r);
            long c1 = processCpuNanos();
            long t1 = System.nanoTime();
            if (r > 0) { // r = 0 is the warm-up
                e2e.add((t1 - t0) / 1e9);
                e2eCpu.add((c1 - c0) / 1e9);
            }
        }
        List<Double> dec = new ArrayList<>();
        List<Double> decCpu = new ArrayList<>();
        Sample[] samples = null;
        for (int r = 0; r < repeats; r++) {
            samples = null; // let the previous copy go before decoding the next
            long c0 = processCpuNanos();
            long t0 = System.nanoTime();
            samples = decodeAll(n, decoder);
            long c1 = processCpuNanos();
            long t1 = System.nanoTime();
            dec.add((t1 - t0) / 1e9);
            decCpu.add((c1 - c0) / 1e9);
        }
        List<Double> scg = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        int patches = 0;
        double first = Double.NaN;
        // the first passes are warm-ups (reported as "first", left out of the median and the best): a
        // live preview runs in a long-lived process, where the code is compiled and the heap settled
        int warmups = 2;
        for (int r = 0; r < warmups + Math.max(10, 3 * repeats); r++) {
            long c0 = processCpuNanos();
            long t0 = System.nanoTime();
            patches = sampleCropGraph(samples, 1000 + r);
            double s = (System.nanoTime() - t0) / 1e9;
            long c1 = processCpuNanos();
            if (r == 0) {
                first = s;
            }
            if (r < warmups) {
                continue;
            }
            scg.add(s);
            if (c0 >= 0 && c1 >= 0) {
                cpu.add((c1 - c0) / 1e9);
            }
        }
        int per = sampler.config().imagesPerBatch();
        int images = samples.length;
        return new Result(images, n - images, patches, (images + per - 1) / per, threads, median(dec),
                median(decCpu), median(e2eCpu), median(scg), min(scg), min(e2e),
                first, median(cpu), median(e2e), graph100k(numClasses), repeats,
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /** CPU time of the whole process so far, or -1 when the JVM does not tell. */
    static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return -1;
    }

    static double min(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    static double median(List<Double> v) {
        return median(v.stream().mapToDouble(Double::doubleValue).toArray());
    }

    static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
