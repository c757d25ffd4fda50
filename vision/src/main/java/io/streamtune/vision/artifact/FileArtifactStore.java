package io.streamtune.vision.artifact;

import io.streamtune.contracts.ArtifactRef;
import io.streamtune.contracts.Names;
import java.io.IOException;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;

/**
 * Model files on a filesystem every service can see (a local disk for one host, a shared volume for
 * several), laid out as {@code <root>/<model>/<version>.onnx} and referenced by {@code file:} URIs.
 * Writes go through a temporary file and an atomic rename, so a reader never sees half a file.
 */
public final class FileArtifactStore implements ArtifactStore {

    private final Path root;

    public FileArtifactStore(Path root) {
        this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** Where {@code model} version {@code version} is stored. */
    public Path pathOf(String model, int version) {
        Names.requireModelName(model);
        if (version < 1) {
            throw new IllegalArgumentException("version must be >= 1, was " + version);
        }
        return root.resolve(model).resolve(version + ".onnx");
    }

    @Override
    public ArtifactRef put(String model, int version, byte[] bytes) throws ArtifactException {
        requireContent(bytes);
        Path target = pathOf(model, version);
        try {
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), "." + version + "-", ".tmp");
            try {
                Files.write(tmp, bytes);
                try {
                    Files.move(
                            tmp,
                            target,
                            StandardCopyOption.ATOMIC_MOVE,
                            StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new ArtifactException(
                    ArtifactException.Reason.IO, "cannot write " + target + ": " + e, e);
        }
        return new ArtifactRef(target.toUri().toString(), Sha256.hex(bytes), bytes.length, 1);
    }

    @Override
    public byte[] fetch(ArtifactRef ref) throws ArtifactException {
        if (!accepts(ref.uri())) {
            throw new ArtifactException(
                    ArtifactException.Reason.UNSUPPORTED_URI, "not a file: URI: " + ref.uri());
        }
        Path path;
        try {
            path = Path.of(URI.create(ref.uri()));
        } catch (IllegalArgumentException | FileSystemNotFoundException e) {
            throw new ArtifactException(
                    ArtifactException.Reason.UNSUPPORTED_URI,
                    "bad file URI " + ref.uri() + ": " + e,
                    e);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new ArtifactException(
                    ArtifactException.Reason.NOT_FOUND, "no artifact at " + path, e);
        } catch (IOException e) {
            throw new ArtifactException(
                    ArtifactException.Reason.IO, "cannot read " + path + ": " + e, e);
        }
        return Sha256.verify(ref, bytes);
    }

    @Override
    public void delete(String model, int version) throws ArtifactException {
        Path path = pathOf(model, version);
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new ArtifactException(
                    ArtifactException.Reason.IO, "cannot delete " + path + ": " + e, e);
        }
    }

    @Override
    public boolean accepts(String uri) {
        return uri.startsWith("file:");
    }

    static void requireContent(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length == 0) {
            throw new IllegalArgumentException("an artifact must not be empty");
        }
    }
}
