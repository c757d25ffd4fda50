package io.streamtune.inference;

import io.streamtune.runtime.ConfigSource;
import io.streamtune.runtime.ServiceConfig;

/**
 * Every setting of the inference service, read once at start-up; a bad value fails start-up naming its key.
 *
 * @param service shared service settings (HTTP, Kafka, topics)
 */
public record InferenceConfig(ServiceConfig service) {

    /** Default HTTP port of the inference service. */
    public static final int DEFAULT_HTTP_PORT = 8083;

    /** Reads and checks the configuration. */
    public static InferenceConfig from(ConfigSource config) {
        return new InferenceConfig(ServiceConfig.from(config, "inference", DEFAULT_HTTP_PORT));
    }
}
