package org.mmtune.mix;

import java.util.List;
import org.mmtune.data.DatasetException;
import org.mmtune.data.ImagePair;
import org.mmtune.data.Sample;
import org.mmtune.data.SampleReader;
import org.mmtune.data.SegmentationDataset;

/**
 * The images a run of batches draws from, by index: a split's pairs decoded on demand (the CLI, the
 * views) or images already decoded (training). Batch {@code k} chooses its images among indices
 * {@code 0..size()-1}, so two pools of the same images in the same order give the same batches.
 * {@link #read} may be called from several threads at once.
 */
public interface ImagePool {

    /** Number of images. */
    int size();

    /** The decoded image at {@code index}; a {@link DatasetException} (one line naming the file) when unreadable. */
    Sample read(int index) throws DatasetException;

    /** Decodes a pair (the data layer's reader, or a cache in front of it). */
    @FunctionalInterface
    interface PairReader {
        Sample read(SegmentationDataset dataset, ImagePair pair) throws DatasetException;
    }

    /** Images already decoded. */
    static ImagePool of(List<Sample> samples) {
        List<Sample> s = List.copyOf(samples);
        return new ImagePool() {
            @Override
            public int size() {
                return s.size();
            }

            @Override
            public Sample read(int index) {
                return s.get(index);
            }
        };
    }

    /** {@code pairs} of {@code dataset}, decoded by {@code reader} when a batch needs them. */
    static ImagePool of(SegmentationDataset dataset, List<ImagePair> pairs, PairReader reader) {
        List<ImagePair> p = List.copyOf(pairs);
        return new ImagePool() {
            @Override
            public int size() {
                return p.size();
            }

            @Override
            public Sample read(int index) throws DatasetException {
                ImagePair pair = p.get(index);
                try {
                    return reader.read(dataset, pair);
                } catch (RuntimeException e) {
                    throw new DatasetException(pair.image() + ": " + e.getMessage(), e);
                }
            }
        };
    }

    /** {@code pairs} of {@code dataset}, decoded by the data layer's reader. */
    static ImagePool of(SegmentationDataset dataset, List<ImagePair> pairs) {
        return of(dataset, pairs, SampleReader::read);
    }
}
