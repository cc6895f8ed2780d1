package org.mmtune.experiment;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.mmtune.data.Sample;
import org.mmtune.data.SegmentationDataset;
import org.mmtune.eval.Probes;
import org.mmtune.mix.LabelMode;
import org.mmtune.mix.MixConfig;
import org.mmtune.mix.PatchSampler;
import org.mmtune.nn.MmtuneNet;
import org.mmtune.nn.NetSpec;
import org.mmtune.train.Checkpoints;

/**
 * Runs the {@link Probes} of a run: builds the probe data once from the config's {@code probes} and
 * {@code mm} sections (patch sizes, output size, background ratio, de-duplication of the M&amp;M stage; the
 * probe seed), loads a checkpoint's backbone under an embedding head and probes it.
 */
public final class ProbeRunner {

    private ProbeRunner() {
    }

    /** The probe settings of a config. */
    public static Probes.Settings settings(ExperimentConfig.Probes p) {
        return new Probes.Settings(p.knnK, p.linearIterations, p.linearBatchSize, p.linearLearningRate, p.seed);
    }

    /** The patch sampler of the k-NN probe: the run's M&amp;M patch settings, centre labels, the probe seed. */
    public static PatchSampler sampler(ExperimentConfig cfg, SegmentationDataset ds) {
        ExperimentConfig.MixMatch m = cfg.mm;
        MixConfig mc = MixConfig.defaults()
                .withImagesPerBatch(m.imagesPerBatch)
                .withPatchesPerImage(cfg.probes.knnPatchesPerImage)
                .withSizes(m.minSize, m.maxSize)
                .withOutSize(m.outSize)
                .withBackgroundRatio(m.backgroundRatio)
                .withDedupThreshold(m.dedupOverlap)
                .withLabelMode(LabelMode.CENTER)
                .withSeed(cfg.probes.seed);
        return PatchSampler.forDataset(mc, ds);
    }

    /**
     * The probe data: gallery patches from {@code knnGalleryImages} training images, query patches from
     * {@code knnQueryImages} validation images, {@code linearTrainImages} / {@code linearValImages} whole
     * images; every subset chosen with the probe seed.
     */
    public static Probes.Data data(ExperimentConfig cfg, SegmentationDataset ds, List<Sample> train,
                                   List<Sample> val) {
        ExperimentConfig.Probes p = cfg.probes;
        PatchSampler sampler = sampler(cfg, ds);
        Probes.PatchSet gallery = Probes.patches(sampler, pick(train, p.knnGalleryImages, p.seed), 0);
        Probes.PatchSet queries = Probes.patches(sampler, pick(val, p.knnQueryImages, p.seed + 1), 1);
        List<Probes.Image> lt = new ArrayList<>();
        for (Sample s : pick(train, p.linearTrainImages, p.seed + 2)) {
            lt.add(Probes.Image.of(s));
        }
        List<Probes.Image> lv = new ArrayList<>();
        for (Sample s : pick(val, p.linearValImages, p.seed + 3)) {
            lv.add(Probes.Image.of(s));
        }
        return new Probes.Data(gallery, queries, lt, lv, ds.numClasses());
    }

    /**
     * As {@link #data(ExperimentConfig, SegmentationDataset, List, List)}, reading only the images the probes
     * use from the config's splits (first {@code maxTrainImages} / {@code maxValImages}); unreadable images
     * are skipped and counted in {@code skipped[0]}.
     */
    public static Probes.Data data(ExperimentConfig cfg, SegmentationDataset ds, DatasetSource src, int[] skipped)
            throws org.mmtune.data.DatasetException {
        ExperimentConfig.Probes p = cfg.probes;
        List<org.mmtune.data.ImagePair> tp = limit(ds.pairs(cfg.trainSplit), cfg.maxTrainImages);
        List<org.mmtune.data.ImagePair> vp = limit(ds.pairs(cfg.valSplit), cfg.maxValImages);
        java.util.Map<Integer, Sample> train = read(ds, src, tp, skipped,
                Probes.choose(tp.size(), p.knnGalleryImages, p.seed), Probes.choose(tp.size(), p.linearTrainImages, p.seed + 2));
        java.util.Map<Integer, Sample> val = read(ds, src, vp, skipped,
                Probes.choose(vp.size(), p.knnQueryImages, p.seed + 1), Probes.choose(vp.size(), p.linearValImages, p.seed + 3));
        PatchSampler sampler = sampler(cfg, ds);
        Probes.PatchSet gallery = Probes.patches(sampler, subset(train, tp.size(), p.knnGalleryImages, p.seed), 0);
        Probes.PatchSet queries = Probes.patches(sampler, subset(val, vp.size(), p.knnQueryImages, p.seed + 1), 1);
        List<Probes.Image> lt = new ArrayList<>();
        for (Sample sm : subset(train, tp.size(), p.linearTrainImages, p.seed + 2)) {
            lt.add(Probes.Image.of(sm));
        }
        List<Probes.Image> lv = new ArrayList<>();
        for (Sample sm : subset(val, vp.size(), p.linearValImages, p.seed + 3)) {
            lv.add(Probes.Image.of(sm));
        }
        return new Probes.Data(gallery, queries, lt, lv, ds.numClasses());
    }

    private static <T> List<T> limit(List<T> all, int max) {
        return max > 0 && all.size() > max ? all.subList(0, max) : all;
    }

    private static java.util.Map<Integer, Sample> read(SegmentationDataset ds, DatasetSource src,
                                                       List<org.mmtune.data.ImagePair> pairs, int[] skipped,
                                                       int[]... wanted) {
        java.util.Map<Integer, Sample> out = new java.util.TreeMap<>();
        for (int[] w : wanted) {
            for (int i : w) {
                if (!out.containsKey(i)) {
                    try {
                        out.put(i, src.read(ds, pairs.get(i)));
                    } catch (org.mmtune.data.DatasetException e) {
                        out.put(i, null);
                        skipped[0]++;
                    }
                }
            }
        }
        return out;
    }

    private static List<Sample> subset(java.util.Map<Integer, Sample> read, int size, int n, long seed) {
        List<Sample> out = new ArrayList<>();
        for (int i : Probes.choose(size, n, seed)) {
            Sample s = read.get(i);
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    private static List<Sample> pick(List<Sample> all, int n, long seed) {
        List<Sample> out = new ArrayList<>();
        for (int i : Probes.choose(all.size(), n, seed)) {
            out.add(all.get(i));
        }
        return out;
    }

    /** The SHA-256 of a file, in hex. */
    public static String sha256(Path file) throws IOException {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            try (java.io.InputStream in = Files.newInputStream(file)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    md.update(buf, 0, n);
                }
            }
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** M&amp;M keys that do not change the probes (training settings); every other mm key does (patch settings). */
    private static final List<String> MM_TRAINING_KEYS = List.of("enabled", "iterations", "learningRate", "momentum",
            "weightDecay", "lrStepEvery", "lrStepFactor", "checkpointEvery", "strategy", "margin", "embeddingsEvery",
            "freezeBatchNorm", "imagesPerBatch");

    /**
     * A digest of everything the probe numbers depend on besides the weights: the probes section, the M&amp;M
     * patch settings, the dataset, its splits and limits, the labelled subset and the network.
     */
    public static String settingsDigest(ExperimentConfig cfg) {
        com.fasterxml.jackson.databind.ObjectMapper m = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode all = m.valueToTree(cfg);
        com.fasterxml.jackson.databind.node.ObjectNode key = m.createObjectNode();
        for (String k : List.of("dataset", "trainSplit", "valSplit", "maxTrainImages", "maxValImages",
                "labelledFraction", "labelledImages", "labelledSeed", "backbone", "probes")) {
            if (all.has(k)) {
                key.set(k, all.get(k));
            }
        }
        com.fasterxml.jackson.databind.node.ObjectNode mm = all.get("mm").deepCopy();
        mm.remove(MM_TRAINING_KEYS);
        key.set("mm", mm);
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(m.writeValueAsBytes(key));
            return java.util.HexFormat.of().formatHex(d);
        } catch (java.security.NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A probe of the same weights with the same settings that a sibling run folder (e.g. another arm of the
     * same ablation seed) already recorded in its {@code probes.json}, or empty. Unreadable files are skipped.
     */
    public static java.util.Optional<com.fasterxml.jackson.databind.node.ObjectNode> findInSiblings(Path runDir,
            String weightsSha256, String settingsSha256) {
        Path parent = runDir.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            return java.util.Optional.empty();
        }
        com.fasterxml.jackson.databind.ObjectMapper m = new com.fasterxml.jackson.databind.ObjectMapper();
        try (java.util.stream.Stream<Path> dirs = Files.list(parent)) {
            for (Path d : (Iterable<Path>) dirs.sorted()::iterator) {
                Path f = d.resolve(RunFolder.PROBES);
                if (d.equals(runDir.toAbsolutePath()) || !Files.isRegularFile(f)) {
                    continue;
                }
                try {
                    com.fasterxml.jackson.databind.JsonNode n = m.readTree(f.toFile());
                    for (com.fasterxml.jackson.databind.JsonNode e : n) {
                        if (e.isObject() && weightsSha256.equals(e.path("weightsSha256").asText())
                                && settingsSha256.equals(e.path("settingsSha256").asText())) {
                            return java.util.Optional.of(((com.fasterxml.jackson.databind.node.ObjectNode) e).deepCopy());
                        }
                    }
                } catch (IOException e) {
                    // another run's unreadable probes: measure instead
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.empty();
    }

    /** Probes the backbone of {@code params} (any head). */
    public static Probes.Result probe(Path params, Probes.Data data, Probes.Settings s, Device device,
                                      BooleanSupplier cancelled) throws IOException {
        if (!Files.isRegularFile(params)) {
            throw new IOException(params + ": no such checkpoint to probe");
        }
        Checkpoints.Header h = Checkpoints.header(params);
        int side = Math.max(data.gallery().size(), h.spec().minInputSize() + 1);
        try (Model model = Model.newInstance("probe", device)) {
            MmtuneNet net = MmtuneNet.embedding(h.spec());
            model.setBlock(net);
            net.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1, side, side));
            Checkpoints.loadBackbone(params, net);
            return Probes.run(net, model.getNDManager(), data, s, cancelled).withWeights(params.getFileName().toString());
        }
    }

    /**
     * Writes the seeded initial weights ({@link org.mmtune.nn.SeededInit}: the same backbone a seeded stage starts
     * from under any head) to {@code file}: the starting point of a run's first stage when it is probed.
     */
    public static void writeInitial(Path file, NetSpec spec, Device device, long seed) throws IOException {
        try (Model model = Model.newInstance("initial", device)) {
            MmtuneNet net = MmtuneNet.embedding(spec);
            model.setBlock(net);
            int side = 128;
            net.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1, side, side));
            org.mmtune.nn.SeededInit.apply(net, seed);
            Files.createDirectories(file.toAbsolutePath().getParent());
            Checkpoints.saveParams(file, net, 0);
        }
    }
}
