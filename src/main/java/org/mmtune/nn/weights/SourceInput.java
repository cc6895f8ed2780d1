package org.mmtune.nn.weights;

import java.util.Arrays;
import java.util.Locale;

/**
 * How the source network expected its input, per input channel: {@code x_c = (v/255 − mean_c) / std_c} for a
 * pixel value {@code v} in 0..255. mmtune's own input is gray {@code (g/255 − 0.45)/0.25}
 * ({@link org.mmtune.nn.InputNorm}); the importer rewrites the first convolution so that mmtune, fed a gray
 * image, computes what the source computes on the same gray image given in each of its channels.
 */
public record SourceInput(String id, double[] mean, double[] std, String description) {

    /** mmtune's own normalisation, for one gray channel. */
    public static final double MMTUNE_MEAN = 0.45;
    public static final double MMTUNE_STD = 0.25;

    /** torchvision's ImageNet models: RGB in [0, 1], per-channel mean and standard deviation. */
    public static SourceInput imagenet() {
        return new SourceInput("imagenet", new double[] {0.485, 0.456, 0.406}, new double[] {0.229, 0.224, 0.225},
                "torchvision ImageNet: RGB/255, mean (0.485, 0.456, 0.406), std (0.229, 0.224, 0.225)");
    }

    /** Caffe ImageNet models: BGR in 0..255 minus the mean pixel (104, 117, 123). */
    public static SourceInput caffe() {
        return new SourceInput("caffe", new double[] {104 / 255.0, 117 / 255.0, 123 / 255.0},
                new double[] {1 / 255.0, 1 / 255.0, 1 / 255.0}, "Caffe: BGR 0..255 minus mean pixel (104, 117, 123)");
    }

    /** Input in [0, 1] without centring. */
    public static SourceInput unit() {
        return new SourceInput("unit", new double[] {0, 0, 0}, new double[] {1, 1, 1}, "v/255 in [0, 1]");
    }

    /**
     * The reference implementation of Mix-and-Match (its Caffe AlexNets, {@code Alexnet/colorize}): gray
     * {@code g/255 − 0.4488} (its Power layer, then the mean of B, G and R), std 1.
     */
    public static SourceInput mixAndMatch() {
        return new SourceInput("mm-reference", new double[] {0.4488, 0.4488, 0.4488}, new double[] {1, 1, 1},
                "M&M reference colorization: gray/255 − 0.4488 (gray = mean of B, G, R there, BT.601 luma in mmtune; "
                        + "close on natural images)");
    }

    /** mmtune's own (gray, (g/255 − 0.45)/0.25 in every channel). */
    public static SourceInput mmtune() {
        return new SourceInput("mmtune", new double[] {MMTUNE_MEAN, MMTUNE_MEAN, MMTUNE_MEAN},
                new double[] {MMTUNE_STD, MMTUNE_STD, MMTUNE_STD}, "mmtune: (g/255 − 0.45)/0.25");
    }

    /** Parses imagenet, caffe, unit, mm-reference (also mix-and-match) or mmtune. */
    public static SourceInput parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "imagenet", "torchvision" -> imagenet();
            case "caffe" -> caffe();
            case "unit" -> unit();
            case "mmtune" -> mmtune();
            case "mix-and-match", "mixandmatch", "mm-reference" -> mixAndMatch();
            default -> throw new IllegalArgumentException("unknown input normalisation '" + s
                    + "' (use imagenet, caffe, mm-reference, unit or mmtune)");
        };
    }

    /** The default for a first convolution with {@code channels} inputs: ImageNet for 3, mmtune's own for 1. */
    public static SourceInput defaultFor(long channels) {
        return channels == 3 ? imagenet() : mmtune();
    }

    /**
     * Scale of channel {@code c} in terms of mmtune's input: {@code x_c = a_c · x_mmtune + b_c} with
     * {@code a_c = 0.25/std_c} (mmtune's std over the source's).
     */
    public double scale(int c) {
        return MMTUNE_STD / std[c % std.length];
    }

    /** Offset of channel {@code c}: {@code b_c = (0.45 − mean_c)/std_c}. */
    public double offset(int c) {
        return (MMTUNE_MEAN - mean[c % mean.length]) / std[c % std.length];
    }

    /** True when it is mmtune's own normalisation (no rescaling needed). */
    public boolean isMmtune() {
        for (int c = 0; c < mean.length; c++) {
            if (Math.abs(scale(c) - 1) > 1e-12 || Math.abs(offset(c)) > 1e-12) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return id + " " + Arrays.toString(mean) + "/" + Arrays.toString(std);
    }
}
