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
 * Reads are confined: only regular files under the root, of the announced size, are read.
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
                    ArtifactException.Reason.UNSUPPORTED_URI,
                    "refused " + ref.uri() + ": not a file: URI under the artifact root " + root);
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
            path = confined(path, ref);
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

    /** Largest artifact a file store reads: 2 GiB, the most a Java array holds. */
    public static final long MAX_BYTES = Integer.MAX_VALUE - 8;

    /**
     * The real path of {@code path} if it is a regular file under the root (links resolved: a link
     * that leaves the root is refused) whose size is the reference's; otherwise why not. Checked
     * before a byte is read, so a URI naming {@code /dev/zero}, a FIFO or {@code /proc} reads
     * nothing and leaks nothing but "not under the artifact root".
     */
    private Path confined(Path path, ArtifactRef ref) throws IOException, ArtifactException {
        Path real = path.toRealPath();
        Path realRoot = Files.exists(root) ? root.toRealPath() : root;
        if (!real.startsWith(realRoot)) {
            throw new ArtifactException(
                    ArtifactException.Reason.UNSUPPORTED_URI,
                    "refused " + ref.uri() + ": not under the artifact root " + root);
        }
        if (!Files.isRegularFile(real)) {
            throw new ArtifactException(
                    ArtifactException.Reason.UNSUPPORTED_URI,
                    "refused " + ref.uri() + ": not a regular file");
        }
        long size = Files.size(real);
        if (size != ref.sizeBytes() || size > MAX_BYTES) {
            throw new ArtifactException(
                    ArtifactException.Reason.CHECKSUM_MISMATCH,
                    "refused "
                            + ref.uri()
                            + ": "
                            + size
                            + " bytes on disk, the announcement says "
                            + ref.sizeBytes()
                            + (size > MAX_BYTES ? " (over the 2 GiB limit)" : ""));
        }
        return real;
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

    /** A {@code file:} URI naming a path under this store's root (before links are resolved). */
    @Override
    public boolean accepts(String uri) {
        if (!uri.startsWith("file:")) {
            return false;
        }
        try {
            return Path.of(URI.create(uri)).normalize().startsWith(root);
        } catch (IllegalArgumentException | FileSystemNotFoundException e) {
            return false;
        }
    }

    static void requireContent(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length == 0) {
            throw new IllegalArgumentException("an artifact must not be empty");
        }
    }
}
