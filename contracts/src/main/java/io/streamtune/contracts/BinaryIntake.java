package io.streamtune.contracts;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The binary way in on the intake topic, beside {@link LabelledImageSubmitted} JSON: the record's
 * value is the encoded image itself (JPEG or PNG, no base64) and the rest travels in headers —
 * {@value #LABEL} (the {@link Label} as JSON, required; its presence is what marks a record as
 * binary), {@value #MODEL} (required) and {@value #SOURCE} (optional), all UTF-8. So any producer
 * sends a labelled image as it is:
 *
 * <pre>
 * kcat -P -t images.intake -H 'label={"type":"class","className":"cat"}' -H model=pets cat.jpg
 * </pre>
 *
 * The same validation applies as to the JSON record; a rejected one reaches the dead-letter topic
 * with its image and these headers as they came.
 */
public final class BinaryIntake {

    /** Header holding the label JSON; marks the record as binary. */
    public static final String LABEL = "label";

    /** Header holding the model (dataset) name. */
    public static final String MODEL = "model";

    /** Optional header holding the free-form source. */
    public static final String SOURCE = "source";

    private static final JsonSerde<Label> LABELS = JsonSerde.of(Label.class);

    private BinaryIntake() {}

    /** Whether a record uses this format (it carries a {@value #LABEL} header). */
    public static boolean isBinary(Headers headers) {
        return headers != null && headers.lastHeader(LABEL) != null;
    }

    /** The record a Java producer sends: the image as value, model, label and source as headers. */
    public static ProducerRecord<byte[], byte[]> record(
            String topic, byte[] key, LabelledImageSubmitted submission) {
        Headers h = new RecordHeaders();
        h.add(LABEL, LABELS.toBytes(submission.label()));
        h.add(MODEL, utf8(submission.model()));
        if (submission.source() != null) {
            h.add(SOURCE, utf8(submission.source()));
        }
        return new ProducerRecord<>(topic, null, key, submission.image(), h);
    }

    /**
     * Reads a binary record back.
     *
     * @throws IllegalArgumentException naming the header or field at fault
     */
    public static LabelledImageSubmitted read(byte[] value, Headers headers) {
        Header label = headers == null ? null : headers.lastHeader(LABEL);
        if (label == null || label.value() == null) {
            throw new IllegalArgumentException("binary intake record lacks the 'label' header");
        }
        String model = text(headers, MODEL);
        if (model == null) {
            throw new IllegalArgumentException(
                    "binary intake record lacks the 'model' header (the model the image trains)");
        }
        if (value == null || value.length == 0) {
            throw new IllegalArgumentException(
                    "binary intake record has an empty value (the value must be the image)");
        }
        Label parsed;
        try {
            parsed = LABELS.fromBytes(label.value());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid 'label' header: " + e.getMessage(), e);
        }
        try {
            return new LabelledImageSubmitted(model, value, parsed, text(headers, SOURCE));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "invalid binary intake record: " + e.getMessage(), e);
        }
    }

    private static String text(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null
                ? null
                : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
