package org.mmtune.ui;

import java.nio.file.Path;
import org.mmtune.data.SegmentationDataset;

/** Test-side access to the workbench context's package-private setters, for tests of the views' packages. */
public final class TestContexts {

    private TestContexts() {
    }

    /** Gives {@code ctx} an already loaded dataset, as if it had been opened from {@code folder} (FX thread). */
    public static void setDataset(WorkbenchContext ctx, SegmentationDataset ds, Path folder) {
        ctx.setDataset(ds, folder);
    }
}
