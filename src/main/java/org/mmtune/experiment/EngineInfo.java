package org.mmtune.experiment;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import org.mmtune.train.Devices;
import org.mmtune.train.OneDnnIsa;

/**
 * What runs: mmtune's version, DJL's, libtorch's version and build flavour (cpu or cuda, as the loaded library
 * reports it), the GPUs it sees, the threads and the oneDNN ISA with the reason it was chosen. The first lines
 * of every run.log, the header of {@code bench train} and the workbench's status bar say this.
 */
public record EngineInfo(String mmtuneVersion, String djlVersion, String libtorchVersion, String flavour, int gpus,
                         int threads, OneDnnIsa.Choice isa, String libraryDir) {

    /** Loads the engine if it is not loaded yet. */
    public static EngineInfo current() {
        Engine e = Engine.getEngine("PyTorch");
        String flavour = e.hasCapability(StandardCapabilities.CUDA) ? "cuda" : "cpu";
        int threads = Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors());
        OneDnnIsa.Choice isa = OneDnnIsa.current().orElse(new OneDnnIsa.Choice(null, "oneDNN default",
                "not chosen by mmtune in this process"));
        String dir;
        try {
            dir = ai.djl.pytorch.jni.LibUtils.getLibtorchPath();
        } catch (RuntimeException | LinkageError ex) {
            dir = "?";
        }
        return new EngineInfo(version(), Engine.getDjlVersion(), e.getVersion(), flavour, e.getGpuCount(),
                threads, isa, dir);
    }

    /** mmtune's version (from the build), {@code dev} when run from sources without it. */
    public static String version() {
        Properties p = new Properties();
        try (InputStream in = EngineInfo.class.getResourceAsStream("/org/mmtune/version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            return "dev";
        }
        String v = p.getProperty("version", "dev");
        return v.startsWith("${") ? "dev" : v;
    }

    /** e.g. {@code mmtune 0.1.0, DJL 0.36.0, libtorch 2.7.1 (cpu build), 0 GPUs}. */
    public String headline() {
        return String.format(Locale.ROOT, "mmtune %s, DJL %s, libtorch %s (%s build), %d GPU%s", mmtuneVersion,
                djlVersion, libtorchVersion, flavour, gpus, gpus == 1 ? "" : "s");
    }

    /** e.g. {@code libtorch from /home/me/.djl.ai/pytorch/2.7.1-20250812-cpu-linux-x86_64}. */
    public String libraryLine() {
        return "libtorch from " + libraryDir;
    }

    /** e.g. {@code devices: cpu (2 threads)}. */
    public String devicesLine(List<Device> devices) {
        return "devices: " + Devices.describe(devices) + (devices.stream().anyMatch(Device::isGpu) ? ""
                : " (" + threads + " threads)");
    }

    /** e.g. {@code oneDNN ISA AVX512_CORE (probed on this CPU ...)}. */
    public String isaLine() {
        return "oneDNN ISA " + isa.describe();
    }

    /** The lines a run log or a benchmark starts with. */
    public List<String> lines(List<Device> devices) {
        return List.of(headline(), devicesLine(devices), isaLine(), libraryLine());
    }

    /** Short, for a status bar: {@code mmtune 0.1.0 · libtorch 2.7.1 cpu · oneDNN AVX512_CORE, cached probe}. */
    public String brief() {
        return "mmtune " + mmtuneVersion + " · libtorch " + libtorchVersion + " " + flavour + " · oneDNN " + isa.name()
                + ", " + isa.basis();
    }

    /**
     * One line when {@code --device auto} ended on the CPU, saying why; empty otherwise.
     */
    public Optional<String> autoOnCpu(String requested, List<Device> devices) {
        boolean auto = requested == null || requested.isBlank() || "auto".equalsIgnoreCase(requested);
        if (!auto || devices.stream().anyMatch(Device::isGpu)) {
            return Optional.empty();
        }
        String why = "cuda".equals(flavour) ? "libtorch is a CUDA build but finds no GPU"
                : "this libtorch is the CPU build (see docs/gpu.md for the CUDA one)";
        return Optional.of("device auto: running on the CPU: " + why);
    }
}
