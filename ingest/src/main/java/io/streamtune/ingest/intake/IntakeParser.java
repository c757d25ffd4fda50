package io.streamtune.ingest.intake;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.streamtune.contracts.BinaryIntake;
import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.Label;
import io.streamtune.contracts.LabelledImageSubmitted;
import io.streamtune.ingest.accept.EncodedImage;
import io.streamtune.ingest.accept.Origin;
import io.streamtune.ingest.accept.Submission;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import org.apache.kafka.common.header.Headers;

/**
 * Parses intake records — JSON ({@link LabelledImageSubmitted}) or binary ({@link BinaryIntake}) —
 * into a {@link Submission}; for JSON keeping the position of the image's base64 text so the
 * labelled record can reuse it. Same rules as {@link JsonSerde}: unknown fields are ignored, the
 * record's own validation applies, and errors say what is wrong.
 */
public final class IntakeParser {

    private IntakeParser() {}

    /**
     * @throws IllegalArgumentException naming the problem when the JSON is not a valid submission
     */
    public static Submission parse(byte[] json, Origin origin) {
        return parse(json, origin, null);
    }

    /**
     * Parses a submission whose model is also given outside it (the HTTP path): the record may
     * leave {@code model} out, and must not name another.
     *
     * @param pathModel the model the submission is for, or null when the record alone names it
     * @throws IllegalArgumentException naming the problem when the JSON is not a valid submission
     */
    public static Submission parse(byte[] json, Origin origin, String pathModel) {
        if (json == null) {
            throw new IllegalArgumentException("value is null");
        }
        String model = null;
        byte[] image = null;
        EncodedImage encoded = null;
        Label label = null;
        String source = null;
        JsonParser p = null;
        try {
            p = JsonSerde.MAPPER.createParser(json);
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
                        image = null;
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
                                if (decoded.hasArray()
                                        && decoded.arrayOffset() == 0
                                        && decoded.position() == 0
                                        && decoded.remaining() == decoded.array().length) {
                                    image = decoded.array();
                                } else {
                                    image = new byte[decoded.remaining()];
                                    decoded.get(image);
                                }
                            } catch (IllegalArgumentException e) {
                                encoded = null;
                            }
                        }
                        if (image == null) {
                            image = p.getBinaryValue();
                        } else {
                            // Continue after the string on a parser of its own rather than
                            // letting this one scan 100 KB of base64 a second time.
                            p.close();
                            p = remainderParser(json, encoded.offset() + encoded.length() + 1);
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "invalid LabelledImageSubmitted JSON: " + firstLine(e.getMessage()), e);
        } finally {
            if (p != null) {
                try {
                    p.close();
                } catch (IOException ignored) {
                    // nothing was written
                }
            }
        }
        if (pathModel != null) {
            if (model == null) {
                model = pathModel;
            } else if (!model.equals(pathModel)) {
                throw new IllegalArgumentException(
                        "invalid LabelledImageSubmitted JSON: model '"
                                + model
                                + "' in the body differs from '"
                                + pathModel
                                + "' in the path");
            }
        }
        if (image == null) {
            throw new IllegalArgumentException(
                    "invalid LabelledImageSubmitted JSON: field 'image' (base64 string) is missing");
        }
        if (label == null) {
            throw new IllegalArgumentException(
                    "invalid LabelledImageSubmitted JSON: field 'label' is missing");
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
     * Parses a {@link BinaryIntake} record: the value is the image, the label, model and source are
     * headers. No base64 anywhere.
     *
     * @throws IllegalArgumentException naming the header or field at fault
     */
    public static Submission parseBinary(byte[] value, Headers headers, Origin origin) {
        LabelledImageSubmitted s = BinaryIntake.read(value, headers);
        return new Submission(s.model(), s.image(), s.label(), s.source(), origin, null);
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
        int end = quoteOrBackslash(json, start);
        if (end < 0 || json[end] != '"') {
            return null;
        }
        return new EncodedImage(json, start, end - start);
    }

    private static final VarHandle LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long QUOTES = ONES * '"';
    private static final long BACKSLASHES = ONES * '\\';

    /**
     * Index of the first {@code "} or {@code \\} at or after {@code from}, or -1. Eight bytes at a
     * time: a word holds one of them exactly when XOR with that byte repeated leaves a zero byte.
     */
    static int quoteOrBackslash(byte[] b, int from) {
        int i = from;
        for (; i + 8 <= b.length; i += 8) {
            long w = (long) LONGS.get(b, i);
            long q = w ^ QUOTES;
            long s = w ^ BACKSLASHES;
            long zeroBytes = ((q - ONES) & ~q) | ((s - ONES) & ~s);
            if ((zeroBytes & HIGHS) != 0) {
                break;
            }
        }
        for (; i < b.length; i++) {
            if (b[i] == '"' || b[i] == '\\') {
                return i;
            }
        }
        return -1;
    }

    /**
     * A parser over what follows a top-level string value that ended at {@code from - 1}, behind a
     * dummy member so it reads as the rest of the same object: {@code {"_":0} + the remainder.
     */
    private static JsonParser remainderParser(byte[] json, int from) throws IOException {
        byte[] prefix = {'{', '"', '_', '"', ':', '0'};
        byte[] rest = new byte[prefix.length + json.length - from];
        System.arraycopy(prefix, 0, rest, 0, prefix.length);
        System.arraycopy(json, from, rest, prefix.length, json.length - from);
        JsonParser p = JsonSerde.MAPPER.createParser(rest);
        p.nextToken(); // {
        p.nextToken(); // "_"
        p.nextToken(); // 0
        return p;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl > 0 ? s.substring(0, nl) : s;
    }
}
