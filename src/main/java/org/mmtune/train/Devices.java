package org.mmtune.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;

/** Chooses the device: {@code auto} (the first GPU DJL finds, else CPU), {@code cpu} or {@code gpu}. */
public final class Devices {

    private Devices() {
    }

    public static Device select(String preference) {
        String p = preference == null ? "auto" : preference.toLowerCase(Locale.ROOT);
        int gpus = Engine.getInstance().getGpuCount();
        return switch (p) {
            case "cpu" -> Device.cpu();
            case "gpu" -> {
                if (gpus == 0) {
                    throw new IllegalArgumentException("device gpu: DJL finds no GPU here (use cpu or auto)");
                }
                yield Device.gpu();
            }
            case "auto" -> gpus > 0 ? Device.gpu() : Device.cpu();
            default -> throw new IllegalArgumentException("device '" + preference + "': use auto, cpu or gpu");
        };
    }

    /** Human-readable description, e.g. {@code cpu} or {@code gpu(0) of 2}. */
    public static String describe(Device d) {
        int gpus = Engine.getInstance().getGpuCount();
        return d.isGpu() ? d + " of " + gpus + " GPU(s)" : "cpu";
    }
}
