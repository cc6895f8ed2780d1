package org.mmtune.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.util.Pair;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.mmtune.nn.BackboneType;
import org.mmtune.nn.MaskedCrossEntropy;
import org.mmtune.nn.MmtuneNet;
import org.mmtune.nn.NetSpec;
import org.mmtune.util.AtomicFiles;

/**
 * One oneDNN ISA measured in its own JVM (oneDNN reads {@code ONEDNN_MAX_CPU_ISA} once per process, so each
 * ISA needs a process): the network's own layer shapes (AlexNet-BN, width ÷4: the FCN step on 256² crops with a
 * masked cross-entropy ignoring void, and the M&amp;M embedding step on 128² patches; small batches, 2 and 16, to
 * keep the probe to seconds) with fixed weights and inputs,
 * forward and backward through the training code's own trainer, after NaN-filled memory was freed before every
 * pass ({@link KernelCheck#poisonFreedMemory}). It writes every parameter gradient of the last pass, whether
 * all passes were finite, and the time per pass. Run by {@link OneDnnIsa}'s probe as
 * {@code java ... org.mmtune.train.IsaProbe OUT_FILE} with the ISA in its environment; it ends itself at once
 * when its parent goes away (its standard input, a pipe from the parent, reaches end-of-file), so a killed
 * mmtune never leaves a probe running.
 */
public final class IsaProbe {

    static final int WARMUPS = 1;
    static final int TIMED = 3;
    private static final int FCN_BATCH = 2;
    private static final int FCN_CROP = 256;
    private static final int MM_BATCH = 16;
    private static final int MM_SIDE = 128;
    private static final int CLASSES = 12;
    private static final int VOID = 255;

    /** What one ISA gave: the gradients of the last pass, whether every pass was finite, and ms per pass. */
    record Result(List<float[]> gradients, boolean finite, double fcnMs, double mmMs) {

        double stepMs() {
            return fcnMs + mmMs;
        }

        void write(Path file) throws IOException {
            AtomicFiles.write(file, out -> {
                DataOutputStream d = new DataOutputStream(new BufferedOutputStream(out));
                d.writeBoolean(finite);
                d.writeDouble(fcnMs);
                d.writeDouble(mmMs);
                d.writeInt(gradients.size());
                for (float[] g : gradients) {
                    d.writeInt(g.length);
                    for (float f : g) {
                        d.writeFloat(f);
                    }
                }
                d.flush();
            });
        }

        static Result read(Path file) throws IOException {
            try (DataInputStream d = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
                boolean finite = d.readBoolean();
                double fcn = d.readDouble();
                double mm = d.readDouble();
                int n = d.readInt();
                if (n < 0 || n > 10_000) {
                    throw new IOException(file + ": bad gradient count " + n);
                }
                List<float[]> grads = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    int len = d.readInt();
                    if (len < 0 || len > 100_000_000) {
                        throw new IOException(file + ": bad gradient length " + len);
                    }
                    float[] g = new float[len];
                    for (int k = 0; k < len; k++) {
                        g[k] = d.readFloat();
                    }
                    grads.add(g);
                }
                return new Result(grads, finite, fcn, mm);
            }
        }
    }

    private IsaProbe() {
    }

    public static void main(String[] args) {
        exitWhenParentGoes(System.in);
        int code = 1;
        try {
            if (args.length != 1) {
                System.err.println("usage: IsaProbe OUT_FILE");
            } else {
                measure().write(Path.of(args[0]));
                code = 0;
            }
        } catch (Exception | LinkageError e) {
            System.err.println("isa probe failed: " + e);
        }
        System.out.flush();
        Runtime.getRuntime().halt(code);
    }

    /** A daemon thread that ends this JVM at once when {@code in} (a pipe from the parent) reaches its end. */
    static void exitWhenParentGoes(InputStream in) {
        Thread t = new Thread(() -> {
            try {
                while (in.read() >= 0) {
                    // the parent never writes; only the end matters
                }
            } catch (IOException e) {
                // closed: same as end
            }
            Runtime.getRuntime().halt(4);
        }, "mmtune-parent-watch");
        t.setDaemon(true);
        t.start();
    }

    /** The measurement in this process (with whatever ISA oneDNN runs with here). */
    static Result measure() {
        NetSpec spec = new NetSpec(BackboneType.ALEXNET, 4);
        List<float[]> grads = new ArrayList<>();
        boolean finite = true;
        double[] fcn = new double[TIMED];
        double[] mm = new double[TIMED];
        try (StageTrainer seg = new StageTrainer("isa-fcn", MmtuneNet.segmentation(spec, CLASSES), Device.cpu(),
                new Shape(1, 1, FCN_CROP, FCN_CROP), new LrSchedule(0f, 0, 1f), 0f, 0f, 0);
             StageTrainer emb = new StageTrainer("isa-mm", MmtuneNet.embedding(spec), Device.cpu(),
                     new Shape(2, 1, MM_SIDE, MM_SIDE), new LrSchedule(0f, 0, 1f), 0f, 0f, 0)) {
            fill(seg, 11);
            fill(emb, 12);
            float[] fcnX = gaussian(FCN_BATCH * FCN_CROP * FCN_CROP, 21, 1f);
            int[] fcnY = labels(FCN_BATCH * FCN_CROP * FCN_CROP, 22);
            float[] mmX = gaussian(MM_BATCH * MM_SIDE * MM_SIDE, 23, 1f);
            float[] mmW = null;
            for (int rep = 0; rep < WARMUPS + TIMED; rep++) {
                boolean last = rep == WARMUPS + TIMED - 1;
                Trainer tr = seg.trainer();
                KernelCheck.poisonFreedMemory(tr.getManager());
                try (NDManager m = tr.getManager().newSubManager()) {
                    NDArray x = m.create(fcnX, new Shape(FCN_BATCH, 1, FCN_CROP, FCN_CROP));
                    NDArray y = m.create(fcnY, new Shape(FCN_BATCH, FCN_CROP, FCN_CROP));
                    long t0 = System.nanoTime();
                    try (GradientCollector gc = tr.newGradientCollector()) {
                        NDArray out = tr.forward(new NDList(x)).singletonOrThrow();
                        NDArray loss = MaskedCrossEntropy.compute(out, y, VOID);
                        gc.backward(loss);
                    }
                    double ms = (System.nanoTime() - t0) / 1e6;
                    if (rep >= WARMUPS) {
                        fcn[rep - WARMUPS] = ms;
                    }
                    finite &= collect(seg, last ? grads : null);
                }
                tr = emb.trainer();
                KernelCheck.poisonFreedMemory(tr.getManager());
                try (NDManager m = tr.getManager().newSubManager()) {
                    NDArray x = m.create(mmX, new Shape(MM_BATCH, 1, MM_SIDE, MM_SIDE));
                    long t0 = System.nanoTime();
                    try (GradientCollector gc = tr.newGradientCollector()) {
                        NDArray e = MmtuneNet.l2Normalize(tr.forward(new NDList(x)).singletonOrThrow());
                        if (mmW == null) {
                            mmW = gaussian(Math.toIntExact(e.getShape().size()), 24, 1f);
                        }
                        NDArray loss = e.mul(m.create(mmW, e.getShape())).sum();
                        gc.backward(loss);
                    }
                    double ms = (System.nanoTime() - t0) / 1e6;
                    if (rep >= WARMUPS) {
                        mm[rep - WARMUPS] = ms;
                    }
                    finite &= collect(emb, last ? grads : null);
                }
            }
        }
        return new Result(grads, finite, median(fcn), median(mm));
    }

    /** Reads (into {@code into}, when given) and zeroes every gradient; false when one is not finite. */
    private static boolean collect(StageTrainer st, List<float[]> into) {
        boolean finite = true;
        for (Pair<String, Parameter> p : st.net().getParameters()) {
            Parameter param = p.getValue();
            if (!param.requiresGradient()) {
                continue;
            }
            NDArray w = param.getArray();
            NDArray g = w.getGradient();
            float[] v = g.toFloatArray();
            for (float f : v) {
                if (!Float.isFinite(f)) {
                    finite = false;
                    break;
                }
            }
            if (into != null) {
                into.add(v);
            }
            MomentumSgd.zero(w, g);
        }
        return finite;
    }

    /** The same weights in every process: He-scaled normal weights, BatchNorm scale near 1, small shifts. */
    private static void fill(StageTrainer st, long seed) {
        int k = 0;
        for (Pair<String, Parameter> p : st.net().getParameters()) {
            NDArray w = p.getValue().getArray();
            long[] dims = w.getShape().getShape();
            int n = Math.toIntExact(w.size());
            String name = p.getKey().toLowerCase(java.util.Locale.ROOT);
            float[] v;
            if (dims.length >= 2) {
                long fanIn = w.size() / dims[0];
                v = gaussian(n, seed * 1000 + k, (float) Math.sqrt(2.0 / fanIn));
            } else if (name.contains("runningvar") || name.contains("running_var")) {
                v = new float[n];
                Arrays.fill(v, 1f);
            } else if (name.contains("gamma")) {
                v = gaussian(n, seed * 1000 + k, 0.1f);
                for (int i = 0; i < n; i++) {
                    v[i] += 1f;
                }
            } else if (name.contains("runningmean") || name.contains("running_mean")) {
                v = new float[n];
            } else {
                v = gaussian(n, seed * 1000 + k, 0.1f);
            }
            w.set(v);
            k++;
        }
    }

    private static float[] gaussian(int n, long seed, float scale) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian() * scale;
        }
        return v;
    }

    /** Class labels with about one pixel in ten void, in blocks as in real label maps. */
    private static int[] labels(int n, long seed) {
        Random r = new Random(seed);
        int[] y = new int[n];
        for (int i = 0; i < n; i += 64) {
            int c = r.nextInt(10) == 0 ? VOID : r.nextInt(CLASSES);
            Arrays.fill(y, i, Math.min(n, i + 64), c);
        }
        return y;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
