package org.mmtune;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Process-wide settings that must be in place before the first DJL or JavaFX call. */
public final class Environment {

    private Environment() {
    }

    /**
     * Keeps DJL offline (no download, no telemetry) unless the user allows downloads ({@code MMTUNE_OFFLINE=false}
     * or {@code -Dmmtune.offline=false}; DJL's own {@code DJL_OFFLINE} / {@code -Dai.djl.offline} also win), helps
     * DJL use a libtorch the user installed ({@code PYTORCH_LIBRARY_PATH}) and sizes its thread pools.
     */
    public static void configure() {
        if (offline(System.getenv(), System.getProperty("mmtune.offline"))) {
            setIfAbsent("ai.djl.offline", "true");
        }
        setIfAbsent("OPT_OUT_TRACKING", "true");
        setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
        setIfAbsent("ai.djl.pytorch.num_threads", String.valueOf(Runtime.getRuntime().availableProcessors()));
        if (System.getenv("PYTORCH_FLAVOR") == null && System.getProperty("PYTORCH_FLAVOR") == null) {
            ownLibtorchFlavour(System.getenv("PYTORCH_LIBRARY_PATH")).ifPresent(f -> System.setProperty("PYTORCH_FLAVOR", f));
        }
    }

    /** Whether mmtune keeps DJL offline: yes unless {@code MMTUNE_OFFLINE} or the property says {@code false}. */
    static boolean offline(Map<String, String> env, String property) {
        String v = property != null ? property : env.get("MMTUNE_OFFLINE");
        return !"false".equalsIgnoreCase(v == null ? "" : v.trim());
    }

    /**
     * The build flavour of a libtorch folder the user points DJL at, so that DJL takes the matching JNI library
     * from its bundled jar instead of downloading one (DJL assumes {@code cpu-precxx11} otherwise, which
     * libtorch 2.7.1 does not have): {@code cu128} when the folder holds {@code libtorch_cuda.so}, else
     * {@code cpu}; empty when no folder of the path holds {@code libtorch.so}.
     */
    static Optional<String> ownLibtorchFlavour(String libraryPath) {
        if (libraryPath == null || libraryPath.isBlank()) {
            return Optional.empty();
        }
        for (String part : libraryPath.split(java.io.File.pathSeparator)) {
            Path dir = Path.of(part);
            if (Files.isRegularFile(dir) && dir.getFileName().toString().equals(System.mapLibraryName("torch"))) {
                dir = dir.getParent();
            }
            if (dir != null && Files.isRegularFile(dir.resolve(System.mapLibraryName("torch")))) {
                return Optional.of(Files.exists(dir.resolve(System.mapLibraryName("torch_cuda"))) ? "cu128" : "cpu");
            }
        }
        return Optional.empty();
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
