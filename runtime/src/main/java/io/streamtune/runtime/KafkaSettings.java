package io.streamtune.runtime;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * How a service reaches Kafka: {@code kafka.bootstrap.servers}, the topic prefix, and any other
 * client property passed through verbatim from {@code kafka.*} keys (SASL, TLS, timeouts), e.g.
 * {@code STREAMTUNE_KAFKA_SECURITY_PROTOCOL=SASL_SSL}.
 *
 * @param bootstrapServers {@code host:port[,host:port]}
 * @param topicPrefix prefix in front of every topic name
 * @param clientProperties pass-through client properties
 * @param maxRecordBytes largest record this service produces or fetches
 */
public record KafkaSettings(
        String bootstrapServers,
        String topicPrefix,
        Map<String, String> clientProperties,
        int maxRecordBytes) {

    public KafkaSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        if (!bootstrapServers.matches("[^\\s,]+:\\d+(,[^\\s,]+:\\d+)*")) {
            throw new ConfigException(
                    "kafka.bootstrap.servers",
                    "must be host:port[,host:port...], was '" + bootstrapServers + "'");
        }
        Objects.requireNonNull(topicPrefix, "topicPrefix");
        if (!topicPrefix.matches("[a-zA-Z0-9._-]*")) {
            throw new ConfigException(
                    "topic.prefix",
                    "may only contain a-z A-Z 0-9 . _ -, was '" + topicPrefix + "'");
        }
        clientProperties = Map.copyOf(clientProperties);
    }

    /**
     * Reads {@code kafka.bootstrap.servers} (default localhost:9092), {@code topic.prefix} and
     * {@code kafka.*}.
     */
    public static KafkaSettings from(ConfigSource config) {
        Map<String, String> passThrough = new HashMap<>(config.withPrefix("kafka."));
        passThrough.remove("bootstrap.servers");
        passThrough.remove("max.record.bytes");
        return new KafkaSettings(
                ServiceConfig.BOOTSTRAP.get(config),
                ServiceConfig.TOPIC_PREFIX.get(config),
                passThrough,
                (int) (long) ServiceConfig.MAX_RECORD_BYTES.get(config));
    }

    /** Properties shared by every client. */
    public Map<String, Object> common(String clientId) {
        Map<String, Object> p = new HashMap<>(clientProperties);
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        return p;
    }

    /**
     * Durable producer: idempotent, acks=all, lz4, sized for images. Byte-array serdes by default.
     *
     * <p>The socket send buffer is left to the OS ({@code send.buffer.bytes=-1}, autotuned by
     * Linux) instead of Kafka's fixed 128 KB: the JDK copies every remaining byte of a heap-buffer
     * write into a temporary direct buffer on each write call, so a multi-MB produce request going
     * out through a 128 KB socket buffer is copied again and again until it has left; in the ingest
     * bench that re-copying took 22% of the intake path's CPU (perf), and both the raw producer and
     * the intake path ran faster without it.
     */
    public Map<String, Object> producer(String clientId) {
        Map<String, Object> p = common(clientId);
        p.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        p.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
        // Records of ~100 KB images: with the default 16 KB batches every record travels alone.
        p.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(1 << 20));
        p.putIfAbsent(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(maxRecordBytes));
        p.putIfAbsent(ProducerConfig.SEND_BUFFER_CONFIG, "-1");
        p.putIfAbsent(
                ProducerConfig.BUFFER_MEMORY_CONFIG,
                Long.toString(Math.max(64L << 20, 4L * maxRecordBytes)));
        p.putIfAbsent(
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.putIfAbsent(
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    /**
     * {@link #producer} for records whose bulk is an image (JPEG/PNG bytes, raw or as base64 JSON):
     * uncompressed unless {@code kafka.compression.type} says otherwise. Images are entropy-coded
     * already and lz4 finds nothing in their base64 text either (ratio 1.00 on a 260 KB JPEG,
     * measured by hand), yet every compressed batch costs a compression in the producer, a
     * decompression in the broker (it validates each record of a compacted topic) and another in
     * every consumer.
     */
    public Map<String, Object> imageProducer(String clientId) {
        Map<String, Object> p = producer(clientId);
        if (!clientProperties.containsKey(ProducerConfig.COMPRESSION_TYPE_CONFIG)) {
            p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        }
        return p;
    }

    /**
     * Consumer in a group, manual commits, read_committed, sized for images. Byte-array serdes by
     * default.
     */
    public Map<String, Object> consumer(String clientId, String groupId) {
        Map<String, Object> p = common(clientId);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.putIfAbsent(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.putIfAbsent(
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(maxRecordBytes));
        p.putIfAbsent(
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG,
                Integer.toString(Math.max(52428800, maxRecordBytes)));
        p.putIfAbsent(
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        p.putIfAbsent(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        return p;
    }

    /** Admin client. */
    public Map<String, Object> admin(String clientId) {
        return common(clientId);
    }

    /** A topic name with this deployment's prefix. */
    public String topic(String name) {
        return topicPrefix + name;
    }

    /**
     * Fresh byte-array consumers for reading a topic by assigned partitions: no group, no
     * auto-commit ({@code consumerProperties}' group is dropped); one per call, closed by the
     * caller.
     */
    public static java.util.function.Supplier<
                    org.apache.kafka.clients.consumer.Consumer<byte[], byte[]>>
            assignedConsumers(Map<String, Object> consumerProperties) {
        Map<String, Object> props = new HashMap<>(consumerProperties);
        props.remove("group.id");
        props.put("enable.auto.commit", "false");
        props.put(
                "key.deserializer",
                org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName());
        props.put(
                "value.deserializer",
                org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName());
        return () -> new org.apache.kafka.clients.consumer.KafkaConsumer<>(props);
    }

    /** {@code topic} under this deployment's prefix: its name, serdes and layout. */
    public <K, V> io.streamtune.contracts.Topic<K, V> topic(
            io.streamtune.contracts.Topic<K, V> topic) {
        return topic.withPrefix(topicPrefix);
    }
}
