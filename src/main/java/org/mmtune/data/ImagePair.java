package org.mmtune.data;

import java.nio.file.Path;

/**
 * An image and its label file, as listed by a dataset split.
 *
 * @param id    a short unique id within the split (usually the file stem)
 * @param image path of the RGB image
 * @param label path of the label image
 */
public record ImagePair(String id, Path image, Path label) {
}
