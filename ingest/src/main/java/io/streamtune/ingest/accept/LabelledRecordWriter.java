package io.streamtune.ingest.accept;

import com.fasterxml.jackson.core.JsonGenerator;
import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.LabelledImageAccepted;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;

/**
 * Writes the JSON of a {@link LabelledImageAccepted} byte for byte as {@link JsonSerde} would, but
 * copies the image's base64 text when the submission already carried it (Kafka intake, HTTP JSON)
 * instead of decoding and re-encoding 100 KB per record, and otherwise encodes with the JDK's
 * (intrinsified) base64 encoder. The text is copied once, straight into the record's array.
 */
final class LabelledRecordWriter {

    private LabelledRecordWriter() {}

    static byte[] write(LabelledImageAccepted value, EncodedImage base64) {
        byte[] encoded;
        int offset;
        int length;
        if (base64 != null) {
            encoded = base64.bytes();
            offset = base64.offset();
            length = base64.length();
        } else {
            encoded = Base64.getEncoder().encode(value.image());
            offset = 0;
            length = encoded.length;
        }
        // Everything but the image is a few hundred bytes: write it with an empty image string,
        // then lay the base64 text into one array of the exact size (one copy of the 100 KB).
        ByteArrayOutputStream small = new ByteArrayOutputStream(512);
        int split;
        try (JsonGenerator g = JsonSerde.MAPPER.createGenerator(small)) {
            g.writeStartObject();
            g.writeStringField("sampleId", value.sampleId());
            g.writeStringField("model", value.model());
            g.writeFieldName("image");
            g.writeRawUTF8String(encoded, offset, 0);
            g.flush();
            split = small.size() - 1; // between the quotes of the empty image string
            g.writeStringField("mediaType", value.mediaType());
            g.writeNumberField("width", value.width());
            g.writeNumberField("height", value.height());
            g.writeObjectField("label", value.label());
            g.writeObjectField("source", value.source());
            g.writeObjectField("acceptedAt", value.acceptedAt());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] rest = small.toByteArray();
        byte[] out = new byte[rest.length + length];
        System.arraycopy(rest, 0, out, 0, split);
        System.arraycopy(encoded, offset, out, split, length);
        System.arraycopy(rest, split, out, split + length, rest.length - split);
        return out;
    }
}
