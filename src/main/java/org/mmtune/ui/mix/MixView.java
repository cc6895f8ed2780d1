package org.mmtune.ui.mix;

import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;
import org.mmtune.ui.WorkbenchContext;

/** The Mix view (being built: patch sampling form, patch grid, source image, counts). */
public final class MixView extends BorderPane {

    public MixView(WorkbenchContext ctx) {
        setId("mix-view");
        setCenter(new Label("Mix view: in progress (needs org.mmtune.mix)"));
    }
}
