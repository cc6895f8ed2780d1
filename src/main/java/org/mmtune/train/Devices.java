package org.mmtune.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.ArrayList;
import java.util.List;
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

    /**
     * Every device of a run: the first is the one {@link #select} picks; on a GPU machine all GPUs (data-parallel)
     * unless {@code devicesSpec} chooses: {@code N} = the first N GPUs, {@code 0,2} = those GPU ids.
     * {@code cpuReplicas} &gt; 1 makes that many replicas on the CPU (data-parallel code path without a GPU,
     * for tests and checks; no speed-up).
     */
    public static List<Device> selectAll(String preference, String devicesSpec, int cpuReplicas) {
        return resolve(preference, devicesSpec, cpuReplicas, Engine.getInstance().getGpuCount());
    }

    static List<Device> resolve(String preference, String devicesSpec, int cpuReplicas, int gpus) {
        String p = preference == null ? "auto" : preference.toLowerCase(Locale.ROOT);
        boolean gpu = switch (p) {
            case "cpu" -> false;
            case "gpu" -> {
                if (gpus == 0) {
                    throw new IllegalArgumentException("device gpu: DJL finds no GPU here (use cpu or auto)");
                }
                yield true;
            }
            case "auto" -> gpus > 0;
            default -> throw new IllegalArgumentException("device '" + preference + "': use auto, cpu or gpu");
        };
        String spec = devicesSpec == null || devicesSpec.isBlank() ? null : devicesSpec.trim();
        if (!gpu) {
            if (spec != null) {
                throw new IllegalArgumentException("--devices '" + spec + "': chooses GPUs, but this run is on the CPU"
                        + (gpus == 0 ? " (DJL finds no GPU here)" : ""));
            }
            if (cpuReplicas < 1) {
                throw new IllegalArgumentException("--cpu-replicas must be at least 1, was " + cpuReplicas);
            }
            List<Device> out = new ArrayList<>();
            for (int i = 0; i < cpuReplicas; i++) {
                out.add(Device.cpu());
            }
            return List.copyOf(out);
        }
        if (cpuReplicas > 1) {
            throw new IllegalArgumentException("--cpu-replicas applies to CPU runs only");
        }
        List<Device> out = new ArrayList<>();
        if (spec == null) {
            for (int i = 0; i < gpus; i++) {
                out.add(Device.gpu(i));
            }
        } else if (!spec.contains(",")) {
            int n = parse(spec);
            if (n < 1 || n > gpus) {
                throw new IllegalArgumentException("--devices " + spec + ": give 1 to " + gpus + " GPUs (DJL finds "
                        + gpus + "), or a list of GPU ids such as 0,1");
            }
            for (int i = 0; i < n; i++) {
                out.add(Device.gpu(i));
            }
        } else {
            for (String part : spec.split(",")) {
                int id = parse(part.trim());
                if (id < 0 || id >= gpus) {
                    throw new IllegalArgumentException("--devices " + spec + ": GPU id " + id + " does not exist (ids 0 to "
                            + (gpus - 1) + ")");
                }
                Device d = Device.gpu(id);
                if (out.contains(d)) {
                    throw new IllegalArgumentException("--devices " + spec + ": GPU id " + id + " given twice");
                }
                out.add(d);
            }
        }
        return List.copyOf(out);
    }

    private static int parse(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--devices '" + s + "': not a number (give N or a list like 0,1)");
        }
    }

    /** Human-readable description of several devices, e.g. {@code gpu(0), gpu(1) of 2 GPU(s), data-parallel}. */
    public static String describe(List<Device> all) {
        if (all.size() == 1) {
            return describe(all.get(0));
        }
        StringBuilder b = new StringBuilder();
        for (Device d : all) {
            b.append(b.length() == 0 ? "" : ", ").append(d.isGpu() ? d.toString() : "cpu");
        }
        return b + " (data-parallel, " + all.size() + " replicas)";
    }

    /** Human-readable description, e.g. {@code cpu} or {@code gpu(0) of 2}. */
    public static String describe(Device d) {
        int gpus = Engine.getInstance().getGpuCount();
        return d.isGpu() ? d + " of " + gpus + " GPU(s)" : "cpu";
    }
}
