package io.streamtune.vision.artifact;

import io.streamtune.contracts.ArtifactRef;
import io.streamtune.contracts.Names;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Model files as chunks on the compacted artifacts topic, so a deployment needs nothing but Kafka.
 *
 * <p>Each chunk is one record: key {@code <model>/<version>/<chunk>} (UTF-8), value the raw bytes
 * (at most {@link #DEFAULT_CHUNK_BYTES} by default, so chunks fit brokers with the default 1 MiB
 * record limit), headers {@value #CHUNKS_HEADER}, {@value #SHA256_HEADER} and {@value #SIZE_HEADER}
 * describing the whole file. The returned URI is {@code
 * kafka:<topic>/<model>/<version>?offsets=<p>:<o>,...}: the offsets say where the chunks start, so
 * {@link #fetch} seeks there instead of reading the topic from its beginning (compaction keeps
 * offsets, so the hint stays valid); without them it reads every partition from the start. The
 * latest record per key wins, as compaction would decide, and a null value (tombstone) deletes the
 * chunk.
 */
public final class KafkaArtifactStore implements ArtifactStore {

    /** 1 MiB minus room for the record envelope. */
    public static final int DEFAULT_CHUNK_BYTES = (1 << 20) - 8 * 1024;

    /** Header: number of chunks of the file, decimal. */
    public static final String CHUNKS_HEADER = "artifact.chunks";

    /** Header: lower-case hex SHA-256 of the whole file. */
    public static final String SHA256_HEADER = "artifact.sha256";

    /** Header: size of the whole file in bytes, decimal. */
    public static final String SIZE_HEADER = "artifact.size";

    private static final String SCHEME = "kafka:";

    private final Map<String, Object> clientProperties;
    private final String topic;
    private final int chunkBytes;
    private final Duration timeout;
    private KafkaProducer<byte[], byte[]> producer;

    /**
     * @param clientProperties connection properties shared by every client (bootstrap servers,
     *     security, client id); serializers and the like are set here
     * @param topic full name of the artifacts topic
     * @param chunkBytes largest chunk, 1 KiB..1 MiB
     * @param timeout how long one put, fetch or delete may take
     */
    public KafkaArtifactStore(
            Map<String, Object> clientProperties, String topic, int chunkBytes, Duration timeout) {
        this.clientProperties = Map.copyOf(clientProperties);
        if (!this.clientProperties.containsKey(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new IllegalArgumentException("clientProperties lack bootstrap.servers");
        }
        this.topic = Objects.requireNonNull(topic, "topic");
        if (chunkBytes < 1024 || chunkBytes > (1 << 20)) {
            throw new IllegalArgumentException(
                    "chunkBytes must be in 1 KiB..1 MiB, was " + chunkBytes);
        }
        this.chunkBytes = chunkBytes;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** A store with {@link #DEFAULT_CHUNK_BYTES} and a one-minute timeout. */
    public static KafkaArtifactStore of(Map<String, Object> clientProperties, String topic) {
        return new KafkaArtifactStore(
                clientProperties, topic, DEFAULT_CHUNK_BYTES, Duration.ofMinutes(1));
    }

    public String topic() {
        return topic;
    }

    @Override
    public ArtifactRef put(String model, int version, byte[] bytes) throws ArtifactException {
        FileArtifactStore.requireContent(bytes);
        String prefix = prefix(model, version);
        String sha = Sha256.hex(bytes);
        int chunks = (bytes.length + chunkBytes - 1) / chunkBytes;
        List<Future<RecordMetadata>> sent = new ArrayList<>(chunks);
        try {
            KafkaProducer<byte[], byte[]> p = producer();
            for (int i = 0; i < chunks; i++) {
                byte[] chunk =
                        Arrays.copyOfRange(
                                bytes,
                                i * chunkBytes,
                                Math.min(bytes.length, (i + 1) * chunkBytes));
                RecordHeaders headers = new RecordHeaders();
                headers.add(CHUNKS_HEADER, utf8(Integer.toString(chunks)));
                headers.add(SHA256_HEADER, utf8(sha));
                headers.add(SIZE_HEADER, utf8(Integer.toString(bytes.length)));
                sent.add(
                        p.send(
                                new ProducerRecord<>(
                                        topic, null, utf8(prefix + i), chunk, headers)));
            }
            p.flush();
            Map<Integer, Long> firstOffsets = new TreeMap<>();
            for (Future<RecordMetadata> f : sent) {
                RecordMetadata m = f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                firstOffsets.merge(m.partition(), m.offset(), Math::min);
            }
            StringBuilder uri =
                    new StringBuilder(SCHEME)
                            .append(topic)
                            .append('/')
                            .append(model)
                            .append('/')
                            .append(version)
                            .append("?offsets=");
            firstOffsets.forEach(
                    (partition, offset) ->
                            uri.append(partition).append(':').append(offset).append(','));
            uri.setLength(uri.length() - 1);
            return new ArtifactRef(uri.toString(), sha, bytes.length, chunks);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArtifactException(
                    ArtifactException.Reason.IO, "interrupted while storing " + prefix, e);
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            throw new ArtifactException(
                    ArtifactException.Reason.IO,
                    "cannot store " + prefix + " on " + topic + ": " + e,
                    e);
        }
    }

    @Override
    public byte[] fetch(ArtifactRef ref) throws ArtifactException {
        Location location = Location.parse(ref.uri());
        String prefix = prefix(location.model(), location.version());
        Map<String, byte[]> latest = read(location.topic(), prefix, location.offsets());
        if (latest.isEmpty()) {
            throw new ArtifactException(
                    ArtifactException.Reason.NOT_FOUND,
                    "no chunks of " + prefix + " on " + location.topic());
        }
        // Sizes come from the announcement: check them against what is there before allocating.
        if (ref.chunks() > latest.size()) {
            throw new ArtifactException(
                    ArtifactException.Reason.INCOMPLETE,
                    prefix + " has " + latest.size() + " of " + ref.chunks() + " chunks");
        }
        if (ref.sizeBytes() > Integer.MAX_VALUE - 8) {
            throw new ArtifactException(
                    ArtifactException.Reason.CHECKSUM_MISMATCH,
                    prefix
                            + " is announced at "
                            + ref.sizeBytes()
                            + " bytes, over the 2 GiB limit");
        }
        byte[][] parts = new byte[ref.chunks()][];
        long total = 0;
        for (int i = 0; i < ref.chunks(); i++) {
            parts[i] = latest.get(prefix + i);
            if (parts[i] == null) {
                throw new ArtifactException(
                        ArtifactException.Reason.INCOMPLETE,
                        prefix
                                + " has "
                                + latest.size()
                                + " of "
                                + ref.chunks()
                                + " chunks; chunk "
                                + i
                                + " is missing");
            }
            total += parts[i].length;
        }
        if (total != ref.sizeBytes()) {
            throw new ArtifactException(
                    ArtifactException.Reason.CHECKSUM_MISMATCH,
                    prefix + " chunks hold " + total + " bytes, expected " + ref.sizeBytes());
        }
        byte[] out = new byte[(int) total];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return Sha256.verify(ref, out);
    }

    @Override
    public void delete(String model, int version) throws ArtifactException {
        String prefix = prefix(model, version);
        Map<String, byte[]> latest = read(topic, prefix, Map.of());
        try {
            KafkaProducer<byte[], byte[]> p = producer();
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (String key : latest.keySet()) {
                sent.add(p.send(new ProducerRecord<>(topic, utf8(key), null)));
            }
            p.flush();
            for (Future<RecordMetadata> f : sent) {
                f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArtifactException(
                    ArtifactException.Reason.IO, "interrupted while deleting " + prefix, e);
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            throw new ArtifactException(
                    ArtifactException.Reason.IO, "cannot delete " + prefix + ": " + e, e);
        }
    }

    @Override
    public boolean accepts(String uri) {
        return uri.startsWith(SCHEME);
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }

    /**
     * Latest non-null value of every key starting with {@code prefix}, reading up to the current
     * end.
     */
    private Map<String, byte[]> read(
            String fromTopic, String prefix, Map<Integer, Long> startOffsets)
            throws ArtifactException {
        Map<String, byte[]> latest = new HashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties())) {
            List<PartitionInfo> infos = consumer.partitionsFor(fromTopic, timeout);
            if (infos == null || infos.isEmpty()) {
                throw new ArtifactException(
                        ArtifactException.Reason.NOT_FOUND,
                        "topic " + fromTopic + " does not exist");
            }
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : infos) {
                if (startOffsets.isEmpty() || startOffsets.containsKey(info.partition())) {
                    partitions.add(new TopicPartition(fromTopic, info.partition()));
                }
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, timeout);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            for (TopicPartition tp : partitions) {
                long hint = startOffsets.getOrDefault(tp.partition(), 0L);
                consumer.seek(tp, Math.max(hint, begin.get(tp)));
            }
            while (!reachedEnd(consumer, partitions, end)) {
                if (System.nanoTime() > deadline) {
                    throw new ArtifactException(
                            ArtifactException.Reason.IO,
                            "reading "
                                    + fromTopic
                                    + " for "
                                    + prefix
                                    + " took longer than "
                                    + timeout);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key() == null) {
                        continue;
                    }
                    String key = new String(r.key(), StandardCharsets.UTF_8);
                    if (key.startsWith(prefix)) {
                        if (r.value() == null) {
                            latest.remove(key);
                        } else {
                            latest.put(key, r.value());
                        }
                    }
                }
            }
        } catch (KafkaException e) {
            throw new ArtifactException(
                    ArtifactException.Reason.IO, "cannot read " + fromTopic + ": " + e, e);
        }
        return latest;
    }

    private static boolean reachedEnd(
            KafkaConsumer<byte[], byte[]> consumer,
            List<TopicPartition> partitions,
            Map<TopicPartition, Long> end) {
        for (TopicPartition tp : partitions) {
            if (consumer.position(tp) < end.get(tp)) {
                return false;
            }
        }
        return true;
    }

    private synchronized KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            Map<String, Object> p = new HashMap<>(clientProperties);
            p.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId("producer"));
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            p.put(
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                    ByteArraySerializer.class.getName());
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(2 * (1 << 20)));
            // Kafka requires delivery.timeout >= linger + request.timeout; a missing topic fails
            // after the timeout.
            p.put(
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                    Long.toString(Math.max(120_000, timeout.toMillis())));
            p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(timeout.toMillis()));
            p.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
            producer = new KafkaProducer<>(p);
        }
        return producer;
    }

    private Map<String, Object> consumerProperties() {
        Map<String, Object> p = new HashMap<>(clientProperties);
        p.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId("consumer"));
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // A fetch must never create the artifacts topic as a side effect of asking for it.
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(8 * (1 << 20)));
        return p;
    }

    private String clientId(String role) {
        Object base =
                clientProperties.getOrDefault(CommonClientConfigs.CLIENT_ID_CONFIG, "streamtune");
        return base + "-artifacts-" + role + "-" + Long.toHexString(System.nanoTime());
    }

    private static String prefix(String model, int version) {
        Names.requireModelName(model);
        if (version < 1) {
            throw new IllegalArgumentException("version must be >= 1, was " + version);
        }
        return model + "/" + version + "/";
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The parts of a {@code kafka:} artifact URI. */
    record Location(String topic, String model, int version, Map<Integer, Long> offsets) {

        static Location parse(String uri) throws ArtifactException {
            if (!uri.startsWith(SCHEME)) {
                throw new ArtifactException(
                        ArtifactException.Reason.UNSUPPORTED_URI, "not a kafka: URI: " + uri);
            }
            String rest = uri.substring(SCHEME.length());
            String query = "";
            int q = rest.indexOf('?');
            if (q >= 0) {
                query = rest.substring(q + 1);
                rest = rest.substring(0, q);
            }
            String[] parts = rest.split("/");
            try {
                if (parts.length != 3) {
                    throw new IllegalArgumentException("expected kafka:<topic>/<model>/<version>");
                }
                Map<Integer, Long> offsets = new TreeMap<>();
                if (query.startsWith("offsets=")) {
                    for (String po : query.substring("offsets=".length()).split(",")) {
                        String[] kv = po.split(":");
                        offsets.put(Integer.parseInt(kv[0]), Long.parseLong(kv[1]));
                    }
                }
                int version = Integer.parseInt(parts[2]);
                Names.requireModelName(parts[1]);
                return new Location(parts[0], parts[1], version, offsets);
            } catch (RuntimeException e) {
                throw new ArtifactException(
                        ArtifactException.Reason.UNSUPPORTED_URI,
                        "bad artifact URI " + uri + ": " + e.getMessage(),
                        e);
            }
        }
    }
}
