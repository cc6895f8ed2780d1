package org.mmtune.experiment;

import java.nio.file.Path;
import org.mmtune.data.DatasetException;
import org.mmtune.data.ImagePair;
import org.mmtune.data.Sample;
import org.mmtune.data.SegmentationDataset;

/** How the pipeline opens datasets and decodes pairs (the data layer in production, fixtures in tests). */
public interface DatasetSource {

    SegmentationDataset open(Path folder) throws DatasetException;

    Sample read(SegmentationDataset dataset, ImagePair pair) throws DatasetException;
}
