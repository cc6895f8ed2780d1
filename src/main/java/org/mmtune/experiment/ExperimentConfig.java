package org.mmtune.experiment;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.mmtune.nn.BackboneType;
import org.mmtune.nn.NetSpec;

/**
 * An experiment: dataset, network, each stage's settings, mix/match settings, seed and device. Read from
 * JSON by {@link ExperimentConfigs} (unknown keys and bad values are errors naming the key); every key has
 * a default, so a config file only states what differs. Stages: {@code proxy} (colorization), {@code mm}
 * (M&M tuning), {@code finetune} (FCN), {@code eval}. The arm follows from which stages are on and from
 * {@code initCheckpoint}: random, proxy, proxy-mm, random-mm.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"name", "preset", "arm", "dataset", "trainSplit", "valSplit", "maxTrainImages", "maxValImages",
        "seed", "device", "backbone", "initCheckpoint", "proxy", "mm", "finetune", "eval"})
public final class ExperimentConfig {

    /** A label for the experiment (shown in run lists). */
    public String name = "experiment";
    /** The preset it came from, if any. */
    public String preset;
    /** The ablation arm (random, proxy, proxy-mm, random-mm); derived from the stages when not given. */
    public String arm;
    /** Dataset folder (any format the data layer detects); relative paths resolve against the working directory. */
    public String dataset = "sample-data";
    public String trainSplit = "train";
    public String valSplit = "val";
    /** Use only the first N images of the training split (0 = all). */
    public int maxTrainImages = 0;
    /** Use only the first N images of the validation split (0 = all). */
    public int maxValImages = 0;
    public long seed = 1;
    /** auto (GPU when DJL finds one), cpu or gpu. */
    public String device = "auto";
    public Backbone backbone = new Backbone();
    /**
     * A checkpoint ({@code .params}) whose backbone initialises the first enabled stage, e.g. another run's
     * {@code checkpoints/proxy.params}; null = random initialisation (or the previous stage of this run).
     */
    public String initCheckpoint;
    public Proxy proxy = new Proxy();
    public MixMatch mm = new MixMatch();
    public Finetune finetune = new Finetune();
    public Eval eval = new Eval();

    /** Network. */
    public static final class Backbone {
        /** alexnet, alexnet-ref (the reference implementation's Caffe AlexNet) or vgg16. */
        public String type = "alexnet";
        /** Every channel count divided by this (1 = the paper's width; 4 = the CPU default). */
        public int widthDivisor = 4;
    }

    /** SGD settings shared by the stages. */
    public abstract static class Sgd {
        public boolean enabled = true;
        public int iterations = 100;
        public float learningRate = 0.01f;
        public float momentum = 0.9f;
        public float weightDecay = 5e-4f;
        /** Multiply the learning rate by lrStepFactor every lrStepEvery iterations (0 = constant). */
        public int lrStepEvery = 0;
        public float lrStepFactor = 0.1f;
        /** Write a checkpoint every N iterations (0 = only at the end and on cancel). */
        public int checkpointEvery = 100;
    }

    /** Proxy stage: colorization. */
    public static final class Proxy extends Sgd {
        public int batchSize = 8;
        public int cropSize = 128;
        /** ab quantisation grid in Lab units (divisor of 256): 16 gives 256 bins. */
        public int abGrid = 16;
    }

    /** M&M tuning: mix (sampling) and match (graph) settings and the triplet loss. */
    public static final class MixMatch extends Sgd {
        public int imagesPerBatch = 40;
        public int patchesPerImage = 10;
        public int minSize = 64;
        public int maxSize = 256;
        public int outSize = 128;
        public double backgroundRatio = 0.1;
        public double dedupOverlap = 0.6;
        /** classwise (the paper), random or hard. */
        public String strategy = "classwise";
        public float margin = 2.1f;
        /** Write embeddings/mm-XXXXXX.json every N iterations (0 = never). */
        public int embeddingsEvery = 10;

        public MixMatch() {
            lrStepEvery = 0;
        }
    }

    /** Fine-tuning: FCN head on labelled crops. */
    public static final class Finetune extends Sgd {
        public int batchSize = 4;
        public int cropSize = 256;
        public boolean flip = true;
        /** Measure val mIoU every N iterations (0 = only at the end of the stage via eval). */
        public int evalEvery = 0;
        /** Images of the validation split used at those evaluation points (0 = all). */
        public int evalImages = 0;
    }

    /** Final evaluation. */
    public static final class Eval {
        public boolean enabled = true;
        /** Split to evaluate; defaults to valSplit when null. */
        public String split;
        public boolean savePredictions = true;
        public boolean saveOverlays = false;
    }

    private static final Set<String> STRATEGIES = Set.of("classwise", "random", "hard");
    private static final Set<String> DEVICES = Set.of("auto", "cpu", "gpu");

    /** Every problem with the values, each naming its key; empty when the config is valid. */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        if (dataset == null || dataset.isBlank()) {
            p.add("dataset: missing");
        }
        notBlank(p, "trainSplit", trainSplit);
        notBlank(p, "valSplit", valSplit);
        nonNegative(p, "maxTrainImages", maxTrainImages);
        nonNegative(p, "maxValImages", maxValImages);
        if (device == null || !DEVICES.contains(device.toLowerCase(Locale.ROOT))) {
            p.add("device: '" + device + "' is not one of auto, cpu, gpu");
        }
        if (backbone == null) {
            p.add("backbone: missing");
        } else {
            if (!knownBackbone(backbone.type)) {
                p.add("backbone.type: '" + backbone.type + "' is not " + BackboneType.ids());
            }
            if (backbone.widthDivisor < 1 || backbone.widthDivisor > 64) {
                p.add("backbone.widthDivisor: " + backbone.widthDivisor + " is not in 1..64");
            }
        }
        if (proxy == null || mm == null || finetune == null || eval == null) {
            p.add("proxy, mm, finetune, eval: a stage section is null");
            return p;
        }
        sgd(p, "proxy", proxy);
        positive(p, "proxy.batchSize", proxy.batchSize);
        positive(p, "proxy.cropSize", proxy.cropSize);
        if (proxy.abGrid < 4 || proxy.abGrid > 64 || 256 % proxy.abGrid != 0) {
            p.add("proxy.abGrid: " + proxy.abGrid + " must divide 256 and lie in 4..64");
        }
        sgd(p, "mm", mm);
        positive(p, "mm.imagesPerBatch", mm.imagesPerBatch);
        positive(p, "mm.patchesPerImage", mm.patchesPerImage);
        positive(p, "mm.minSize", mm.minSize);
        positive(p, "mm.maxSize", mm.maxSize);
        if (mm.minSize > mm.maxSize) {
            p.add("mm.minSize: " + mm.minSize + " is larger than mm.maxSize " + mm.maxSize);
        }
        int minOut = backbone != null && BackboneType.ALEXNET_REF.id().equalsIgnoreCase(backbone.type)
                ? new NetSpec(BackboneType.ALEXNET_REF, 1).minInputSize() + 1 : 68;
        if (mm.outSize < minOut) {
            p.add("mm.outSize: " + mm.outSize + " is below the backbone's minimum input " + minOut);
        }
        ratio(p, "mm.backgroundRatio", mm.backgroundRatio);
        ratio(p, "mm.dedupOverlap", mm.dedupOverlap);
        if (mm.strategy == null || !STRATEGIES.contains(mm.strategy.toLowerCase(Locale.ROOT))) {
            p.add("mm.strategy: '" + mm.strategy + "' is not one of classwise, random, hard");
        }
        if (!(mm.margin > 0) || Float.isInfinite(mm.margin)) {
            p.add("mm.margin: " + mm.margin + " must be > 0");
        }
        nonNegative(p, "mm.embeddingsEvery", mm.embeddingsEvery);
        sgd(p, "finetune", finetune);
        positive(p, "finetune.batchSize", finetune.batchSize);
        positive(p, "finetune.cropSize", finetune.cropSize);
        nonNegative(p, "finetune.evalEvery", finetune.evalEvery);
        nonNegative(p, "finetune.evalImages", finetune.evalImages);
        if (eval.enabled && !finetune.enabled) {
            p.add("eval.enabled: evaluation needs finetune.enabled (the segmentation head is trained there)");
        }
        if (eval.split != null && eval.split.isBlank()) {
            p.add("eval.split: blank");
        }
        return p;
    }

    /** The split the final evaluation uses. */
    public String evalSplit() {
        return eval.split != null ? eval.split : valSplit;
    }

    /** The arm this config describes: given, else from the stages. */
    public String resolvedArm() {
        if (arm != null && !arm.isBlank()) {
            return arm;
        }
        boolean fromProxy = proxy.enabled || (initCheckpoint != null && initCheckpoint.contains("proxy"));
        return (fromProxy ? "proxy" : "random") + (mm.enabled ? "-mm" : "");
    }

    private static void sgd(List<String> p, String key, Sgd s) {
        nonNegative(p, key + ".iterations", s.iterations);
        if (s.enabled && s.iterations == 0) {
            p.add(key + ".iterations: 0 while the stage is enabled");
        }
        if (!(s.learningRate > 0) || Float.isInfinite(s.learningRate)) {
            p.add(key + ".learningRate: " + s.learningRate + " must be > 0");
        }
        if (!(s.momentum >= 0 && s.momentum < 1)) {
            p.add(key + ".momentum: " + s.momentum + " must be in [0, 1)");
        }
        if (!(s.weightDecay >= 0) || Float.isInfinite(s.weightDecay)) {
            p.add(key + ".weightDecay: " + s.weightDecay + " must be >= 0");
        }
        nonNegative(p, key + ".lrStepEvery", s.lrStepEvery);
        if (!(s.lrStepFactor > 0 && s.lrStepFactor <= 1)) {
            p.add(key + ".lrStepFactor: " + s.lrStepFactor + " must be in (0, 1]");
        }
        nonNegative(p, key + ".checkpointEvery", s.checkpointEvery);
    }

    private static void notBlank(List<String> p, String key, String v) {
        if (v == null || v.isBlank()) {
            p.add(key + ": missing");
        }
    }

    private static void positive(List<String> p, String key, int v) {
        if (v <= 0) {
            p.add(key + ": " + v + " must be > 0");
        }
    }

    private static void nonNegative(List<String> p, String key, int v) {
        if (v < 0) {
            p.add(key + ": " + v + " must not be negative");
        }
    }

    private static void ratio(List<String> p, String key, double v) {
        if (!(v >= 0 && v <= 1)) {
            p.add(key + ": " + v + " must be in [0, 1]");
        }
    }

    private static boolean knownBackbone(String type) {
        if (type == null) {
            return false;
        }
        try {
            BackboneType.parse(type);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
