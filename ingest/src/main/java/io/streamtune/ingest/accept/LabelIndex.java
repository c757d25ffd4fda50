package io.streamtune.ingest.accept;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.Label;
import io.streamtune.ingest.validate.Digests;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which samples are in the labelled topic, and with which label: sample key → label hash. Loaded by
 * reading the compacted labelled topic from the beginning to its end offsets at start-up, then kept
 * current by the {@link Acceptor} after each acknowledged write and, when {@link #follow followed},
 * by reading what others write. The topic is the source of truth, so after a crash (even kill -9) a
 * reload sees exactly what was written and nothing is sent twice.
 *
 * <p>Records written by ingest carry the label hash in the {@link #LABEL_HASH_HEADER} header; other
 * records are parsed. Thread-safe. Memory: one entry (~150 bytes) per sample.
 */
public final class LabelIndex {

    /** Header holding the 8-byte label hash on labelled records written by ingest. */
    public static final String LABEL_HASH_HEADER = "streamtune.label.hash";

    private static final Logger log = LoggerFactory.getLogger(LabelIndex.class);

    private final Map<String, Long> labels = new ConcurrentHashMap<>();

    /** An empty index. */
    public LabelIndex() {}

    /**
     * Reads the labelled topic up to its current end. {@code keyFilter} limits what is kept (e.g.
     * one model's keys for an import).
     */
    public static LabelIndex load(
            Consumer<byte[], byte[]> consumer,
            String topic,
            Predicate<String> keyFilter,
            Duration timeout) {
        LabelIndex index = new LabelIndex();
        List<TopicPartition> partitions =
                consumer.partitionsFor(topic, timeout).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition()))
                        .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        long records = 0;
        while (!caughtUp(consumer, end)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "could not read " + topic + " to its end within " + timeout);
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                records++;
                index.apply(r, keyFilter);
            }
        }
        log.info(
                "label index loaded from {}: {} records read, {} samples",
                topic,
                records,
                index.size());
        return index;
    }

    /**
     * Keeps the index current with writes by others (another ingest instance, an import CLI) by
     * reading on from where {@link #load} stopped, on a daemon thread, until the returned handle is
     * closed. The consumer must be the one {@code load} used; the follower owns and closes it.
     */
    public AutoCloseable follow(Consumer<byte[], byte[]> consumer, Predicate<String> keyFilter) {
        java.util.concurrent.atomic.AtomicBoolean running =
                new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread thread =
                new Thread(
                        () -> {
                            try {
                                while (running.get()) {
                                    for (ConsumerRecord<byte[], byte[]> r :
                                            consumer.poll(Duration.ofMillis(500))) {
                                        apply(r, keyFilter);
                                    }
                                }
                            } catch (org.apache.kafka.common.errors.WakeupException e) {
                                // closing
                            } catch (RuntimeException e) {
                                log.error(
                                        "label index stopped following the labelled topic: {}",
                                        e.toString());
                            } finally {
                                consumer.close(Duration.ofSeconds(2));
                            }
                        },
                        "ingest-label-index");
        thread.setDaemon(true);
        thread.start();
        return () -> {
            running.set(false);
            consumer.wakeup();
            thread.join(5_000);
        };
    }

    private void apply(ConsumerRecord<byte[], byte[]> r, Predicate<String> keyFilter) {
        if (r.key() == null) {
            return;
        }
        String key = new String(r.key(), StandardCharsets.UTF_8);
        if (!keyFilter.test(key)) {
            return;
        }
        if (r.value() == null) {
            labels.remove(key);
        } else {
            labelHash(r).ifPresent(h -> labels.put(key, h));
        }
    }

    private static boolean caughtUp(
            Consumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (var e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static Optional<Long> labelHash(ConsumerRecord<byte[], byte[]> r) {
        Header h = r.headers().lastHeader(LABEL_HASH_HEADER);
        if (h != null && h.value().length == 8) {
            return Optional.of(ByteBuffer.wrap(h.value()).getLong());
        }
        try {
            return Optional.of(
                    Digests.labelHash(
                            JsonSerde.MAPPER.readValue(r.value(), LabelOnly.class).label()));
        } catch (java.io.IOException | RuntimeException e) {
            log.warn(
                    "unreadable labelled record at {}-{}@{}: {}",
                    r.topic(),
                    r.partition(),
                    r.offset(),
                    e.toString());
            return Optional.empty();
        }
    }

    /**
     * Just the label of a labelled record; the image field is skipped by the parser, not
     * materialized.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record LabelOnly(Label label) {}

    /** The label hash stored for a sample key. */
    public Optional<Long> get(String key) {
        return Optional.ofNullable(labels.get(key));
    }

    /** Records that a key now holds a label. */
    public void put(String key, long labelHash) {
        labels.put(key, labelHash);
    }

    /** Number of samples. */
    public int size() {
        return labels.size();
    }

    /** Encodes a label hash for {@link #LABEL_HASH_HEADER}. */
    public static byte[] encode(long labelHash) {
        return ByteBuffer.allocate(8).putLong(labelHash).array();
    }
}
