package org.mmtune.ui;

import org.mmtune.experiment.EngineInfo;
import org.mmtune.ui.common.Background;
import org.mmtune.util.UserMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the PyTorch engine on a background thread when the window opens (the first load extracts
 * libtorch and takes seconds), then shows what runs in the context: mmtune's and libtorch's versions, the
 * build flavour, the oneDNN ISA and why it was chosen, and the device. The window never waits
 * for it. Set {@code -Dmmtune.engine=off} to skip (used by the UI tests).
 */
final class EngineStatus {

    private static final Logger LOG = LoggerFactory.getLogger(EngineStatus.class);

    private EngineStatus() {
    }

    static void loadInBackground(WorkbenchContext ctx) {
        if ("off".equals(System.getProperty("mmtune.engine"))) {
            ctx.engineStateProperty().set("engine: off");
            ctx.deviceProperty().set("device: -");
            return;
        }
        ctx.engineStateProperty().set("PyTorch: loading…");
        long t0 = System.nanoTime();
        Thread t = new Thread(() -> {
            try {
                EngineInfo engine = EngineInfo.current();
                int gpus = engine.gpus();
                String device = gpus > 0 ? "device: GPU ×" + gpus : "device: CPU, " + engine.threads() + " threads";
                // time since the window opened (another view may have started the load first)
                double s = (System.nanoTime() - t0) / 1e9;
                LOG.info("{} loaded in {} s; {}", engine.headline(), String.format("%.1f", s), engine.isaLine());
                Background.runFx(() -> {
                    ctx.engineStateProperty().set(engine.brief());
                    ctx.deviceProperty().set(device);
                    ctx.engineReadyProperty().set(true);
                });
            } catch (Throwable e) {
                LOG.debug("engine load failed", e);
                String why = UserMessages.describe(e);
                Background.runFx(() -> {
                    ctx.engineStateProperty().set("PyTorch unavailable: " + why);
                    ctx.deviceProperty().set("device: -");
                });
            }
        }, "mmtune-engine-load");
        t.setDaemon(true);
        t.start();
    }
}
