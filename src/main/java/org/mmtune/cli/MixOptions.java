package org.mmtune.cli;

import java.nio.file.Path;
import org.mmtune.data.DatasetException;
import java.util.List;
import org.mmtune.data.DatasetLoader;
import org.mmtune.data.ImagePair;
import org.mmtune.data.SampleData;
import org.mmtune.data.SegmentationDataset;
import org.mmtune.mix.DedupRule;
import org.mmtune.mix.ImagePool;
import org.mmtune.mix.LabelMode;
import org.mmtune.mix.MixConfig;
import org.mmtune.mix.SizeMode;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The dataset and sampling options shared by {@code mix} and {@code match}. */
public final class MixOptions {

    @Parameters(index = "0", arity = "0..1", paramLabel = "DATASET",
            description = "Dataset folder (VOC, Cityscapes, CamVid or one with a dataset.json); default: the bundled sample data.")
    Path dataset;

    @Option(names = "--split", paramLabel = "S", defaultValue = "train", description = "Split to sample from (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--images", paramLabel = "N", defaultValue = "40", description = "Images per batch (default: ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--patches-per-image", paramLabel = "K", defaultValue = "10", description = "Patches per image (default: ${DEFAULT-VALUE}).")
    int patchesPerImage;

    @Option(names = "--min-size", paramLabel = "A", defaultValue = "64", description = "Smallest patch side, pixels (default: ${DEFAULT-VALUE}).")
    int minSize;

    @Option(names = "--max-size", paramLabel = "B", defaultValue = "256", description = "Largest patch side, pixels (default: ${DEFAULT-VALUE}).")
    int maxSize;

    @Option(names = "--background-ratio", paramLabel = "R", defaultValue = "0.1",
            description = "Share of background patches when the dataset has a background class (default: ${DEFAULT-VALUE}).")
    double backgroundRatio;

    @Option(names = "--dedup", paramLabel = "T", defaultValue = "0.6",
            description = "Skip a candidate when more than this share of it is already covered (default: ${DEFAULT-VALUE}; 1 = off).")
    double dedup;

    @Option(names = "--dedup-rule", paramLabel = "RULE", defaultValue = "reference",
            description = "reference (covered area compared with the first candidate's area, as the reference "
                    + "implementation does) or own-area (with each candidate's own in-image area) (default: ${DEFAULT-VALUE}).")
    String dedupRule;

    @Option(names = "--size-mode", paramLabel = "MODE", defaultValue = "absolute",
            description = "absolute (--min-size..--max-size pixels) or relative (--min-fraction..--max-fraction "
                    + "of each image's shorter side) (default: ${DEFAULT-VALUE}).")
    String sizeMode;

    @Option(names = "--min-fraction", paramLabel = "F", defaultValue = "0.125",
            description = "Smallest patch side as a fraction of the shorter image side, relative mode (default: ${DEFAULT-VALUE}).")
    double minFraction;

    @Option(names = "--max-fraction", paramLabel = "F", defaultValue = "0.5",
            description = "Largest patch side as a fraction of the shorter image side, relative mode (default: ${DEFAULT-VALUE}).")
    double maxFraction;

    @Option(names = "--candidates", paramLabel = "F", defaultValue = "5", description = "Candidates drawn per wanted patch (default: ${DEFAULT-VALUE}).")
    int candidates;

    @Option(names = "--out-size", paramLabel = "P", defaultValue = "128", description = "Side of the resized crops (default: ${DEFAULT-VALUE}).")
    int outSize;

    @Option(names = "--label-mode", paramLabel = "M", defaultValue = "center",
            description = "center (class of the centre pixel, the paper) or majority (default: ${DEFAULT-VALUE}).")
    String labelMode;

    @Option(names = "--rank-by-purity", description = "Consider candidates by decreasing label purity.")
    boolean rankByPurity;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "0", description = "Batch number: which images and patches (default: ${DEFAULT-VALUE}).")
    long batch;

    @Option(names = "--max-images", paramLabel = "N", defaultValue = "0",
            description = "Draw batches from the first N images of the split only, as an experiment's maxTrainImages "
                    + "does (default: ${DEFAULT-VALUE} = all).")
    int maxImages;

    @Option(names = "--threads", paramLabel = "T", description = "Threads (default: all cores).")
    Integer threads;

    /** The sampler settings; bad values throw an {@link IllegalArgumentException} naming the option. */
    MixConfig config() {
        LabelMode mode;
        switch (labelMode.strip().toLowerCase()) {
            case "center", "centre" -> mode = LabelMode.CENTER;
            case "majority" -> mode = LabelMode.MAJORITY;
            default -> throw new IllegalArgumentException("--label-mode: '" + labelMode + "' is not one of center, majority");
        }
        DedupRule rule = DedupRule.parse(dedupRule);
        if (rule == null) {
            throw new IllegalArgumentException("--dedup-rule: '" + dedupRule + "' is not one of reference, own-area");
        }
        SizeMode sm = SizeMode.parse(sizeMode);
        if (sm == null) {
            throw new IllegalArgumentException("--size-mode: '" + sizeMode + "' is not one of absolute, relative");
        }
        MixConfig c = new MixConfig(images, patchesPerImage, minSize, maxSize, outSize, backgroundRatio, dedup,
                candidates, mode, rankByPurity, seed, rule, sm, minFraction, maxFraction);
        java.util.List<String> p = c.problems();
        if (!p.isEmpty()) {
            throw new IllegalArgumentException(optionNames(String.join("; ", p)));
        }
        if (maxImages < 0) {
            throw new IllegalArgumentException("--max-images must be at least 0 (got " + maxImages + ")");
        }
        if (threads != null && threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1 (got " + threads + ")");
        }
        return c;
    }

    /** The images batches are drawn from: the split's pairs (its first {@code --max-images}). */
    ImagePool pool(SegmentationDataset ds) {
        List<ImagePair> pairs = ds.pairs(split);
        return ImagePool.of(ds, maxImages > 0 && pairs.size() > maxImages ? pairs.subList(0, maxImages) : pairs);
    }

    int threadCount() {
        return threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    }

    /** Rewrites config keys as the CLI options that set them. */
    static String optionNames(String msg) {
        return msg.replace("imagesPerBatch", "--images").replace("patchesPerImage", "--patches-per-image")
                .replace("minSize", "--min-size").replace("maxSize", "--max-size").replace("outSize", "--out-size")
                .replace("backgroundRatio", "--background-ratio").replace("dedupThreshold", "--dedup")
                .replace("candidateFactor", "--candidates").replace("minFraction", "--min-fraction")
                .replace("maxFraction", "--max-fraction");
    }

    SegmentationDataset open() throws DatasetException {
        Path folder = dataset;
        if (folder == null) {
            folder = SampleData.locate().orElseThrow(() -> new DatasetException(
                    "no DATASET given and no sample-data folder found (run 'mmtune synth --out sample-data')"));
        }
        SegmentationDataset ds = DatasetLoader.open(folder);
        if (!ds.hasSplit(split)) {
            throw new IllegalArgumentException("--split: dataset " + ds.name() + " has no split '" + split
                    + "' (it has: " + String.join(", ", ds.splitNames()) + ")");
        }
        if (ds.pairs(split).isEmpty()) {
            throw new DatasetException(ds.root() + ": split '" + split + "' has no image/label pairs");
        }
        return ds;
    }
}
