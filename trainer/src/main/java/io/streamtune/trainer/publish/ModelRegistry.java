package io.streamtune.trainer.publish;

import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.ModelPublished;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The trainer's own record of every version it published: {@code <model
 * dir>/versions/<v>/manifest.json} (the {@link ModelPublished} announcement plus the training
 * configuration) and {@code train.onnx} (the graph before export transformations, to continue
 * fine-tuning from).
 */
public final class ModelRegistry {

    private static final JsonSerde<Manifest> SERDE = JsonSerde.of(Manifest.class);

    private final Path root;

    /** {@code root}: the directory that holds one folder per model. */
    public ModelRegistry(Path root) {
        this.root = root;
    }

    /**
     * A version's manifest.
     *
     * @param published what was first announced (sha256, size, metrics, dataset offsets, gate
     *     evidence, lineage)
     * @param training the training configuration of the run
     * @param events what happened to the version after publication (rollbacks), oldest first
     */
    public record Manifest(
            ModelPublished published, Map<String, String> training, List<Event> events) {

        public Manifest {
            events = events == null ? List.of() : List.copyOf(events);
        }

        /** The manifest with another announcement (the record that promoted the version). */
        public Manifest withPublished(ModelPublished announced) {
            return new Manifest(announced, training, events);
        }

        /** Whether the version was taken out of production by a rollback. */
        public boolean rolledBack() {
            return events.stream().anyMatch(e -> e.kind() == Event.Kind.ROLLED_BACK);
        }

        /** The manifest with one more event. */
        public Manifest with(Event event) {
            List<Event> all = new ArrayList<>(events);
            all.add(event);
            return new Manifest(published, training, all);
        }
    }

    /**
     * Something that happened to a version.
     *
     * @param kind rolled back (taken out of production), restored (made production again), promoted
     *     or rejected after its shadow phase
     * @param by who: {@code operator} or {@code automatic}
     * @param reason why, with the numbers
     * @param at when
     */
    public record Event(Kind kind, String by, String reason, java.time.Instant at) {

        /** The kind of event. */
        public enum Kind {
            ROLLED_BACK,
            RESTORED,
            /** promoted to production after its shadow phase */
            PROMOTED,
            /** rejected after its shadow phase */
            SHADOW_REJECTED
        }
    }

    /** Rewrites a version's manifest (its training graph stays). */
    public void update(Manifest manifest) {
        Path dir = versionDir(manifest.published().model(), manifest.published().version());
        try {
            Files.createDirectories(dir);
            writeAtomically(dir.resolve("manifest.json"), SERDE.toBytes(manifest));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path versionDir(String model, int version) {
        return root.resolve(model).resolve("versions").resolve(Integer.toString(version));
    }

    /**
     * Writes a version's training graph and manifest, each to a temporary file that is synced and
     * then renamed: a kill mid-write leaves the previous file or none, never half of one.
     */
    public void save(Manifest manifest, byte[] trainGraph) {
        Path dir = versionDir(manifest.published().model(), manifest.published().version());
        try {
            Files.createDirectories(dir);
            writeAtomically(dir.resolve("train.onnx"), trainGraph);
            writeAtomically(dir.resolve("manifest.json"), SERDE.toBytes(manifest));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (var channel =
                java.nio.channels.FileChannel.open(
                        tmp,
                        java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.TRUNCATE_EXISTING,
                        java.nio.file.StandardOpenOption.WRITE)) {
            var buffer = java.nio.ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        Files.move(
                tmp,
                target,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    public Optional<Manifest> manifest(String model, int version) {
        Path f = versionDir(model, version).resolve("manifest.json");
        try {
            return Files.exists(f)
                    ? Optional.of(SERDE.fromBytes(Files.readAllBytes(f)))
                    : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The training graph of a version, when this machine trained it. */
    public Optional<Path> trainGraph(String model, int version) {
        Path f = versionDir(model, version).resolve("train.onnx");
        return Files.exists(f) ? Optional.of(f) : Optional.empty();
    }

    /** Versions recorded for a model, ascending. */
    public List<Integer> versions(String model) {
        Path dir = root.resolve(model).resolve("versions");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            List<Integer> out = new ArrayList<>();
            s.forEach(
                    p -> {
                        try {
                            out.add(Integer.parseInt(p.getFileName().toString()));
                        } catch (NumberFormatException ignored) {
                            // not a version folder
                        }
                    });
            out.sort(Comparator.naturalOrder());
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void delete(String model, int version) {
        Path dir = versionDir(model, version);
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder())
                    .forEach(
                            p -> {
                                try {
                                    Files.delete(p);
                                } catch (IOException e) {
                                    throw new UncheckedIOException(e);
                                }
                            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
