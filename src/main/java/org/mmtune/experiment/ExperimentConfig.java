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
        "labelledFraction", "labelledImages", "labelledSeed", "seed", "device", "backbone", "initCheckpoint", "proxy", "mm", "finetune", "eval", "probes"})
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
    /**
     * Share of the training images whose labels M&amp;M tuning and fine-tuning may use, in (0, 1] (1 = all);
     * the proxy (colorization) always trains on every training image, without labels. The subset is drawn
     * by {@code labelledSeed}, not by {@code seed}, so every arm and every seed of an ablation get the same
     * labelled images. See {@link LabelledSubset}.
     */
    public double labelledFraction = 1.0;
    /** Instead of a fraction: exactly this many labelled training images (0 = use labelledFraction). */
    public int labelledImages = 0;
    /** Chooses the labelled subset; independent of {@code seed} on purpose. */
    public long labelledSeed = 1;
    /** Seeds weight initialisation, data order, crops, flips and the M&amp;M batches. */
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
    public Probes probes = new Probes();

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
        /**
         * Zhang et al.'s class rebalancing of the colorization loss: per-bin weights ∝ ((1−λ)·p̃ + λ/Q)^−1, λ 0.5,
         * p̃ the Gaussian-smoothed (σ 5) bin distribution of the training images, expected weight 1.
         */
        public boolean classRebalance = false;
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
        /** reference (covered area against the first candidate's area, as the reference code) or own-area. */
        public String dedupRule = "reference";
        /** absolute (minSize..maxSize pixels) or relative (minFraction..maxFraction of the shorter image side). */
        public String sizeMode = "absolute";
        public double minFraction = 0.125;
        public double maxFraction = 0.5;
        /** classwise (the paper), random or hard. */
        public String strategy = "classwise";
        public float margin = 2.1f;
        /** Write embeddings/mm-XXXXXX.json every N iterations (0 = never). */
        public int embeddingsEvery = 10;
        /**
         * Batch norm of the backbone in inference mode during M&amp;M: normalise with the running statistics of the
         * starting weights (learned on whole images) and keep them, instead of the statistics of the mixed,
         * zero-padded patches; scale and shift are still trained.
         */
        public boolean freezeBatchNorm = false;

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

    /**
     * Probes of the backbone independent of fine-tuning ({@code org.mmtune.eval.Probes}), run on the initial
     * weights and on each trained stage's checkpoint before fine-tuning; recorded in {@code results.json}
     * under {@code probes} (and in {@code probes.json}).
     */
    public static final class Probes {
        public boolean enabled = false;
        /** Seed of every probe choice (images, patches, order); the same for all arms and run seeds. */
        public long seed = 7;
        /** Neighbours of the k-NN patch probe. */
        public int knnK = 10;
        /** Training images whose patches form the k-NN gallery (0 = all). */
        public int knnGalleryImages = 120;
        /** Validation images whose patches are the k-NN queries (0 = all). */
        public int knnQueryImages = 0;
        /** Patches per image for the k-NN probe (the sizes and the rest come from the mm section). */
        public int knnPatchesPerImage = 10;
        /** Training images of the linear probe (0 = all). */
        public int linearTrainImages = 60;
        /** Validation images on which the linear probe's mIoU is measured (0 = all). */
        public int linearValImages = 40;
        public int linearIterations = 150;
        public int linearBatchSize = 4;
        public float linearLearningRate = 0.05f;
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
        if (!(labelledFraction > 0 && labelledFraction <= 1)) {
            p.add("labelledFraction: " + labelledFraction + " must be in (0, 1]");
        }
        nonNegative(p, "labelledImages", labelledImages);
        if (labelledImages > 0 && labelledFraction < 1) {
            p.add("labelledImages: " + labelledImages + " and labelledFraction " + labelledFraction
                    + " are both set; give only one");
        }
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
        if (proxy == null || mm == null || finetune == null || eval == null || probes == null) {
            p.add("proxy, mm, finetune, eval, probes: a section is null");
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
        if (org.mmtune.mix.DedupRule.parse(mm.dedupRule) == null) {
            p.add("mm.dedupRule: '" + mm.dedupRule + "' is not one of reference, own-area");
        }
        if (org.mmtune.mix.SizeMode.parse(mm.sizeMode) == null) {
            p.add("mm.sizeMode: '" + mm.sizeMode + "' is not one of absolute, relative");
        }
        if (!(mm.minFraction > 0 && mm.minFraction <= 1)) {
            p.add("mm.minFraction: " + mm.minFraction + " must be in (0, 1]");
        }
        if (!(mm.maxFraction > 0 && mm.maxFraction <= 1)) {
            p.add("mm.maxFraction: " + mm.maxFraction + " must be in (0, 1]");
        }
        if (mm.minFraction > mm.maxFraction) {
            p.add("mm.minFraction: " + mm.minFraction + " is larger than mm.maxFraction " + mm.maxFraction);
        }
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
        positive(p, "probes.knnK", probes.knnK);
        nonNegative(p, "probes.knnGalleryImages", probes.knnGalleryImages);
        nonNegative(p, "probes.knnQueryImages", probes.knnQueryImages);
        positive(p, "probes.knnPatchesPerImage", probes.knnPatchesPerImage);
        nonNegative(p, "probes.linearTrainImages", probes.linearTrainImages);
        nonNegative(p, "probes.linearValImages", probes.linearValImages);
        nonNegative(p, "probes.linearIterations", probes.linearIterations);
        positive(p, "probes.linearBatchSize", probes.linearBatchSize);
        if (!(probes.linearLearningRate > 0) || Float.isInfinite(probes.linearLearningRate)) {
            p.add("probes.linearLearningRate: " + probes.linearLearningRate + " must be > 0");
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
