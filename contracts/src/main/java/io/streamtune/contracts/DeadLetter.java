package io.streamtune.contracts;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A record that could not be processed, parked on {@code <topic>.dlq}: the original key and value
 * untouched, with the reason and the origin in headers ({@code dlq.*}, UTF-8 strings).
 *
 * @param reason machine-readable reason, low-cardinality (e.g. {@code corrupt_image}); also the
 *     {@code reason} tag of the rejected-records counters
 * @param detail human-readable detail naming what is wrong
 * @param service service that rejected it
 * @param sourceTopic topic the record came from, or {@code http}/{@code import} for non-Kafka input
 * @param sourcePartition partition, -1 when not from Kafka
 * @param sourceOffset offset, -1 when not from Kafka
 * @param key original key bytes, may be null
 * @param value original value bytes, may be null
 * @param rejectedAt when
 */
public record DeadLetter(
        String reason,
        String detail,
        String service,
        String sourceTopic,
        int sourcePartition,
        long sourceOffset,
        byte[] key,
        byte[] value,
        Instant rejectedAt) {

    public static final String REASON = "dlq.reason";
    public static final String DETAIL = "dlq.detail";
    public static final String SERVICE = "dlq.service";
    public static final String SOURCE_TOPIC = "dlq.source.topic";
    public static final String SOURCE_PARTITION = "dlq.source.partition";
    public static final String SOURCE_OFFSET = "dlq.source.offset";
    public static final String REJECTED_AT = "dlq.rejected.at";

    public DeadLetter {
        Objects.requireNonNull(reason, "reason");
        if (!reason.matches("[a-z0-9_]{1,64}")) {
            throw new IllegalArgumentException(
                    "reason must be 1-64 of [a-z0-9_], was '" + reason + "'");
        }
        Objects.requireNonNull(detail, "detail");
        if (detail.length() > 4096) {
            detail = detail.substring(0, 4093) + "...";
        }
        Names.requireText(service, "service", 64);
        Names.requireText(sourceTopic, "sourceTopic", 255);
        Objects.requireNonNull(rejectedAt, "rejectedAt");
    }

    /** A dead letter for a consumed record, keeping its bytes and position. */
    public static DeadLetter of(
            ConsumerRecord<byte[], byte[]> record,
            String reason,
            String detail,
            String service,
            Instant now) {
        return new DeadLetter(
                reason,
                detail,
                service,
                record.topic(),
                record.partition(),
                record.offset(),
                record.key(),
                record.value(),
                now);
    }

    /** Header: the original value's size in bytes, present when the value was cut. */
    public static final String ORIGINAL_VALUE_BYTES = "dlq.original.value.bytes";

    /** Header: the original key's size in bytes, present when the key was cut. */
    public static final String ORIGINAL_KEY_BYTES = "dlq.original.key.bytes";

    /**
     * Header: the original record's headers' size in bytes, present when they were too large to
     * keep on the dead letter (otherwise they are copied as they came).
     */
    public static final String ORIGINAL_HEADERS_BYTES = "dlq.original.headers.bytes";

    /** Longest key kept whole on a dead-letter topic. */
    public static final int MAX_KEY_BYTES = 1024;

    /** Room left for headers and record overhead under the record limit. */
    private static final int HEADROOM = 64 * 1024;

    /** The record to produce to a dead-letter topic with the default record limit. */
    public ProducerRecord<byte[], byte[]> toProducerRecord(String dlqTopic) {
        return toProducerRecord(dlqTopic, TopicSpec.MAX_RECORD_BYTES);
    }

    /**
     * The record to produce to a dead-letter topic, always within {@code maxRecordBytes}: a value
     * that would not fit with the headers is cut to a prefix and a key longer than {@link
     * #MAX_KEY_BYTES} to its first bytes, each with its original size in a header — a dead letter
     * that cannot be written would wedge its partition in a retry loop.
     */
    public ProducerRecord<byte[], byte[]> toProducerRecord(String dlqTopic, int maxRecordBytes) {
        Headers headers = new RecordHeaders();
        byte[] k = key;
        if (k != null && k.length > MAX_KEY_BYTES) {
            headers.add(ORIGINAL_KEY_BYTES, utf8(Integer.toString(k.length)));
            k = java.util.Arrays.copyOf(k, MAX_KEY_BYTES);
        }
        byte[] v = value;
        int room = Math.max(0, maxRecordBytes - HEADROOM - (k == null ? 0 : k.length));
        if (v != null && v.length > room) {
            headers.add(ORIGINAL_VALUE_BYTES, utf8(Integer.toString(v.length)));
            v = java.util.Arrays.copyOf(v, room);
        }
        headers.add(REASON, utf8(reason));
        headers.add(DETAIL, utf8(detail));
        headers.add(SERVICE, utf8(service));
        headers.add(SOURCE_TOPIC, utf8(sourceTopic));
        headers.add(SOURCE_PARTITION, utf8(Integer.toString(sourcePartition)));
        headers.add(SOURCE_OFFSET, utf8(Long.toString(sourceOffset)));
        headers.add(REJECTED_AT, utf8(rejectedAt.toString()));
        return new ProducerRecord<>(dlqTopic, null, k, v, headers);
    }

    /** Reads a dead letter back from a record of a dead-letter topic. */
    public static DeadLetter fromConsumerRecord(ConsumerRecord<byte[], byte[]> record) {
        Headers h = record.headers();
        return new DeadLetter(
                header(h, REASON),
                header(h, DETAIL),
                header(h, SERVICE),
                header(h, SOURCE_TOPIC),
                Integer.parseInt(header(h, SOURCE_PARTITION)),
                Long.parseLong(header(h, SOURCE_OFFSET)),
                record.key(),
                record.value(),
                Instant.parse(header(h, REJECTED_AT)));
    }

    private static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        if (header == null) {
            throw new IllegalArgumentException("dead letter lacks header " + name);
        }
        return new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
