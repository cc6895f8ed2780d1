package org.mmtune.ui;

import java.util.function.Function;
import javafx.scene.Node;

/**
 * One tab of the workbench: its title and a factory that builds its node for a context. The node is
 * built once, when the window opens; it should react to {@link WorkbenchContext#datasetProperty()} (and
 * {@link WorkbenchContext#runDirProperty()}) changes itself.
 *
 * @param name    tab title, also the snapshot file name ({@code <name lower-case>.png})
 * @param factory builds the view
 */
public record ViewSpec(String name, Function<WorkbenchContext, Node> factory) {
}
