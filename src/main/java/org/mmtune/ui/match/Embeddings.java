package org.mmtune.ui.match;

import org.mmtune.match.MixMatchService;
import org.mmtune.mix.MixedBatch;
import org.mmtune.util.Pca2d;

/**
 * What the Match view embeds patches with when no network is loaded, and its PCA projection: both are
 * the core's own ({@link MixMatchService#descriptors}, {@link Pca2d}), so the view shows what
 * {@code mmtune match} and training's embedding snapshots compute.
 */
public final class Embeddings {

    /** Side of the descriptor grid. */
    public static final int GRID = MixMatchService.DESCRIPTOR_SIDE;

    /** How the descriptor is labelled in the UI. */
    public static final String DESCRIPTOR_NAME = MixMatchService.DESCRIPTOR_NAME;

    private Embeddings() {
    }

    /** The fixed descriptor of each patch of a batch mixed with gray crops. */
    public static float[][] descriptors(MixedBatch batch) {
        return MixMatchService.descriptors(batch);
    }

    /** First two principal components of the rows, as {x, y} per row (OpenCV, fixed sign rule). */
    public static double[][] pca2(float[][] rows) {
        return Pca2d.project(rows);
    }
}
