package io.streamtune.kafka.embedded;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settings that point a streamtune service at a broker, alone on a machine: its topics under a
 * prefix, its admin HTTP server on loopback at a free port. Tests, benchmarks and demos start from
 * these and add their own keys.
 */
public final class ServiceSettings {

    private ServiceSettings() {}

    /**
     * {@code kafka.bootstrap.servers}, {@code topic.prefix}, {@code http.host=127.0.0.1} and {@code
     * http.port=0}, then {@code more} as key, value pairs (a key given again replaces the value
     * before it).
     *
     * @throws IllegalArgumentException when {@code more} is not key, value pairs
     */
    public static Map<String, String> loopback(String bootstrap, String prefix, String... more) {
        if (more.length % 2 != 0) {
            throw new IllegalArgumentException(
                    "settings must come as key, value pairs; " + more.length + " strings given");
        }
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("kafka.bootstrap.servers", bootstrap);
        settings.put("topic.prefix", prefix);
        settings.put("http.host", "127.0.0.1");
        settings.put("http.port", "0");
        for (int i = 0; i < more.length; i += 2) {
            settings.put(more[i], more[i + 1]);
        }
        return settings;
    }
}
