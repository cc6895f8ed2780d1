package org.mmtune.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MMSegmentation's folder layout: {@code img_dir/<split>/} with the images and {@code ann_dir/<split>/} with
 * label PNGs of the same file stems. The folders say nothing about the classes, so the layout is opened
 * through a {@code dataset.json} that names them (its {@code splits} may then be left out: every split
 * folder present under both {@code img_dir/} and {@code ann_dir/} becomes a split). Without a descriptor the
 * layout is recognised only to say what is missing.
 */
final class MmsegLayout {

    static final String IMAGES = "img_dir";
    static final String LABELS = "ann_dir";

    private MmsegLayout() {
    }

    /** Whether {@code root} holds {@code img_dir/} and {@code ann_dir/}. */
    static boolean find(Path root) {
        return Files.isDirectory(root.resolve(IMAGES)) && Files.isDirectory(root.resolve(LABELS));
    }

    /**
     * The splits of the layout as descriptor entries: each folder under {@code img_dir/} that has a
     * counterpart under {@code ann_dir/} (split folders with images only, e.g. an unlabelled test set, are
     * left out).
     */
    static Map<String, DatasetDescriptor.SplitSpec> splits(String descriptor, Path root) throws DatasetException {
        List<String> names = new ArrayList<>();
        for (Path p : DatasetLoader.subfolders(root.resolve(IMAGES))) {
            String n = p.getFileName().toString();
            if (Files.isDirectory(root.resolve(LABELS).resolve(n))) {
                names.add(n);
            }
        }
        if (names.isEmpty()) {
            throw new DatasetException(descriptor + ": key 'splits' is missing and " + IMAGES + "/ and " + LABELS
                    + "/ have no split folder in common (expected e.g. " + IMAGES + "/train + " + LABELS + "/train)");
        }
        Map<String, DatasetDescriptor.SplitSpec> out = new LinkedHashMap<>();
        for (String n : DatasetLoader.orderSplits(names)) {
            out.put(n, new DatasetDescriptor.SplitSpec(null, IMAGES + "/" + n, LABELS + "/" + n, null));
        }
        return out;
    }

    /** The one-line refusal for the layout without a descriptor. */
    static DatasetException needsDescriptor(Path folder) {
        return new DatasetException(folder + ": MMSegmentation layout (" + IMAGES + "/ + " + LABELS + "/) but no "
                + DatasetDescriptor.FILE_NAME + ": the folders do not say the classes; add a " + DatasetDescriptor.FILE_NAME
                + " such as {\"classNames\": \"classes.txt\"} (one class name per line; add \"reduceZeroLabel\": true "
                + "when label 0 is void)");
    }
}
