package org.mmtune.experiment;

import java.nio.file.Path;
import org.mmtune.data.DatasetException;
import org.mmtune.data.DatasetLoader;
import org.mmtune.data.ImagePair;
import org.mmtune.data.Sample;
import org.mmtune.data.SampleReader;
import org.mmtune.data.SegmentationDataset;

/** The production {@link DatasetSource}: the data layer's loader and reader. */
public final class DatasetSources {

    private DatasetSources() {
    }

    public static DatasetSource standard() {
        return new DatasetSource() {
            @Override
            public SegmentationDataset open(Path folder) throws DatasetException {
                return DatasetLoader.open(folder);
            }

            @Override
            public Sample read(SegmentationDataset dataset, ImagePair pair) throws DatasetException {
                return SampleReader.read(dataset, pair);
            }
        };
    }
}
