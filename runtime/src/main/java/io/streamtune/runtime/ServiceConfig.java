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

    /** The keys every service shares, declared once: the README's table is generated from it. */
    public static final ConfigDef DEF = new ConfigDef("shared");

    /** {@code kafka.bootstrap.servers}. */
    public static final ConfigDef.Setting<String> BOOTSTRAP =
            DEF.string("kafka.bootstrap.servers", "localhost:9092", "the Kafka cluster");

    /** {@code kafka.*}: every Kafka client property, passed through. */
    public static final ConfigDef.Setting<Void> KAFKA_PROPERTIES =
            DEF.family(
                    "kafka.<any client property>",
                    "string",
                    "passed to every Kafka client verbatim: `kafka.security.protocol`,"
                            + " `kafka.sasl.mechanism`, `kafka.sasl.jaas.config`,"
                            + " `kafka.ssl.truststore.location`, … Producers default to `acks=all`,"
                            + " idempotence, 1 MiB batches and `send.buffer.bytes=-1` (the OS sizes"
                            + " the socket buffer; Kafka's fixed 128 KB made the JDK re-copy"
                            + " multi-MB requests on every partial write); image producers are"
                            + " uncompressed");

    /** {@code kafka.max.record.bytes}. */
    public static final ConfigDef.Setting<Long> MAX_RECORD_BYTES =
            DEF.size(
                    "kafka.max.record.bytes",
                    16L << 20,
                    1L << 20,
                    1L << 30,
                    "largest record produced or fetched");

    /** {@code topic.prefix}. */
    public static final ConfigDef.Setting<String> TOPIC_PREFIX =
            DEF.string("topic.prefix", "", "prefix for every topic name (`a-z A-Z 0-9 . _ -`)");

    static final ConfigDef.Setting<Integer> REPLICATION =
            DEF.integer(
                            "topic.replication.factor",
                            -1,
                            -1,
                            32,
                            "replication of the topics a service creates; `-1`: the broker's"
                                    + " default")
                    .shownAs("-1");

    static final ConfigDef.Setting<String> HTTP_HOST =
            DEF.string("http.host", "0.0.0.0", "where health, metrics (and ingest's API) listen");

    static final ConfigDef.Setting<Integer> HTTP_PORT =
            DEF.integer("http.port", 0, 0, 65535, "`0`: any free port")
                    .shownAs("8081 ingest, 8082 trainer, 8083 inference");

    static final ConfigDef.Setting<String> INSTANCE_ID =
            DEF.string("instance.id", null, "client ids, events, consumer group members")
                    .shownAs("service name + random suffix");

    /** {@code data.dir}: local state (read by the services that keep any). */
    public static final ConfigDef.Setting<java.nio.file.Path> DATA_DIR =
            DEF.path(
                    "data.dir",
                    java.nio.file.Path.of(".streamtune"),
                    ".streamtune",
                    "local state: dataset cache, Streams state, models");

    /** {@code models.signing.key}: read by the services that write or follow announcements. */
    public static final ConfigDef.Setting<String> SIGNING_KEY =
            DEF.secret(
                    AnnouncementSigner.KEY,
                    "trainer and inference: the trainer signs every announcement with it"
                            + " (HMAC-SHA256); inference refuses announcements (production and"
                            + " candidates) not signed with it before their artifact is fetched"
                            + " (`SIGNATURE_INVALID`); at least 32 random characters");

    /**
     * Reads the shared keys from a config source; {@code defaultPort} is the service's usual port.
     */
    public static ServiceConfig from(ConfigSource config, String service, int defaultPort) {
        return new ServiceConfig(
                service,
                HTTP_HOST.get(config),
                HTTP_PORT.get(config, defaultPort),
                KafkaSettings.from(config),
                (short) (int) REPLICATION.get(config),
                INSTANCE_ID.get(
                        config, service + "-" + UUID.randomUUID().toString().substring(0, 8)));
    }
}
