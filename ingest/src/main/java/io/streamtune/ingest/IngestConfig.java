package io.streamtune.ingest;

import io.streamtune.runtime.ConfigSource;
import io.streamtune.runtime.ServiceConfig;

/**
 * Every setting of the ingest service, read once at start-up; a bad value fails start-up naming its key.
 *
 * @param service shared service settings (HTTP, Kafka, topics)
 */
public record IngestConfig(ServiceConfig service) {

    /** Default HTTP port of the ingest service. */
    public static final int DEFAULT_HTTP_PORT = 8081;

    /** Reads and checks the configuration. */
    public static IngestConfig from(ConfigSource config) {
        return new IngestConfig(ServiceConfig.from(config, "ingest", DEFAULT_HTTP_PORT));
    }
}
