package io.streamtune.ingest.validate;

import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.Label;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Content hashes: sample ids (SHA-256 of the image bytes) and label hashes. */
public final class Digests {

    private Digests() {}

    /** Lower-case hex SHA-256. */
    public static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256(bytes));
    }

    /**
     * First 8 bytes of the SHA-256 of the label's JSON (records serialize their fields in
     * declaration order).
     */
    public static long labelHash(Label label) {
        try {
            return ByteBuffer.wrap(sha256(JsonSerde.MAPPER.writeValueAsBytes(label))).getLong();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize label " + label, e);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
