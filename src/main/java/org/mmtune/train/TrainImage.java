package org.mmtune.train;

import org.mmtune.data.Sample;

/** A training image prepared once: gray plane, labels (may be null), and any stage-specific target. */
public record TrainImage(String id, int width, int height, byte[] gray, byte[] labels) {

    public static TrainImage of(Sample s) {
        return new TrainImage(s.id(), s.width(), s.height(), s.gray(), s.labels());
    }
}
