package io.streamtune.trainer.dataset;

import com.fasterxml.jackson.core.type.TypeReference;
import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.LabelledImageAccepted;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * One model's samples on local disk ({@code <dir>/samples/<sampleId>.json}) plus the
 * labelled-images offsets they reflect ({@code <dir>/state.json}), so a later sync resumes where
 * the last one stopped. Not thread-safe: one trainer owns a model's store.
 */
public final class DatasetStore {

    private static final JsonSerde<LabelledImageAccepted> SERDE =
            JsonSerde.of(LabelledImageAccepted.class);

    private final Path dir;
    private final Path samples;
    private final String model;
    private final Map<Integer, Long> offsets = new TreeMap<>();
    private long corrupt;

    private DatasetStore(Path dir, String model) {
        this.dir = dir;
        this.samples = dir.resolve("samples");
        this.model = model;
    }

    /** Opens (creating if needed) the store of {@code model} in {@code dir}. */
    public static DatasetStore open(Path dir, String model) {
        DatasetStore s = new DatasetStore(dir, model);
        try {
            Files.createDirectories(s.samples);
            Path state = dir.resolve("state.json");
            if (Files.exists(state)) {
                State st =
                        JsonSerde.MAPPER.readValue(state.toFile(), new TypeReference<State>() {});
                s.offsets.putAll(st.offsets());
                s.corrupt = st.corrupt();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open dataset store " + dir, e);
        }
        return s;
    }

    /** The persisted state: next offset to read per partition and corrupt records seen. */
    record State(Map<Integer, Long> offsets, long corrupt) {}

    public String model() {
        return model;
    }

    public Path dir() {
        return dir;
    }

    /** Next offset to read per labelled-images partition (absent: from the beginning). */
    public Map<Integer, Long> offsets() {
        return Collections.unmodifiableMap(offsets);
    }

    /** Records that could not be parsed, in all syncs so far. */
    public long corruptRecords() {
        return corrupt;
    }

    /** Adds or replaces a sample (a relabel is a replace). */
    public void put(LabelledImageAccepted sample) {
        try {
            Path tmp = samples.resolve(sample.sampleId() + ".json.tmp");
            Files.write(tmp, SERDE.toBytes(sample));
            Files.move(
                    tmp,
                    samples.resolve(sample.sampleId() + ".json"),
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes a sample (a tombstone); a no-op when absent. */
    public void delete(String sampleId) {
        try {
            Files.deleteIfExists(samples.resolve(sampleId + ".json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void countCorrupt() {
        corrupt++;
    }

    void advance(int partition, long nextOffset) {
        offsets.merge(partition, nextOffset, Math::max);
    }

    /** Persists offsets and counters; call after the samples they cover are written. */
    public void commit() {
        try {
            Path tmp = dir.resolve("state.json.tmp");
            JsonSerde.MAPPER.writeValue(tmp.toFile(), new State(offsets, corrupt));
            Files.move(
                    tmp,
                    dir.resolve("state.json"),
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ids of all stored samples, sorted (a stable order for reproducible runs). */
    public List<String> sampleIds() {
        try (Stream<Path> files = Files.list(samples)) {
            List<String> ids = new ArrayList<>();
            files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".json"))
                    .forEach(n -> ids.add(n.substring(0, n.length() - 5)));
            Collections.sort(ids);
            return ids;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Number of stored samples. */
    public int size() {
        return sampleIds().size();
    }

    /** A stored sample; empty when absent or unreadable. */
    public Optional<LabelledImageAccepted> load(String sampleId) {
        Path p = samples.resolve(sampleId + ".json");
        try {
            return Files.exists(p)
                    ? Optional.of(SERDE.fromBytes(Files.readAllBytes(p)))
                    : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
