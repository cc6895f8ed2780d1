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
 * @param previewSize side of the previews
 * @param gray        gray (BT.601 luma) preview of each patch, {@code previewSize²} bytes
 * @param thumbs      RGB preview of each patch (see {@link PatchPreview})
 * @param sampleMs    time to decode, sample and crop
 * @param requestedAt System.nanoTime() of the change that asked for it
 * @param skipped     one line per chosen image that could not be read (skipped; the batch has the rest)
 */
public record MixResult(SegmentationDataset dataset, String split, MixConfig config, MixedBatch batch,
                        List<ImagePair> pairs, int previewSize, byte[][] gray, Image[] thumbs, double sampleMs, long requestedAt,
                        List<String> skipped) {

    public MixResult {
        skipped = skipped == null ? List.of() : List.copyOf(skipped);
    }
}
