package org.mmtune.experiment;

import java.util.ArrayList;
import java.util.List;
import org.mmtune.data.DatasetException;
import org.mmtune.data.DatasetLoader;
import org.mmtune.data.SegmentationDataset;

/**
 * Checks an experiment against its dataset before anything runs: the dataset opens, and every split the
 * enabled stages use exists and has pairs. A config that names a split the dataset does not have is refused
 * with one line naming the key, before a run folder is made.
 */
public final class DatasetCheck {

    private DatasetCheck() {
    }

    /** Opens the config's dataset and checks its splits; {@code source} names the config in messages. */
    public static SegmentationDataset check(ExperimentConfig cfg, String source) throws ConfigException {
        SegmentationDataset ds;
        try {
            ds = DatasetLoader.open(DatasetPaths.resolve(cfg.dataset));
        } catch (DatasetException e) {
            throw new ConfigException(source + ": dataset: " + e.getMessage(), e);
        }
        List<String> p = problems(cfg, ds);
        if (!p.isEmpty()) {
            throw new ConfigException(source + ": " + p.get(0));
        }
        return ds;
    }

    /** The problems of the config's split keys against an open dataset, each naming its key. */
    public static List<String> problems(ExperimentConfig cfg, SegmentationDataset ds) {
        List<String> p = new ArrayList<>();
        split(p, ds, "trainSplit", cfg.trainSplit, true);
        boolean needVal = cfg.finetune.enabled && cfg.finetune.evalEvery > 0;
        split(p, ds, "valSplit", cfg.valSplit, needVal || (cfg.eval.enabled && cfg.eval.split == null));
        if (cfg.eval.enabled && cfg.eval.split != null) {
            split(p, ds, "eval.split", cfg.eval.split, true);
        }
        return p;
    }

    private static void split(List<String> p, SegmentationDataset ds, String key, String split, boolean used) {
        if (!used || split == null) {
            return;
        }
        if (!ds.hasSplit(split)) {
            p.add(key + ": dataset " + ds.name() + " has no split '" + split + "' (it has: "
                    + String.join(", ", ds.splitNames()) + ")");
        } else if (ds.pairs(split).isEmpty()) {
            p.add(key + ": split '" + split + "' of dataset " + ds.name() + " has no image/label pairs");
        }
    }
}
