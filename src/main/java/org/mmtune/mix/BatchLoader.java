package org.mmtune.mix;

import java.util.ArrayList;
import java.util.List;
import org.mmtune.data.DatasetException;
import org.mmtune.data.Sample;
import org.mmtune.data.SegmentationDataset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes the images of a batch in parallel; pairs that cannot be read are skipped and counted
 * (their one-line reasons are kept), never fatal.
 */
public final class BatchLoader {

    private static final Logger LOG = LoggerFactory.getLogger(BatchLoader.class);

    /**
     * The decoded images (in index order) and what was skipped.
     *
     * @param samples the decoded samples
     * @param indices their indices in the split
     * @param skipped one line per pair that could not be read
     */
    public record Loaded(List<Sample> samples, int[] indices, List<String> skipped) {
    }

    private BatchLoader() {
    }

    /** Decodes pairs {@code indices} of {@code split} with {@code threads} threads. */
    public static Loaded load(SegmentationDataset ds, String split, int[] indices, int threads) {
        return load(ImagePool.of(ds, ds.pairs(split)), indices, threads);
    }

    /** Decodes images {@code indices} of {@code pool} with {@code threads} threads (1 = the calling thread). */
    public static Loaded load(ImagePool pool, int[] indices, int threads) {
        Sample[] out = new Sample[indices.length];
        String[] err = new String[indices.length];
        Mixer.runParallel(indices.length, threads, i -> {
            try {
                out[i] = pool.read(indices[i]);
            } catch (DatasetException e) {
                LOG.debug("skipping image {}", indices[i], e);
                err[i] = e.getMessage();
            } catch (RuntimeException e) {
                LOG.debug("skipping image {}", indices[i], e);
                err[i] = "image " + indices[i] + ": " + e.getMessage();
            }
        });
        List<Sample> samples = new ArrayList<>();
        List<Integer> kept = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (int i = 0; i < indices.length; i++) {
            if (out[i] != null) {
                samples.add(out[i]);
                kept.add(indices[i]);
            } else {
                skipped.add(err[i]);
            }
        }
        return new Loaded(samples, kept.stream().mapToInt(Integer::intValue).toArray(), skipped);
    }
}
