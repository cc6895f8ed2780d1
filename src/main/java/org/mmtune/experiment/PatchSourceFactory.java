package org.mmtune.experiment;

import java.util.List;
import org.mmtune.data.Sample;
import org.mmtune.data.SegmentationDataset;
import org.mmtune.train.PatchBatchSource;

/** Builds the M&M batch source (mix + match) for a dataset's decoded training images. */
@FunctionalInterface
public interface PatchSourceFactory {
    PatchBatchSource create(ExperimentConfig.MixMatch settings, SegmentationDataset dataset, List<Sample> train,
                            long seed);
}
