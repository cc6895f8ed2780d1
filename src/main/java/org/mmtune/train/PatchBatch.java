package org.mmtune.train;

import java.util.List;

/**
 * One mixed batch ready for the triplet step: {@code count} gray patches of {@code size}², their labels,
 * the match stage's triplets (indices into the patches) and where each patch came from.
 *
 * @param gray     {@code count·size·size} bytes, patch after patch, row-major
 * @param triplets null when they depend on the current embeddings (hard negatives): then
 *                 {@code tripletsFromEmbeddings} builds them from the forward pass's rows
 * @param prepMs   time spent sampling, cropping and matching this batch
 */
public record PatchBatch(int count, int size, byte[] gray, int[] labels, int[][] triplets,
                         List<PatchInfo> patches, double prepMs,
                         java.util.function.Function<float[][], int[][]> tripletsFromEmbeddings) {

    public PatchBatch(int count, int size, byte[] gray, int[] labels, int[][] triplets, List<PatchInfo> patches,
                      double prepMs) {
        this(count, size, gray, labels, triplets, patches, prepMs, null);
    }
}
