package org.mmtune.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import org.mmtune.data.ImagePair;
import org.mmtune.data.Sample;
import org.mmtune.data.SegmentationDataset;
import org.mmtune.experiment.DatasetPaths;
import org.mmtune.experiment.DatasetSource;
import org.mmtune.experiment.DatasetSources;
import org.mmtune.experiment.ExperimentConfig;
import org.mmtune.experiment.MixMatchSource;
import org.mmtune.nn.BackboneType;
import org.mmtune.nn.InputNorm;
import org.mmtune.nn.MaskedCrossEntropy;
import org.mmtune.nn.MmtuneNet;
import org.mmtune.nn.NetSpec;
import org.mmtune.nn.TripletLoss;
import org.mmtune.train.Devices;
import org.mmtune.train.KernelCheck;
import org.mmtune.experiment.EngineInfo;
import org.mmtune.train.LrSchedule;
import org.mmtune.train.PatchBatch;
import org.mmtune.train.StageTrainer;
import org.mmtune.util.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mmtune bench train}: the real training steps, timed. M&amp;M step: B real mixed patches (128²,
 * gray) through backbone + embedding, triplet loss on the class-wise graph's triplets, backward, SGD
 * update. FCN step: 4 crops of 256² through backbone + FCN head, masked CE, backward, update. Data prep:
 * sampling + cropping + graph for one M&amp;M batch from decoded images. Medians after warm-up.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Time the M&M triplet step, the FCN step and the M&M data preparation on this machine.")
public final class BenchTrainCommand implements Callable<Integer>, LoadsLibtorch {

    @Option(names = "--width-divisor", paramLabel = "D", description = "Channel divisor (default ${DEFAULT-VALUE}).")
    int widthDivisor = 4;

    @Option(names = "--batch", paramLabel = "B", description = "Patches per M&M step (default ${DEFAULT-VALUE}).")
    int batch = 64;

    @Option(names = "--fcn-batch", paramLabel = "N", description = "Crops per FCN step (default ${DEFAULT-VALUE}).")
    int fcnBatch = 4;

    @Option(names = "--iterations", paramLabel = "N", description = "Timed iterations per step (default ${DEFAULT-VALUE}).")
    int iterations = 20;

    @Option(names = "--dataset", paramLabel = "PATH",
            description = "Images for the data preparation (default ../shared/datasets/camvid, else sample-data).")
    String dataset;

    @Option(names = "--device", paramLabel = "cpu|gpu|auto", description = "Device (default ${DEFAULT-VALUE}).")
    String device = "auto";

    @Option(names = "--no-peer", description = "Do not time the PyTorch peer (src/bench/python/peer_train.py) "
            + "next to these steps, even when /usr/bin/python3 has torch.")
    boolean noPeer;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the figures as JSON.")
    Path json;

    @Override
    public void validate() {
        if (widthDivisor < 1 || batch < 3 || fcnBatch < 1 || iterations < 1) {
            throw new IllegalArgumentException("--width-divisor, --batch (>= 3), --fcn-batch and --iterations must be positive");
        }
    }

    @Override
    public Integer call() throws Exception {
        Device dev = Devices.select(device);
        EngineInfo engine = EngineInfo.current();
        engine.lines(List.of(dev)).forEach(System.out::println);
        engine.autoOnCpu(device, List.of(dev)).ifPresent(System.out::println);
        System.out.flush();
        if (!dev.isGpu()) {
            KernelCheck.requireFiniteGradients();
        }
        NetSpec spec = new NetSpec(BackboneType.ALEXNET, widthDivisor);
        ProgressPrinter progress = ProgressPrinter.forCli(System.err, "bench");
        DatasetSource src = DatasetSources.standard();
        Path dsPath = DatasetPaths.resolve(dataset != null ? dataset : "../shared/datasets/camvid");
        if (dataset == null && !Files.isDirectory(dsPath)) {
            dsPath = DatasetPaths.resolve("sample-data");
        }
        SegmentationDataset ds = src.open(dsPath);
        String split = ds.hasSplit("train") ? "train" : ds.splitNames().get(0);
        List<ImagePair> pairs = ds.pairs(split);
        int perImage = 10;
        int images = Math.max(1, (batch + perImage - 1) / perImage);
        int load = Math.min(pairs.size(), Math.max(images * 4, 40));
        List<Sample> samples = new ArrayList<>();
        for (ImagePair p : pairs.subList(0, load)) {
            samples.add(src.read(ds, p));
        }
        ExperimentConfig.MixMatch mm = new ExperimentConfig.MixMatch();
        mm.imagesPerBatch = images;
        mm.patchesPerImage = perImage;
        MixMatchSource mix = new MixMatchSource(mm, ds, samples, 7);
        int warm = 3;
        double[] prep = new double[iterations + warm];
        List<PatchBatch> batches = new ArrayList<>();
        for (int i = 0; i < iterations + warm; i++) {
            long t0 = System.nanoTime();
            PatchBatch pb = mix.next(i + 1);
            prep[i] = (System.nanoTime() - t0) / 1e6;
            batches.add(trim(pb, batch));
        }
        double prepMs = median(Arrays.copyOfRange(prep, warm, prep.length)) * batch / (double) (images * perImage);
        System.err.printf(Locale.ROOT, "data: %s (%s), %d images decoded, %d patches per M&M batch%n", ds.name(),
                dsPath, samples.size(), batch);

        TorchPeer peer = noPeer ? null : TorchPeer.start(
                Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors()),
                widthDivisor, batch, fcnBatch, ds.numClasses()).orElse(null);
        double[] peerMm = new double[iterations + warm];
        double[] peerFcn = new double[iterations + warm];
        double[] peerMmCpu = new double[iterations + warm];
        double[] peerFcnCpu = new double[iterations + warm];
        double tripletMs;
        double tripletCpuMs;
        double fcnCpuMs;
        MmtuneNet emb = MmtuneNet.embedding(spec);
        try (StageTrainer st = new StageTrainer("bench-mm", emb, dev, new Shape(2, 1, 128, 128),
                new LrSchedule(0.01f, 0, 1f), 0.9f, 5e-4f, 0)) {
            Trainer tr = st.trainer();
            double[] t = new double[iterations + warm];
            long cpu0 = 0;
            for (int i = 0; i < iterations + warm; i++) {
                if (i == warm) {
                    cpu0 = cpuNanos();
                }
                PatchBatch pb = batches.get(i);
                long t0 = System.nanoTime();
                try (NDManager m = tr.getManager().newSubManager()) {
                    float[] x = new float[pb.gray().length];
                    InputNorm.normalize(pb.gray(), x, 0);
                    NDArray xa = m.create(x, new Shape(pb.count(), 1, 128, 128));
                    try (GradientCollector gc = tr.newGradientCollector()) {
                        NDArray e = tr.forward(new NDList(xa)).singletonOrThrow();
                        NDArray loss = TripletLoss.compute(e, pb.triplets(), 2.1f).loss();
                        loss.getFloat();
                        gc.backward(loss);
                    }
                    st.step(i + 1);
                }
                t[i] = (System.nanoTime() - t0) / 1e6;
                if (peer != null) {
                    peerMm[i] = peer.step("mm"); // interleaved: the same load for both
                    peerMmCpu[i] = peer.lastCpuMs();
                }
                progress.update("mm-step", i + 1, t.length, String.format(Locale.ROOT, "%.0f ms", t[i]));
            }
            progress.finish();
            tripletMs = median(Arrays.copyOfRange(t, warm, t.length));
            tripletCpuMs = (cpuNanos() - cpu0) / 1e6 / iterations;
        }

        double fcnMs;
        MmtuneNet fcn = MmtuneNet.segmentation(spec, ds.numClasses());
        int crop = 256;
        try (StageTrainer st = new StageTrainer("bench-fcn", fcn, dev, new Shape(1, 1, crop, crop),
                new LrSchedule(0.01f, 0, 1f), 0.9f, 5e-4f, 0)) {
            Trainer tr = st.trainer();
            Random rnd = new Random(1);
            double[] t = new double[iterations + warm];
            long cpu0 = 0;
            for (int i = 0; i < iterations + warm; i++) {
                if (i == warm) {
                    cpu0 = cpuNanos();
                }
                long t0 = System.nanoTime();
                try (NDManager m = tr.getManager().newSubManager()) {
                    float[] x = new float[fcnBatch * crop * crop];
                    int[] y = new int[fcnBatch * crop * crop];
                    for (int b = 0; b < fcnBatch; b++) {
                        Sample s = samples.get(rnd.nextInt(samples.size()));
                        int x0 = Math.max(0, rnd.nextInt(Math.max(1, s.width() - crop + 1)));
                        int y0 = Math.max(0, rnd.nextInt(Math.max(1, s.height() - crop + 1)));
                        byte[] g = s.gray();
                        for (int r = 0; r < crop; r++) {
                            for (int c = 0; c < crop; c++) {
                                int sx = x0 + c;
                                int sy = y0 + r;
                                int o = b * crop * crop + r * crop + c;
                                boolean in = sx < s.width() && sy < s.height();
                                x[o] = in ? InputNorm.of(g[sy * s.width() + sx]) : 0f;
                                y[o] = in ? s.labels()[sy * s.width() + sx] & 0xFF : ds.ignoreIndex();
                            }
                        }
                    }
                    NDArray xa = m.create(x, new Shape(fcnBatch, 1, crop, crop));
                    NDArray ya = m.create(y, new Shape(fcnBatch, crop, crop));
                    try (GradientCollector gc = tr.newGradientCollector()) {
                        NDArray out = tr.forward(new NDList(xa)).singletonOrThrow();
                        NDArray loss = MaskedCrossEntropy.compute(out, ya, ds.ignoreIndex());
                        loss.getFloat();
                        gc.backward(loss);
                    }
                    st.step(i + 1);
                }
                t[i] = (System.nanoTime() - t0) / 1e6;
                if (peer != null) {
                    peerFcn[i] = peer.step("fcn"); // interleaved: the same load for both
                    peerFcnCpu[i] = peer.lastCpuMs();
                }
                progress.update("fcn-step", i + 1, t.length, String.format(Locale.ROOT, "%.0f ms", t[i]));
            }
            progress.finish();
            fcnMs = median(Arrays.copyOfRange(t, warm, t.length));
            fcnCpuMs = (cpuNanos() - cpu0) / 1e6 / iterations;
        }
        double peerMmMs = Double.NaN;
        double peerFcnMs = Double.NaN;
        double peerMmCpuMs = Double.NaN;
        double peerFcnCpuMs = Double.NaN;
        if (peer != null) {
            peerMmCpuMs = Arrays.stream(peerMmCpu, warm, peerMmCpu.length).average().orElse(Double.NaN);
            peerFcnCpuMs = Arrays.stream(peerFcnCpu, warm, peerFcnCpu.length).average().orElse(Double.NaN);
            peer.close();
            peerMmMs = median(Arrays.copyOfRange(peerMm, warm, peerMm.length));
            peerFcnMs = median(Arrays.copyOfRange(peerFcn, warm, peerFcn.length));
        }
        double rss = peakRssMb();
        double loadAvg = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        System.out.printf(Locale.ROOT, "device %s, AlexNet-BN width /%d, oneDNN ISA %s%n", Devices.describe(dev),
                widthDivisor, engine.isa().name());
        System.out.printf(Locale.ROOT, "M&M triplet step, %d x 1 x 128^2: %.1f ms (%.0f patches/s)%n", batch, tripletMs,
                batch * 1000 / tripletMs);
        System.out.printf(Locale.ROOT, "FCN step, %d x 1 x %d^2:          %.1f ms (%.1f crops/s)%n", fcnBatch, crop,
                fcnMs, fcnBatch * 1000 / fcnMs);
        System.out.printf(Locale.ROOT, "M&M data prep (sample + crop + graph) for %d patches: %.1f ms (%.1f%% of the step)%n",
                batch, prepMs, 100 * prepMs / tripletMs);
        System.out.printf(Locale.ROOT, "process CPU time per step: M&M %.0f ms, FCN %.0f ms (%d cores; load average %.1f)%n",
                tripletCpuMs, fcnCpuMs, Runtime.getRuntime().availableProcessors(), loadAvg);
        System.out.printf(Locale.ROOT, "peak RSS: %.0f MB%n", rss);
        if (peer != null) {
            System.out.printf(Locale.ROOT, "PyTorch peer (%s, src/bench/python/peer_train.py, same threads, steps "
                    + "interleaved with these): M&M %.1f ms (mmtune/PyTorch %s), FCN %.1f ms (mmtune/PyTorch %s)%n",
                    peer.version(), peerMmMs, TorchPeer.ratio(tripletMs, peerMmMs), peerFcnMs,
                    TorchPeer.ratio(fcnMs, peerFcnMs));
            if (Double.isFinite(peerMmCpuMs) && Double.isFinite(peerFcnCpuMs)) {
                // under load the CPU time a step costs is steadier than its wall-clock time
                System.out.printf(Locale.ROOT, "PyTorch peer process CPU time per step: M&M %.0f ms (mmtune/PyTorch %s), "
                        + "FCN %.0f ms (mmtune/PyTorch %s)%n", peerMmCpuMs, TorchPeer.ratio(tripletCpuMs, peerMmCpuMs),
                        peerFcnCpuMs, TorchPeer.ratio(fcnCpuMs, peerFcnCpuMs));
            }
        }
        if (json != null) {
            ObjectNode n = new ObjectMapper().createObjectNode();
            n.put("tripletStepMs", round(tripletMs));
            n.put("fcnStepMs", round(fcnMs));
            n.put("dataPrepMs", round(prepMs));
            n.put("peakRssMb", Math.round(rss));
            n.put("patchesPerSecond", round(batch * 1000 / tripletMs));
            n.put("tripletStepCpuMs", round(tripletCpuMs));
            n.put("fcnStepCpuMs", round(fcnCpuMs));
            n.put("loadAverage", round(loadAvg));
            n.put("dataPrepShare", Math.round(prepMs / tripletMs * 1000) / 1000.0);
            n.put("widthDivisor", widthDivisor);
            n.put("batch", batch);
            n.put("fcnBatch", fcnBatch);
            n.put("fcnCrop", crop);
            n.put("iterations", iterations);
            n.put("device", dev.toString());
            n.put("oneDnnIsa", engine.isa().name());
            n.put("oneDnnIsaReason", engine.isa().reason());
            n.put("mmtuneVersion", engine.mmtuneVersion());
            n.put("libtorch", engine.libtorchVersion() + " " + engine.flavour());
            n.put("dataset", ds.name());
            if (peer != null) {
                n.put("peer", peer.version());
                n.put("peerTripletStepMs", round(peerMmMs));
                n.put("peerFcnStepMs", round(peerFcnMs));
                if (Double.isFinite(peerMmCpuMs) && Double.isFinite(peerFcnCpuMs)) {
                    n.put("peerTripletStepCpuMs", round(peerMmCpuMs));
                    n.put("peerFcnStepCpuMs", round(peerFcnCpuMs));
                }
            }
            AtomicFiles.writeString(json, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(n));
        }
        return 0;
    }

    private static PatchBatch trim(PatchBatch pb, int n) {
        if (pb.count() <= n) {
            return pb;
        }
        int p = pb.size();
        byte[] g = Arrays.copyOf(pb.gray(), n * p * p);
        int[] labels = Arrays.copyOf(pb.labels(), n);
        List<int[]> trip = new ArrayList<>();
        for (int[] t : pb.triplets()) {
            if (t[0] < n && t[1] < n && t[2] < n) {
                trip.add(t);
            }
        }
        if (trip.isEmpty()) {
            trip.add(new int[] {0, 1, 2});
        }
        return new PatchBatch(n, p, g, labels, trip.toArray(new int[0][]), pb.patches().subList(0, n), pb.prepMs());
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static long cpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0L;
    }

    static double peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (Exception e) {
            return -1;
        }
        return -1;
    }
}
