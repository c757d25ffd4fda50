package io.streamtune.vision.artifact;

import io.streamtune.contracts.ArtifactRef;
import java.util.List;
import java.util.Objects;

/**
 * Stores model files by model name and version and hands them back verified: {@link #fetch} only
 * returns bytes whose SHA-256 and size match the {@link ArtifactRef}. Implementations are
 * thread-safe.
 */
public interface ArtifactStore extends AutoCloseable {

    /** Stores the file of {@code model} version {@code version} and returns where to fetch it. */
    ArtifactRef put(String model, int version, byte[] bytes) throws ArtifactException;

    /** The file behind {@code ref}, checked against its SHA-256 and size. */
    byte[] fetch(ArtifactRef ref) throws ArtifactException;

    /**
     * Removes every stored byte of {@code model} version {@code version}; a no-op when there is
     * none.
     */
    void delete(String model, int version) throws ArtifactException;

    /** Whether {@link #fetch} understands this URI. */
    boolean accepts(String uri);

    @Override
    default void close() {}

    /**
     * A store that writes to {@code primary} and fetches from the first of {@code primary} and
     * {@code others} that accepts the reference's URI, so a reader follows whatever the writer
     * used.
     */
    static ArtifactStore routing(ArtifactStore primary, ArtifactStore... others) {
        Objects.requireNonNull(primary, "primary");
        List<ArtifactStore> all = new java.util.ArrayList<>();
        all.add(primary);
        all.addAll(List.of(others));
        return new RoutingArtifactStore(primary, all);
    }
}
