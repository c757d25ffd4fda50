package io.streamtune.vision.artifact;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Lower-case hex SHA-256, the checksum every {@link io.streamtune.contracts.ArtifactRef} carries.
 */
public final class Sha256 {

    private Sha256() {}

    /** The lower-case hex SHA-256 of {@code bytes}. */
    public static String hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * Throws {@link ArtifactException.Reason#CHECKSUM_MISMATCH} unless {@code bytes} are what
     * {@code ref} describes.
     */
    static byte[] verify(io.streamtune.contracts.ArtifactRef ref, byte[] bytes)
            throws ArtifactException {
        if (bytes.length != ref.sizeBytes()) {
            throw new ArtifactException(
                    ArtifactException.Reason.CHECKSUM_MISMATCH,
                    ref.uri() + " has " + bytes.length + " bytes, expected " + ref.sizeBytes());
        }
        String actual = hex(bytes);
        if (!actual.equals(ref.sha256())) {
            throw new ArtifactException(
                    ArtifactException.Reason.CHECKSUM_MISMATCH,
                    ref.uri() + " has SHA-256 " + actual + ", expected " + ref.sha256());
        }
        return bytes;
    }
}
