package org.mmtune.train;

import java.util.List;

/**
 * A 2-D PCA projection of one M&M batch's embeddings ({@code embeddings/mm-XXXXXX.json}).
 *
 * @param points one {x, y} per patch, in the batch's order
 */
public record EmbeddingSnapshot(int iteration, int[] labels, double[][] points, List<PatchInfo> patches) {
}
