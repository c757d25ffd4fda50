package io.streamtune.ingest.accept;

import java.util.Objects;
import org.apache.kafka.common.header.Headers;

/**
 * Where a submission came from, for metrics and dead letters.
 *
 * @param channel {@code http}, {@code kafka} or {@code import}: the {@code source} metric tag
 * @param topic source topic, or the channel name when not from Kafka
 * @param partition partition, -1 when not from Kafka
 * @param offset offset, -1 when not from Kafka
 * @param key original key bytes for the dead letter, may be null
 * @param value original value bytes for the dead letter; null = the submission re-encoded as intake
 *     JSON
 * @param headers the original record's headers, kept on the dead letter (a binary intake record's
 *     label travels in them); may be null
 */
public record Origin(
        String channel,
        String topic,
        int partition,
        long offset,
        byte[] key,
        byte[] value,
        Headers headers) {

    public Origin {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(topic, "topic");
    }

    /** An origin whose record carried no headers worth keeping. */
    public Origin(
            String channel, String topic, int partition, long offset, byte[] key, byte[] value) {
        this(channel, topic, partition, offset, key, value, null);
    }

    /** An origin outside Kafka (HTTP, import). */
    public static Origin of(String channel) {
        return new Origin(channel, channel, -1, -1, null, null);
    }
}
