package org.mmtune.train;

/** Where a mixed-batch patch came from: image id, centre, side, label. */
public record PatchInfo(String image, int cx, int cy, int size, int label) {
}
