package org.mmtune.ui.mix;

import javafx.scene.image.Image;
import org.mmtune.mix.Patch;

/** A patch of the grid: its position in the batch, the patch and its display image. */
public record PatchItem(int index, Patch patch, Image thumb) {
}
