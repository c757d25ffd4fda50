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
            Path tmp = dir.resolve("manifest.json.tmp");
            Files.write(tmp, SERDE.toBytes(manifest));
            Files.move(
                    tmp,
                    dir.resolve("manifest.json"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path versionDir(String model, int version) {
        return root.resolve(model).resolve("versions").resolve(Integer.toString(version));
    }

    public void save(Manifest manifest, byte[] trainGraph) {
        Path dir = versionDir(manifest.published().model(), manifest.published().version());
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve("train.onnx"), trainGraph);
            Files.write(dir.resolve("manifest.json"), SERDE.toBytes(manifest));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
