package io.streamtune.ingest.intake;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.Label;
import io.streamtune.contracts.LabelledImageSubmitted;
import io.streamtune.ingest.accept.EncodedImage;
import io.streamtune.ingest.accept.Origin;
import io.streamtune.ingest.accept.Submission;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * Parses intake JSON ({@link LabelledImageSubmitted}) into a {@link Submission}, keeping the
 * position of the image's base64 text so the labelled record can reuse it. Same rules as {@link
 * JsonSerde}: unknown fields are ignored, the record's own validation applies, and errors say what
 * is wrong.
 */
public final class IntakeParser {

    private IntakeParser() {}

    /**
     * @throws IllegalArgumentException naming the problem when the JSON is not a valid submission
     */
    public static Submission parse(byte[] json, Origin origin) {
        if (json == null) {
            throw new IllegalArgumentException("value is null");
        }
        String model = null;
        byte[] image = null;
        EncodedImage encoded = null;
        Label label = null;
        String source = null;
        try (JsonParser p = JsonSerde.MAPPER.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException(
                        "invalid LabelledImageSubmitted JSON: expected an object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "model" -> model = t == JsonToken.VALUE_NULL ? null : p.getValueAsString();
                    case "source" ->
                            source = t == JsonToken.VALUE_NULL ? null : p.getValueAsString();
                    case "label" ->
                            label = t == JsonToken.VALUE_NULL ? null : p.readValueAs(Label.class);
                    case "image" -> {
                        if (t != JsonToken.VALUE_STRING) {
                            throw new IllegalArgumentException(
                                    "invalid LabelledImageSubmitted JSON: 'image' must be a base64 string");
                        }
                        encoded = locate(json, p);
                        if (encoded != null) {
                            try {
                                ByteBuffer decoded =
                                        Base64.getDecoder()
                                                .decode(
                                                        ByteBuffer.wrap(
                                                                encoded.bytes(),
                                                                encoded.offset(),
                                                                encoded.length()));
                                image = new byte[decoded.remaining()];
                                decoded.get(image);
                            } catch (IllegalArgumentException e) {
                                encoded = null;
                            }
                        }
                        if (image == null) {
                            image = p.getBinaryValue();
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "invalid LabelledImageSubmitted JSON: " + firstLine(e.getMessage()), e);
        }
        try {
            LabelledImageSubmitted s = new LabelledImageSubmitted(model, image, label, source);
            return new Submission(s.model(), s.image(), s.label(), s.source(), origin, encoded);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException(
                    "invalid LabelledImageSubmitted JSON: " + e.getMessage(), e);
        }
    }

    /**
     * The base64 text's bytes in the input, or null when it holds escapes (then Jackson decodes
     * it).
     */
    private static EncodedImage locate(byte[] json, JsonParser p) {
        long quote = p.currentTokenLocation().getByteOffset();
        if (quote < 0 || quote >= json.length || json[(int) quote] != '"') {
            return null;
        }
        int start = (int) quote + 1;
        for (int i = start; i < json.length; i++) {
            byte b = json[i];
            if (b == '"') {
                return new EncodedImage(json, start, i - start);
            }
            if (b == '\\') {
                return null;
            }
        }
        return null;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl > 0 ? s.substring(0, nl) : s;
    }
}
