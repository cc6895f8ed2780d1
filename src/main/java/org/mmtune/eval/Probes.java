package org.mmtune.eval;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import org.mmtune.data.Sample;
import org.mmtune.mix.MixedBatch;
import org.mmtune.mix.Mixer;
import org.mmtune.mix.PatchSampler;
import org.mmtune.nn.InputNorm;
import org.mmtune.nn.MaskedCrossEntropy;
import org.mmtune.nn.MmtuneNet;

/**
 * Probes of a backbone that do not depend on fine-tuning, so they show what a stage (colorization, M&amp;M)
 * changed in the representation:
 * <ul>
 *   <li><b>k-NN patch classification</b>: query patches sampled by the mixer from validation images (centre
 *   labels), a gallery of training patches, the L2-normalised pool5 embedding of {@link MmtuneNet} with batch
 *   norm in inference mode; each query takes the majority label of its {@code k} most cosine-similar gallery
 *   patches (ties: the label with the larger summed similarity). Reported: accuracy and the mean over classes
 *   of the per-class accuracy.</li>
 *   <li><b>Linear (frozen-backbone) probe</b>: a 1×1 convolution (per-position linear classifier) on the frozen
 *   conv5 features of whole training images, features standardised per channel with the training images'
 *   mean and standard deviation, logits bilinearly upsampled (as the FCN does), pixel cross-entropy ignoring
 *   void at a quarter of the image resolution, plain SGD with momentum 0.9 from zero weights, a fixed number
 *   of iterations over a fixed image order; scored by mIoU at full resolution on (a fixed subset of) the
 *   validation images.</li>
 * </ul>
 * Every choice (images, patches, order) comes from the probe seed, so a probe of the same weights on the same
 * data gives the same numbers.
 */
public final class Probes {

    /** How to probe. */
    public record Settings(int k, int linearIterations, int linearBatchSize, float linearLearningRate, long seed) {
    }

    /** Gray patches ({@code size²} bytes each) with their class labels. */
    public record PatchSet(int size, byte[][] gray, int[] labels) {
        public int count() {
            return labels.length;
        }
    }

    /** A whole gray image with its labels. */
    public record Image(String id, int width, int height, byte[] gray, byte[] labels) {
        public static Image of(Sample s) {
            return new Image(s.id(), s.width(), s.height(), s.gray(), s.labels());
        }
    }

    /** The data every checkpoint of a run is probed on (built once). */
    public record Data(PatchSet gallery, PatchSet queries, List<Image> linearTrain, List<Image> linearVal,
                       int numClasses) {
    }

    /**
     * What a probe measured (a {@code results.json} entry under {@code probes}); {@code seconds} (wall time)
     * is logged but not written, so the same weights and settings always give the same JSON.
     */
    @JsonPropertyOrder({"knnAccuracy", "knnMeanClassAccuracy", "linearProbeMIoU", "linearProbePixelAccuracy",
            "knnK", "knnGallery", "knnQueries", "linearTrainImages", "linearValImages", "linearIterations",
            "weights"})
    public record Result(@JsonProperty("knnAccuracy") double knnAccuracy,
                         @JsonProperty("knnMeanClassAccuracy") double knnMeanClassAccuracy,
                         @JsonProperty("linearProbeMIoU") double linearProbeMIoU,
                         @JsonProperty("linearProbePixelAccuracy") double linearProbePixelAccuracy,
                         @JsonProperty("knnK") int knnK,
                         @JsonProperty("knnGallery") int knnGallery,
                         @JsonProperty("knnQueries") int knnQueries,
                         @JsonProperty("linearTrainImages") int linearTrainImages,
                         @JsonProperty("linearValImages") int linearValImages,
                         @JsonProperty("linearIterations") int linearIterations,
                         @com.fasterxml.jackson.annotation.JsonIgnore double seconds,
                         @JsonProperty("weights") String weights) {

        /** The same numbers, naming where the weights came from. */
        public Result withWeights(String source) {
            return new Result(knnAccuracy, knnMeanClassAccuracy, linearProbeMIoU, linearProbePixelAccuracy, knnK,
                    knnGallery, knnQueries, linearTrainImages, linearValImages, linearIterations, seconds, source);
        }
    }

    private static final int BILINEAR = 1;
    private static final int EMBED_BATCH = 50;

    private Probes() {
    }

    /** {@code n} of the {@code size} indices chosen with {@code seed}, ascending (all when n is 0 or too large). */
    public static int[] choose(int size, int n, long seed) {
        if (n <= 0 || n >= size) {
            int[] all = new int[size];
            for (int i = 0; i < size; i++) {
                all[i] = i;
            }
            return all;
        }
        List<Integer> idx = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            idx.add(i);
        }
        java.util.Collections.shuffle(idx, new Random(seed));
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = idx.get(i);
        }
        Arrays.sort(out);
        return out;
    }

    /**
     * The patches the mixer samples from {@code images} (its config: sizes, output size, background ratio,
     * de-duplication, centre labels, seed) as batch {@code batch}, on the calling thread.
     */
    public static PatchSet patches(PatchSampler sampler, List<Sample> images, long batch) {
        int[] idx = new int[images.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        MixedBatch mb = new Mixer(sampler, Mixer.Crops.GRAY).mix(images, idx, batch, 1);
        return new PatchSet(mb.outSize(), mb.gray(), mb.labels());
    }

    /** Probes {@code net}'s backbone (an embedding network with its weights loaded). */
    public static Result run(MmtuneNet net, NDManager manager, Data data, Settings s, BooleanSupplier cancelled) {
        long t0 = System.nanoTime();
        float[][] g = embed(net, manager, data.gallery(), cancelled);
        float[][] q = embed(net, manager, data.queries(), cancelled);
        double[] knn = knn(g, data.gallery().labels(), q, data.queries().labels(), s.k(), data.numClasses());
        double[] lin = linear(net, manager, data, s, cancelled);
        double secs = (System.nanoTime() - t0) / 1e9;
        return new Result(knn[0], knn[1], lin[0], lin[1], s.k(), g.length, q.length, data.linearTrain().size(),
                data.linearVal().size(), s.linearIterations(), Math.round(secs * 10) / 10.0, null);
    }

    private static void check(BooleanSupplier cancelled) {
        if (cancelled != null && cancelled.getAsBoolean()) {
            throw new CancellationException("probe cancelled");
        }
    }

    /** L2-normalised pool5 embeddings of the patches (batch norm in inference mode). */
    static float[][] embed(MmtuneNet net, NDManager manager, PatchSet p, BooleanSupplier cancelled) {
        int n = p.count();
        int s = p.size();
        float[][] out = new float[n][];
        for (int from = 0; from < n; from += EMBED_BATCH) {
            check(cancelled);
            int b = Math.min(EMBED_BATCH, n - from);
            float[] x = new float[b * s * s];
            for (int i = 0; i < b; i++) {
                InputNorm.normalize(p.gray()[from + i], x, i * s * s);
            }
            try (NDManager m = manager.newSubManager()) {
                NDArray in = m.create(x, new Shape(b, 1, s, s));
                NDArray e = net.forward(new ParameterStore(m, false), new NDList(in), false).singletonOrThrow();
                int d = (int) e.getShape().get(1);
                float[] flat = e.toFloatArray();
                for (int i = 0; i < b; i++) {
                    out[from + i] = Arrays.copyOfRange(flat, i * d, (i + 1) * d);
                }
            }
        }
        return out;
    }

    /**
     * Cosine k-NN: {@code [accuracy, mean per-class accuracy]} of the queries against the gallery; the mean
     * runs over the classes that occur among the queries. Rows need not be normalised.
     */
    public static double[] knn(float[][] gallery, int[] galleryLabels, float[][] queries, int[] queryLabels, int k,
                               int numClasses) {
        if (queries.length == 0 || gallery.length == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        float[][] gn = unit(gallery);
        float[][] qn = unit(queries);
        int kk = Math.min(k, gn.length);
        int classes = numClasses;
        for (int l : galleryLabels) {
            classes = Math.max(classes, l + 1);
        }
        for (int l : queryLabels) {
            classes = Math.max(classes, l + 1);
        }
        long[] perTotal = new long[classes];
        long[] perOk = new long[classes];
        long ok = 0;
        float[] sim = new float[gn.length];
        int[] top = new int[kk];
        for (int qi = 0; qi < qn.length; qi++) {
            float[] a = qn[qi];
            for (int j = 0; j < gn.length; j++) {
                float[] b = gn[j];
                float d = 0;
                for (int c = 0; c < a.length; c++) {
                    d += a[c] * b[c];
                }
                sim[j] = d;
            }
            // the kk most similar (stable: lower index first among equals)
            int filled = 0;
            for (int j = 0; j < gn.length; j++) {
                if (filled < kk) {
                    int pos = filled++;
                    while (pos > 0 && sim[top[pos - 1]] < sim[j]) {
                        top[pos] = top[pos - 1];
                        pos--;
                    }
                    top[pos] = j;
                } else if (sim[j] > sim[top[kk - 1]]) {
                    int pos = kk - 1;
                    while (pos > 0 && sim[top[pos - 1]] < sim[j]) {
                        top[pos] = top[pos - 1];
                        pos--;
                    }
                    top[pos] = j;
                }
            }
            int[] votes = new int[classes];
            double[] weight = new double[classes];
            for (int t = 0; t < kk; t++) {
                votes[galleryLabels[top[t]]]++;
                weight[galleryLabels[top[t]]] += sim[top[t]];
            }
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (votes[c] > votes[best] || (votes[c] == votes[best] && weight[c] > weight[best])) {
                    best = c;
                }
            }
            int truth = queryLabels[qi];
            perTotal[truth]++;
            if (best == truth) {
                ok++;
                perOk[truth]++;
            }
        }
        double mean = 0;
        int present = 0;
        for (int c = 0; c < classes; c++) {
            if (perTotal[c] > 0) {
                mean += (double) perOk[c] / perTotal[c];
                present++;
            }
        }
        return new double[] {(double) ok / qn.length, mean / present};
    }

    private static float[][] unit(float[][] rows) {
        float[][] out = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            double s = 0;
            for (float v : rows[i]) {
                s += v * v;
            }
            float inv = (float) (1 / Math.sqrt(s + 1e-12));
            out[i] = new float[rows[i].length];
            for (int c = 0; c < rows[i].length; c++) {
                out[i][c] = rows[i][c] * inv;
            }
        }
        return out;
    }

    /** conv5 features of one image: {@code [C·fh·fw]} with its shape. */
    private record Features(float[] values, int channels, int fh, int fw) {
    }

    private static Features features(MmtuneNet net, NDManager manager, Image img) {
        float[] x = new float[img.width() * img.height()];
        InputNorm.normalize(img.gray(), x, 0);
        try (NDManager m = manager.newSubManager()) {
            NDArray in = m.create(x, new Shape(1, 1, img.height(), img.width()));
            NDArray f = net.backbone().forward(new ParameterStore(m, false), new NDList(in), false).singletonOrThrow();
            Shape sh = f.getShape();
            return new Features(f.toFloatArray(), (int) sh.get(1), (int) sh.get(2), (int) sh.get(3));
        }
    }

    /** {@code [mIoU, pixel accuracy]} of the linear probe. */
    private static double[] linear(MmtuneNet net, NDManager manager, Data data, Settings s, BooleanSupplier cancelled) {
        List<Image> train = data.linearTrain();
        List<Image> val = data.linearVal();
        if (train.isEmpty() || val.isEmpty() || s.linearIterations() <= 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        int k = data.numClasses();
        List<Features> tf = new ArrayList<>();
        for (Image img : train) {
            check(cancelled);
            tf.add(features(net, manager, img));
        }
        int c = tf.get(0).channels();
        // per-channel standardisation from the training features
        double[] sum = new double[c];
        double[] sq = new double[c];
        long count = 0;
        for (Features f : tf) {
            int hw = f.fh() * f.fw();
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < hw; i++) {
                    double v = f.values()[ch * hw + i];
                    sum[ch] += v;
                    sq[ch] += v * v;
                }
            }
            count += hw;
        }
        float[] mean = new float[c];
        float[] inv = new float[c];
        for (int ch = 0; ch < c; ch++) {
            double mu = sum[ch] / count;
            double var = Math.max(0, sq[ch] / count - mu * mu);
            mean[ch] = (float) mu;
            inv[ch] = (float) (1 / Math.sqrt(var + 1e-6));
        }
        List<float[]> trainX = new ArrayList<>();
        List<int[]> trainT = new ArrayList<>();
        for (int i = 0; i < tf.size(); i++) {
            trainX.add(standardise(tf.get(i), mean, inv));
            trainT.add(quarterLabels(train.get(i), k));
        }
        float[] w = new float[k * c];
        float[] b = new float[k];
        float[] vw = new float[k * c];
        float[] vb = new float[k];
        float momentum = 0.9f;
        Random rnd = new Random(s.seed() * 7919L + 17);
        int[] order = new int[0];
        int pos = 0;
        int batch = Math.max(1, s.linearBatchSize());
        for (int it = 0; it < s.linearIterations(); it++) {
            check(cancelled);
            try (NDManager m = manager.newSubManager()) {
                NDArray wa = m.create(w, new Shape(k, c));
                NDArray ba = m.create(b, new Shape(1, k, 1, 1));
                wa.setRequiresGradient(true);
                ba.setRequiresGradient(true);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray total = null;
                    for (int j = 0; j < batch; j++) {
                        if (pos >= order.length) {
                            order = permutation(train.size(), rnd);
                            pos = 0;
                        }
                        int i = order[pos++];
                        Features f = tf.get(i);
                        Image img = train.get(i);
                        NDArray x = m.create(trainX.get(i), new Shape(c, (long) f.fh() * f.fw()));
                        NDArray logits = wa.matMul(x).reshape(1, k, f.fh(), f.fw()).add(ba);
                        int th = Math.max(1, img.height() / 4);
                        int tw = Math.max(1, img.width() / 4);
                        NDArray up = logits.getNDArrayInternal().interpolation(new long[] {th, tw}, BILINEAR, false);
                        NDArray t = m.create(trainT.get(i), new Shape(1, th, tw));
                        NDArray l = MaskedCrossEntropy.compute(up, t, k);
                        total = total == null ? l : total.add(l);
                    }
                    NDArray loss = total.div(batch);
                    gc.backward(loss);
                }
                float[] gw = wa.getGradient().toFloatArray();
                float[] gb = ba.getGradient().toFloatArray();
                float lr = s.linearLearningRate();
                for (int i = 0; i < w.length; i++) {
                    vw[i] = momentum * vw[i] + lr * gw[i];
                    w[i] -= vw[i];
                }
                for (int i = 0; i < b.length; i++) {
                    vb[i] = momentum * vb[i] + lr * gb[i];
                    b[i] -= vb[i];
                }
            }
        }
        ConfusionMatrix cm = new ConfusionMatrix(k);
        for (Image img : val) {
            check(cancelled);
            Features f = features(net, manager, img);
            try (NDManager m = manager.newSubManager()) {
                NDArray wa = m.create(w, new Shape(k, c));
                NDArray ba = m.create(b, new Shape(1, k, 1, 1));
                NDArray x = m.create(standardise(f, mean, inv), new Shape(c, (long) f.fh() * f.fw()));
                NDArray logits = wa.matMul(x).reshape(1, k, f.fh(), f.fw()).add(ba);
                NDArray up = logits.getNDArrayInternal().interpolation(new long[] {img.height(), img.width()},
                        BILINEAR, false);
                int[] pred = up.argMax(1).toType(DataType.INT32, false).toIntArray();
                cm.add(img.labels(), pred);
            }
        }
        return new double[] {cm.meanIoU(), cm.pixelAccuracy()};
    }

    private static int[] permutation(int n, Random rnd) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static float[] standardise(Features f, float[] mean, float[] inv) {
        int hw = f.fh() * f.fw();
        float[] out = new float[f.values().length];
        for (int ch = 0; ch < f.channels(); ch++) {
            for (int i = 0; i < hw; i++) {
                out[ch * hw + i] = (f.values()[ch * hw + i] - mean[ch]) * inv[ch];
            }
        }
        return out;
    }

    /**
     * Labels at a quarter of the resolution (the pixel at the centre of each 4×4 block); void and any other
     * value outside the classes become {@code numClasses}, the loss's ignore value.
     */
    static int[] quarterLabels(Image img, int numClasses) {
        int th = Math.max(1, img.height() / 4);
        int tw = Math.max(1, img.width() / 4);
        int[] t = new int[th * tw];
        for (int r = 0; r < th; r++) {
            int y = Math.min(img.height() - 1, r * 4 + 2);
            for (int col = 0; col < tw; col++) {
                int x = Math.min(img.width() - 1, col * 4 + 2);
                int v = img.labels()[y * img.width() + x] & 0xFF;
                t[r * tw + col] = v < numClasses ? v : numClasses;
            }
        }
        return t;
    }
}
