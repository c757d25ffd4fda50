package io.streamtune.runtime;

import java.nio.file.Path;

/**
 * Keeps DJL off the network. DJL's start-up code otherwise probes a cloud metadata address and
 * download sites; every entry point of a JVM that may load DJL calls {@link #enforce()} before any
 * DJL class is touched (a static initializer of its main class).
 */
public final class DjlOffline {

    /** Where DJL extracts its native libraries unless {@code DJL_CACHE_DIR} says otherwise. */
    public static final Path DEFAULT_CACHE_DIR =
            Path.of(System.getProperty("user.home"), ".cache", "streamtune", "djl");

    private DjlOffline() {}

    /**
     * Sets {@code ai.djl.offline=true}, {@code OPT_OUT_TRACKING=true} and a predictable {@code
     * DJL_CACHE_DIR}.
     */
    public static void enforce() {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        if (System.getProperty("DJL_CACHE_DIR") == null && System.getenv("DJL_CACHE_DIR") == null) {
            System.setProperty("DJL_CACHE_DIR", DEFAULT_CACHE_DIR.toString());
        }
    }

    /** Whether {@link #enforce()} (or equivalent flags) is in effect in this JVM. */
    public static boolean isEnforced() {
        return "true".equals(System.getProperty("ai.djl.offline"))
                && ("true".equals(System.getProperty("OPT_OUT_TRACKING"))
                        || "true".equals(System.getenv("OPT_OUT_TRACKING")));
    }
}
