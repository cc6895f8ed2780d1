package org.mmtune.ui;

import java.util.List;
import org.mmtune.ui.dataset.DatasetView;
import org.mmtune.ui.match.MatchView;
import org.mmtune.ui.mix.MixView;
import org.mmtune.ui.results.ResultsView;
import org.mmtune.ui.train.TrainView;

/**
 * The workbench's tabs, in order. To add a view: write it as a self-contained node in its own package
 * (e.g. {@code org.mmtune.ui.train.TrainView}) taking a {@link WorkbenchContext}, and add one line here.
 * The window shows it as a tab (Ctrl+N selects the N-th tab), {@code gui --snapshot-dir} writes it as
 * {@code <name>.png} after {@link org.mmtune.ui.common.Background#busyProperty()} has dropped to zero,
 * so start long work through {@link org.mmtune.ui.common.Background} (or implement
 * {@link SnapshotAware} for anything else to wait for).
 */
public final class WorkbenchViews {

    private WorkbenchViews() {
    }

    public static List<ViewSpec> all() {
        return List.of(
                new ViewSpec("Dataset", DatasetView::new),
                new ViewSpec("Mix", MixView::new),
                new ViewSpec("Match", MatchView::new),
                new ViewSpec("Train", TrainView::new),
                new ViewSpec("Results", ResultsView::new)
        );
    }
}
