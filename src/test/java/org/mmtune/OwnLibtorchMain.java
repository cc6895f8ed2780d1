package org.mmtune;

import ai.djl.Device;
import java.util.List;
import org.mmtune.experiment.EngineInfo;

/** Loads the engine as mmtune does ({@link Environment#configure()} first) and prints what runs; for EnvironmentTest's child JVM. */
public final class OwnLibtorchMain {

    private OwnLibtorchMain() {
    }

    public static void main(String[] args) {
        Environment.configure();
        EngineInfo.current().lines(List.of(Device.cpu())).forEach(System.out::println);
        System.out.println("ai.djl.offline=" + System.getProperty("ai.djl.offline") + " PYTORCH_FLAVOR="
                + System.getProperty("PYTORCH_FLAVOR"));
    }
}
