package org.mmtune.ui.common;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.mmtune.data.DatasetException;
import org.mmtune.data.ImagePair;
import org.mmtune.data.Sample;
import org.mmtune.data.SegmentationDataset;

/**
 * The UI's one door to the data layer: opens datasets and decodes samples, keeping a small cache of
 * decoded samples shared by the views (any thread).
 */
public final class DatasetAccess {

    private static final int CACHE = 96;

    private static final Map<Path, Sample> SAMPLES = new LinkedHashMap<>(CACHE, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Path, Sample> eldest) {
            return size() > CACHE;
        }
    };

    private DatasetAccess() {
    }

    public static SegmentationDataset open(Path folder) throws DatasetException {
        throw new DatasetException(folder + ": dataset loading is not available yet");
    }

    /** Decodes a pair (cached by image path). */
    public static Sample read(SegmentationDataset ds, ImagePair pair) throws DatasetException {
        synchronized (SAMPLES) {
            Sample s = SAMPLES.get(pair.image());
            if (s != null) {
                return s;
            }
        }
        Sample s = decode(ds, pair);
        synchronized (SAMPLES) {
            SAMPLES.put(pair.image(), s);
        }
        return s;
    }

    private static Sample decode(SegmentationDataset ds, ImagePair pair) throws DatasetException {
        throw new DatasetException(pair.image() + ": sample reading is not available yet");
    }
}
