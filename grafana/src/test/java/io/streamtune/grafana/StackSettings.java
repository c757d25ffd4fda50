package io.streamtune.grafana;

import java.util.Map;

/** Service settings that make the demo train quickly enough for a test. */
final class StackSettings {

    static final int IMAGE_SIZE = 48;

    private StackSettings() {}

    static Map<String, String> fastDemo() {
        return Map.of(
                "http.auth.enabled", "false",
                "inference.model", "shapes",
                "trigger.threshold", "60");
    }
}
