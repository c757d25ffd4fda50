package io.streamtune.contracts;

import java.util.Map;
import java.util.Objects;

/**
 * How a topic is laid out: partitions, and the topic-level configs that must hold for the services
 * that use it (compaction, retention, maximum record size).
 *
 * @param partitions partition count used when the topic is created
 * @param configs topic configs set at creation
 * @param requiredConfigs configs an existing topic must already have, checked at start-up
 */
public record TopicSpec(
        int partitions, Map<String, String> configs, Map<String, String> requiredConfigs) {

    /** Largest record a topic accepts, sized for the default 8 MiB image limit plus envelope. */
    public static final int MAX_RECORD_BYTES = 16 * 1024 * 1024;

    public TopicSpec {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, was " + partitions);
        }
        configs = Map.copyOf(Objects.requireNonNull(configs, "configs"));
        requiredConfigs = Map.copyOf(Objects.requireNonNull(requiredConfigs, "requiredConfigs"));
    }

    /** A time-retained log (delete policy). */
    public static TopicSpec log(int partitions, long retentionMs) {
        return new TopicSpec(
                partitions,
                Map.of(
                        "cleanup.policy", "delete",
                        "retention.ms", Long.toString(retentionMs),
                        "max.message.bytes", Integer.toString(MAX_RECORD_BYTES)),
                Map.of("cleanup.policy", "delete"));
    }

    /** A compacted table: the latest value per key is kept forever. */
    public static TopicSpec compacted(int partitions) {
        return new TopicSpec(
                partitions,
                Map.of(
                        "cleanup.policy", "compact",
                        "min.compaction.lag.ms", "60000",
                        "max.message.bytes", Integer.toString(MAX_RECORD_BYTES)),
                Map.of("cleanup.policy", "compact"));
    }

    /**
     * Compacted and time-retained: the latest value per key, kept for {@code retentionMs} (a queue
     * of work items that must not pile up for ever).
     */
    public static TopicSpec compactedFor(int partitions, long retentionMs) {
        return new TopicSpec(
                partitions,
                Map.of(
                        "cleanup.policy",
                        "compact,delete",
                        "retention.ms",
                        Long.toString(retentionMs),
                        "min.compaction.lag.ms",
                        "60000",
                        "max.message.bytes",
                        Integer.toString(MAX_RECORD_BYTES)),
                Map.of("cleanup.policy", "compact,delete"));
    }
}
