package org.mmtune.ui.dataset;

import java.util.ArrayList;
import java.util.List;
import org.mmtune.cli.UserMessages;
import org.mmtune.data.DatasetException;
import org.mmtune.data.ImagePair;
import org.mmtune.data.Sample;
import org.mmtune.data.SegmentationDataset;
import org.mmtune.ui.common.DatasetAccess;

/**
 * Class pixel frequencies of a split (from an evenly spread sample of at most {@value #MAX_IMAGES} images)
 * and the problems found while reading them. Runs on a background thread.
 */
record DatasetStats(double[] frequencies, String note, List<String> problems) {

    static final int MAX_IMAGES = 60;

    static DatasetStats compute(SegmentationDataset ds, String split) {
        List<ImagePair> pairs = ds.pairs(split);
        int n = ds.numClasses();
        long[] counts = new long[n];
        long voids = 0;
        long outside = 0;
        List<String> problems = new ArrayList<>();
        int step = Math.max(1, (int) Math.ceil(pairs.size() / (double) MAX_IMAGES));
        int read = 0;
        for (int i = 0; i < pairs.size(); i += step) {
            ImagePair p = pairs.get(i);
            try {
                Sample s = DatasetAccess.read(ds, p);
                for (byte b : s.labels()) {
                    int v = b & 0xFF;
                    if (v < n) {
                        counts[v]++;
                    } else if (v == ds.ignoreIndex()) {
                        voids++;
                    } else {
                        outside++;
                    }
                }
                read++;
            } catch (DatasetException | RuntimeException e) {
                problems.add(UserMessages.describe(e));
            }
        }
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        double[] f = new double[n];
        for (int i = 0; i < n; i++) {
            f[i] = total == 0 ? 0 : counts[i] / (double) total;
        }
        if (outside > 0) {
            problems.add(outside + " label pixels outside the classes (in the " + read + " images checked)");
        }
        if (pairs.isEmpty()) {
            problems.add("split " + split + " is empty");
        }
        long all = total + voids + outside;
        String note = String.format("%d of %d images, void %.1f%%", read, pairs.size(),
                all == 0 ? 0.0 : 100.0 * voids / all);
        return new DatasetStats(f, note, problems);
    }
}
