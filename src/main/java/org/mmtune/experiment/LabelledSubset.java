package org.mmtune.experiment;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.mmtune.data.Sample;

/**
 * The labelled part of the training split (the paper's limited-label regime): M&amp;M tuning and
 * fine-tuning see only these images' labels, the proxy trains on every training image without labels.
 *
 * <p>The subset is a uniformly random choice of {@code labelledImages} images (or
 * {@code round(labelledFraction × n)}, at least 1) among the {@code n} loaded training images, drawn with
 * {@code new Random(labelledSeed)} and kept in split order. It depends only on the training image list and
 * {@code labelledSeed}, never on the run's {@code seed}: every arm and every seed of an ablation fine-tune
 * on the same labelled images, so the seeds measure training noise, not a different labelled set.
 *
 * @param images the labelled images, in split order
 * @param of     number of training images they were chosen from
 * @param all    true when every training image is labelled (no subset)
 */
public record LabelledSubset(List<Sample> images, int of, boolean all) {

    /** Chooses the subset of {@code train} that {@code cfg} asks for. */
    public static LabelledSubset choose(List<Sample> train, ExperimentConfig cfg) {
        int n = train.size();
        int k = count(n, cfg);
        if (k >= n) {
            return new LabelledSubset(List.copyOf(train), n, true);
        }
        List<Integer> idx = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            idx.add(i);
        }
        Collections.shuffle(idx, new Random(cfg.labelledSeed));
        List<Integer> chosen = new ArrayList<>(idx.subList(0, k));
        Collections.sort(chosen);
        List<Sample> out = new ArrayList<>(k);
        for (int i : chosen) {
            out.add(train.get(i));
        }
        return new LabelledSubset(List.copyOf(out), n, false);
    }

    /** How many of {@code n} training images are labelled under {@code cfg}. */
    public static int count(int n, ExperimentConfig cfg) {
        if (cfg.labelledImages > 0) {
            return Math.min(n, cfg.labelledImages);
        }
        return Math.min(n, Math.max(1, (int) Math.round(cfg.labelledFraction * n)));
    }

    /** The labelled images' ids, in split order. */
    public List<String> ids() {
        return images.stream().map(Sample::id).toList();
    }

    /** The text of {@code labelled.txt}: one image id per line. */
    public String fileText() {
        return String.join("\n", ids()) + "\n";
    }

    /** One line for run.log. */
    public String describe(ExperimentConfig cfg) {
        if (all) {
            return "labelled images: all " + of + " training images";
        }
        String rule = cfg.labelledImages > 0 ? "labelledImages " + cfg.labelledImages
                : String.format(Locale.ROOT, "labelledFraction %s", cfg.labelledFraction);
        return "labelled images: " + images.size() + " of " + of + " training images (" + rule + ", labelledSeed "
                + cfg.labelledSeed + ") for M&M and fine-tuning; the proxy uses all " + of + ": "
                + String.join(" ", ids());
    }
}
