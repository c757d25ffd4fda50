package io.streamtune.runtime;

import java.util.UUID;

/**
 * Settings every service shares: where its HTTP side listens, how it reaches Kafka, how topics are
 * created, and its instance id.
 *
 * @param service service name (ingest, trainer, inference)
 * @param httpHost {@code http.host}, default 0.0.0.0
 * @param httpPort {@code http.port}, 0 = any free port
 * @param kafka Kafka client settings
 * @param topicReplication {@code topic.replication.factor} for topics this service creates, -1 =
 *     broker default
 * @param instanceId {@code instance.id}, default service name + random suffix
 */
public record ServiceConfig(
        String service,
        String httpHost,
        int httpPort,
        KafkaSettings kafka,
        short topicReplication,
        String instanceId) {

    /**
     * Reads the shared keys from a config source; {@code defaultPort} is the service's usual port.
     */
    public static ServiceConfig from(ConfigSource config, String service, int defaultPort) {
        return new ServiceConfig(
                service,
                config.string("http.host", "0.0.0.0"),
                config.integer("http.port", defaultPort, 0, 65535),
                KafkaSettings.from(config),
                (short) config.integer("topic.replication.factor", -1, -1, 32),
                config.string(
                        "instance.id",
                        service + "-" + UUID.randomUUID().toString().substring(0, 8)));
    }
}
