package org.mmtune.experiment;

import ai.djl.engine.Engine;

/**
 * The deep-learning engine as the workbench shows it: its version and how many GPUs it sees. The
 * workbench asks here rather than calling DJL itself.
 *
 * @param version the engine's version (e.g. {@code 2.7.1})
 * @param gpus    the number of GPUs the engine can use (0: CPU only)
 */
public record EngineInfo(String version, int gpus) {

    /**
     * Loads the PyTorch engine if it is not loaded yet (the first load extracts libtorch and takes seconds;
     * call it off the FX thread) and describes it. Throws whatever DJL throws when the engine cannot load.
     */
    public static EngineInfo pytorch() {
        Engine engine = Engine.getEngine("PyTorch");
        return new EngineInfo(engine.getVersion(), engine.getGpuCount());
    }
}
