package io.streamtune.contracts;

import java.util.Objects;

/**
 * Where a model's ONNX file can be fetched and how to check it.
 *
 * @param uri {@code kafka:<topic>/<model>/<version>} for the chunked artifact topic, or a {@code
 *     file:} URI for a shared filesystem store
 * @param sha256 lower-case hex SHA-256 of the file
 * @param sizeBytes file size
 * @param chunks number of chunks on the artifact topic (1 for file stores)
 */
public record ArtifactRef(String uri, String sha256, long sizeBytes, int chunks) {

    public ArtifactRef {
        Names.requireText(uri, "uri", 2048);
        Objects.requireNonNull(sha256, "sha256");
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits");
        }
        if (sizeBytes <= 0 || chunks <= 0) {
            throw new IllegalArgumentException("sizeBytes and chunks must be positive");
        }
    }
}
