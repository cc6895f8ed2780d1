package org.mmtune;

/** Process-wide settings that must be in place before the first DJL or JavaFX call. */
public final class Environment {

    private Environment() {
    }

    /** Keeps DJL offline (no download, no telemetry) and sizes its thread pools for this machine. */
    public static void configure() {
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("OPT_OUT_TRACKING", "true");
        setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
        setIfAbsent("ai.djl.pytorch.num_threads", String.valueOf(Runtime.getRuntime().availableProcessors()));
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
