package io.streamtune.contracts;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * One stylized frame on {@code predictions.stylizations}: the value is the stylized image as a JPEG
 * (any image viewer or {@code kcat -e} shows it), the key the camera id, and these headers (UTF-8):
 * {@link FrameHeaders#FRAME_ID}, {@code model}, {@code model-version}, {@link
 * FrameHeaders#CAPTURE_TIME}, {@code width}, {@code height}.
 *
 * @param frame the source frame and the model version that made it
 * @param jpeg the stylized frame
 * @param width its width
 * @param height its height
 */
public record StylizedFrame(FrameRef frame, byte[] jpeg, int width, int height) {

    public static final String MODEL = "model";
    public static final String MODEL_VERSION = "model-version";
    public static final String WIDTH = "width";
    public static final String HEIGHT = "height";

    public StylizedFrame {
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(jpeg, "jpeg");
    }

    /** The record to produce to {@code topic}. */
    public ProducerRecord<byte[], byte[]> toRecord(String topic, byte[] key) {
        Headers h = new RecordHeaders();
        put(h, FrameHeaders.FRAME_ID, frame.frameId());
        put(h, MODEL, frame.model());
        put(h, MODEL_VERSION, Integer.toString(frame.modelVersion()));
        put(h, FrameHeaders.CAPTURE_TIME, Long.toString(frame.capturedAt().toEpochMilli()));
        put(h, WIDTH, Integer.toString(width));
        put(h, HEIGHT, Integer.toString(height));
        return new ProducerRecord<>(topic, null, key, jpeg, h);
    }

    private static void put(Headers h, String name, String value) {
        if (value != null) {
            h.add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StylizedFrame s
                && frame.equals(s.frame)
                && java.util.Arrays.equals(jpeg, s.jpeg)
                && width == s.width
                && height == s.height;
    }

    @Override
    public int hashCode() {
        return Objects.hash(frame, java.util.Arrays.hashCode(jpeg), width, height);
    }

    @Override
    public String toString() {
        return "StylizedFrame["
                + frame
                + ", "
                + jpeg.length
                + " bytes "
                + width
                + "x"
                + height
                + "]";
    }
}
