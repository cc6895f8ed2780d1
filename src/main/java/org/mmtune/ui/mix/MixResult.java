package org.mmtune.ui.mix;

import java.util.List;
import javafx.scene.image.Image;
import org.mmtune.data.ImagePair;
import org.mmtune.data.SegmentationDataset;
import org.mmtune.mix.MixConfig;
import org.mmtune.mix.MixedBatch;

/**
 * One mixed batch as the views show it.
 *
 * @param dataset     the dataset it was sampled from
 * @param split       its split
 * @param config      the sampler settings
 * @param batch       patches and crops (gray and RGB)
 * @param pairs       the split's pairs (patch.imageIndex() indexes this list)
 * @param gray        gray (BT.601 luma) version of each RGB crop, {@code outSize²} bytes
 * @param thumbs      one display image per patch (RGB crop, at most {@value MixViewModel#THUMB} px)
 * @param sampleMs    time to decode, sample and crop
 * @param requestedAt System.nanoTime() of the change that asked for it
 */
public record MixResult(SegmentationDataset dataset, String split, MixConfig config, MixedBatch batch,
                        List<ImagePair> pairs, byte[][] gray, Image[] thumbs, double sampleMs, long requestedAt) {
}
