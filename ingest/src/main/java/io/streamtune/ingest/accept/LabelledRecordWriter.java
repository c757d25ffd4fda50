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
 * (intrinsified) base64 encoder.
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
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + 1024);
        try (JsonGenerator g = JsonSerde.MAPPER.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("sampleId", value.sampleId());
            g.writeStringField("model", value.model());
            g.writeFieldName("image");
            g.writeRawUTF8String(encoded, offset, length);
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
        return out.toByteArray();
    }
}
