package io.streamtune.trainer.publish;

import io.streamtune.contracts.ModelPublished;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the compacted models topic to the end: the latest announcement per model is production (a
 * rollback re-announces an older version, which is then production again).
 */
public final class ProductionModels {

    private final java.util.function.Supplier<
                    org.apache.kafka.clients.consumer.Consumer<byte[], byte[]>>
            consumers;
    private final String topic;

    public ProductionModels(Map<String, Object> consumerProperties, String topic) {
        this(io.streamtune.runtime.KafkaSettings.assignedConsumers(consumerProperties), topic);
    }

    /**
     * Reads {@code topic} through a fresh consumer from {@code consumers} for each call (closed
     * after it); partitions are assigned, never a group.
     */
    public ProductionModels(
            java.util.function.Supplier<org.apache.kafka.clients.consumer.Consumer<byte[], byte[]>>
                    consumers,
            String topic) {
        this.consumers = consumers;
        this.topic = topic;
    }

    /** The production version of {@code model}, if any was ever published. */
    public Optional<ModelPublished> current(String model, Duration timeout) {
        ModelPublished latest = null;
        try (org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> c = consumers.get()) {
            List<TopicPartition> parts = new ArrayList<>();
            for (PartitionInfo p : c.partitionsFor(topic, timeout)) {
                parts.add(new TopicPartition(topic, p.partition()));
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "could not read " + topic + " to its end within " + timeout);
                }
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (r.key() == null
                            || !model.equals(new String(r.key(), StandardCharsets.UTF_8))) {
                        continue;
                    }
                    if (r.value() == null) {
                        latest = null;
                        continue;
                    }
                    try {
                        ModelPublished p =
                                io.streamtune.contracts.Topics.MODELS_PUBLISHED.value(r.value());
                        // the latest record is production, also when it re-announces a lower
                        // version (a rollback)
                        latest = p;
                    } catch (RuntimeException e) {
                        // an unreadable announcement is not production; the next valid one is
                    }
                }
            }
        }
        return Optional.ofNullable(latest);
    }
}
