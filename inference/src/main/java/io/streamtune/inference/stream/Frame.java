package io.streamtune.inference.stream;

import io.streamtune.contracts.FrameHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/**
 * A consumed frame: the record and what the prediction will say about it.
 *
 * @param record the frame record as consumed
 * @param cameraId its key as UTF-8, empty when it has none
 * @param frameId the {@code frame-id} header, else {@code <topic>-<partition>-<offset>}
 * @param capturedAt the {@code capture-ts} header, else the record timestamp
 * @param arrivedNanos {@link System#nanoTime()} when the pipeline received it
 */
public record Frame(
        ConsumerRecord<byte[], byte[]> record,
        String cameraId,
        String frameId,
        Instant capturedAt,
        long arrivedNanos) {

    public Frame {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(cameraId, "cameraId");
        Objects.requireNonNull(frameId, "frameId");
        Objects.requireNonNull(capturedAt, "capturedAt");
    }

    /**
     * Reads the frame's identity from its key and headers; unusable headers fall back to the
     * defaults.
     */
    public static Frame of(ConsumerRecord<byte[], byte[]> record, long arrivedNanos) {
        String camera =
                record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
        String id = header(record, FrameHeaders.FRAME_ID);
        if (id == null || id.isBlank() || id.length() > 512) {
            id = record.topic() + "-" + record.partition() + "-" + record.offset();
        }
        Instant captured = Instant.ofEpochMilli(Math.max(0, record.timestamp()));
        String ts = header(record, FrameHeaders.CAPTURE_TIME);
        if (ts != null) {
            try {
                captured = Instant.ofEpochMilli(Long.parseLong(ts.strip()));
            } catch (NumberFormatException e) {
                // A camera's bad clock header must not cost the frame: the broker's timestamp
                // stands in.
            }
        }
        return new Frame(record, camera, id, captured, arrivedNanos);
    }

    public TopicPartition partition() {
        return new TopicPartition(record.topic(), record.partition());
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null || h.value() == null
                ? null
                : new String(h.value(), StandardCharsets.UTF_8);
    }
}
