package org.mmtune.ui.match;

import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;
import org.mmtune.ui.WorkbenchContext;

/** The Match view (being built: graph canvas, triplets, margin, statistics). */
public final class MatchView extends BorderPane {

    public MatchView(WorkbenchContext ctx) {
        setId("match-view");
        setCenter(new Label("Match view: in progress (needs org.mmtune.match)"));
    }
}
