package io.streamtune.trainer;

import io.streamtune.runtime.ConfigSource;
import io.streamtune.runtime.ServiceConfig;

/**
 * Every setting of the trainer service, read once at start-up; a bad value fails start-up naming its key.
 *
 * @param service shared service settings (HTTP, Kafka, topics)
 */
public record TrainerConfig(ServiceConfig service) {

    /** Default HTTP port of the trainer service. */
    public static final int DEFAULT_HTTP_PORT = 8082;

    /** Reads and checks the configuration. */
    public static TrainerConfig from(ConfigSource config) {
        return new TrainerConfig(ServiceConfig.from(config, "trainer", DEFAULT_HTTP_PORT));
    }
}
