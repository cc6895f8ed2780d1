package org.mmtune.ui.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javafx.scene.image.Image;
import javafx.scene.image.WritableImage;
import org.mmtune.data.DatasetException;
import org.mmtune.data.ImagePair;
import org.mmtune.data.Sample;
import org.mmtune.data.SegmentationDataset;
import org.mmtune.experiment.runs.EmbeddingSnapshot;
import org.mmtune.experiment.runs.RunSummary;
import org.mmtune.ui.common.DatasetAccess;
import org.mmtune.ui.common.Images;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts an embedding point's patch out of its dataset image, as the mix stage did: a square of the
 * recorded side around the recorded centre, zero-padded where it leaves the image. Off the FX thread.
 */
final class PatchCrops {

    private static final Logger LOG = LoggerFactory.getLogger(PatchCrops.class);
    private static final Map<Path, SegmentationDataset> DATASETS = new ConcurrentHashMap<>();

    private PatchCrops() {
    }

    /** The patch's pixels, or null when its image cannot be found (reported by the caller). */
    static Image crop(SegmentationDataset open, Path runDir, EmbeddingSnapshot.PatchRef ref) {
        if (ref == null || ref.image() == null || ref.size() <= 0) {
            return null;
        }
        try {
            SegmentationDataset ds = datasetFor(open, runDir);
            if (ds == null) {
                return null;
            }
            ImagePair pair = find(ds, ref.image());
            if (pair == null) {
                return null;
            }
            Sample s = DatasetAccess.read(ds, pair);
            return crop(s, ref.cx(), ref.cy(), ref.size());
        } catch (DatasetException | RuntimeException e) {
            LOG.debug("patch crop of {}", ref, e);
            return null;
        }
    }

    private static SegmentationDataset datasetFor(SegmentationDataset open, Path runDir) throws DatasetException {
        Path wanted = runDir == null ? null : RunSummary.RunConfigInfo.read(runDir).dataset();
        if (wanted == null || (open != null && sameFolder(open.root(), wanted))) {
            return open;
        }
        if (!Files.isDirectory(wanted)) {
            return open;
        }
        SegmentationDataset ds = DATASETS.get(wanted);
        if (ds == null) {
            ds = DatasetAccess.open(wanted);
            DATASETS.put(wanted, ds);
        }
        return ds;
    }

    private static boolean sameFolder(Path a, Path b) {
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }

    static ImagePair find(SegmentationDataset ds, String image) {
        for (Map.Entry<String, List<ImagePair>> e : ds.splits().entrySet()) {
            for (ImagePair p : e.getValue()) {
                if (p.id().equals(image) || p.image().toString().equals(image)
                        || p.image().getFileName().toString().equals(image)) {
                    return p;
                }
            }
        }
        return null;
    }

    static WritableImage crop(Sample s, int cx, int cy, int size) {
        int x0 = cx - size / 2;
        int y0 = cy - size / 2;
        int[] argb = new int[size * size];
        byte[] rgb = s.rgb();
        for (int y = 0; y < size; y++) {
            int sy = y0 + y;
            for (int x = 0; x < size; x++) {
                int sx = x0 + x;
                int v = 0xFF000000;
                if (sx >= 0 && sy >= 0 && sx < s.width() && sy < s.height()) {
                    int j = 3 * (sy * s.width() + sx);
                    v |= (rgb[j] & 0xFF) << 16 | (rgb[j + 1] & 0xFF) << 8 | (rgb[j + 2] & 0xFF);
                }
                argb[y * size + x] = v;
            }
        }
        return Images.argb(argb, size, size);
    }
}
