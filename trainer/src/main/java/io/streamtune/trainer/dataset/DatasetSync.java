package io.streamtune.trainer.dataset;

import io.streamtune.contracts.LabelledImageAccepted;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a {@link DatasetStore} up to date with the compacted labelled-images topic: reads each
 * partition from the store's offsets to the end offsets seen when the sync started, applies adds,
 * relabels and tombstones of the store's model, skips (and counts) records it cannot parse.
 */
public final class DatasetSync {

    private static final Logger LOG = LoggerFactory.getLogger(DatasetSync.class);

    private final java.util.function.Supplier<
                    org.apache.kafka.clients.consumer.Consumer<byte[], byte[]>>
            consumers;
    private final String topic;

    /**
     * {@code consumerProperties} without a group (partitions are assigned, offsets kept in the
     * store).
     */
    public DatasetSync(Map<String, Object> consumerProperties, String topic) {
        this(io.streamtune.runtime.KafkaSettings.assignedConsumers(consumerProperties), topic);
    }

    /**
     * Reads {@code topic} through a fresh consumer from {@code consumers} for each call (closed
     * after it); partitions are assigned, never a group.
     */
    public DatasetSync(
            java.util.function.Supplier<org.apache.kafka.clients.consumer.Consumer<byte[], byte[]>>
                    consumers,
            String topic) {
        this.consumers = consumers;
        this.topic = topic;
    }

    /** What one sync did. */
    public record Result(
            long recordsRead,
            long upserts,
            long deletes,
            long corrupt,
            int samples,
            Map<Integer, Long> offsets) {}

    /** Reads everything new for the store's model; the store's offsets are committed at the end. */
    public Result sync(DatasetStore store, Duration timeout) {
        String prefix = store.model() + "/";
        long read = 0, upserts = 0, deletes = 0, corrupt = 0;
        try (org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer =
                consumers.get()) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo p : consumer.partitionsFor(topic, timeout)) {
                partitions.add(new TopicPartition(topic, p.partition()));
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, timeout);
            List<TopicPartition> pending = new ArrayList<>();
            for (TopicPartition tp : partitions) {
                long from =
                        Math.max(store.offsets().getOrDefault(tp.partition(), 0L), begin.get(tp));
                if (from < end.get(tp)) {
                    consumer.seek(tp, from);
                    pending.add(tp);
                }
            }
            consumer.pause(partitions);
            consumer.resume(pending);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!pending.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "dataset sync of "
                                    + store.model()
                                    + " did not reach the end of "
                                    + topic
                                    + " within "
                                    + timeout
                                    + " (still "
                                    + pending
                                    + ")");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    read++;
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    store.advance(r.partition(), r.offset() + 1);
                    String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
                    if (!key.startsWith(prefix)) {
                        continue;
                    }
                    String sampleId = key.substring(prefix.length());
                    if (r.value() == null) {
                        store.delete(sampleId);
                        deletes++;
                        continue;
                    }
                    try {
                        LabelledImageAccepted s =
                                io.streamtune.contracts.Topics.IMAGES_LABELLED.value(r.value());
                        if (!s.model().equals(store.model()) || !s.sampleId().equals(sampleId)) {
                            throw new IllegalArgumentException(
                                    "key " + key + " does not match value " + s.key());
                        }
                        store.put(s);
                        upserts++;
                    } catch (RuntimeException e) {
                        corrupt++;
                        store.countCorrupt();
                        LOG.warn(
                                "skipping corrupt labelled image at {}-{}@{}: {}",
                                r.topic(),
                                r.partition(),
                                r.offset(),
                                e.getMessage());
                    }
                }
                for (TopicPartition tp : List.copyOf(pending)) {
                    if (consumer.position(tp) >= end.get(tp)) {
                        store.advance(tp.partition(), end.get(tp));
                        pending.remove(tp);
                        consumer.pause(List.of(tp));
                    }
                }
            }
        }
        store.commit();
        return new Result(
                read, upserts, deletes, corrupt, store.size(), Map.copyOf(store.offsets()));
    }
}
