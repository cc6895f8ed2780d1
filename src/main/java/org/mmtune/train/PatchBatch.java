package org.mmtune.train;

import java.util.List;

/**
 * One mixed batch ready for the triplet step: {@code count} gray patches of {@code size}², their labels,
 * the match stage's triplets (indices into the patches) and where each patch came from.
 *
 * @param gray     {@code count·size·size} bytes, patch after patch, row-major
 * @param prepMs   time spent sampling, cropping and matching this batch
 */
public record PatchBatch(int count, int size, byte[] gray, int[] labels, int[][] triplets,
                         List<PatchInfo> patches, double prepMs) {
}
