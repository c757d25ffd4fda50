package io.streamtune.inference.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamtune.contracts.ArtifactRef;
import io.streamtune.contracts.ModelPublished;
import io.streamtune.contracts.ModelSwapReported;
import io.streamtune.contracts.Task;
import io.streamtune.inference.InferenceMetrics;
import io.streamtune.inference.TestModels;
import io.streamtune.vision.artifact.FileArtifactStore;
import io.streamtune.vision.model.RunnerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelSwapperTest {

    @TempDir Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<ModelSwapReported> reports = new ArrayList<>();

    /** A swapper of instance {@code inference-1} reporting into {@link #reports}. */
    private ModelSwapper swapper(FileArtifactStore store, RunnerOptions options, ModelSlot slot) {
        return new ModelSwapper(
                "inference-1",
                store,
                options,
                slot,
                new InferenceMetrics(registry, "cars"),
                reports::add,
                Clock.systemUTC());
    }

    @Test
    void shouldServeAVerifiedVersionAndKeepItWhenTheNextOneIsCorrupt() throws Exception {
        var store = new FileArtifactStore(dir);
        ArtifactRef v1 = store.put("cars", 1, TestModels.detector("cars", 1, ""));
        ArtifactRef v2 = store.put("cars", 2, TestModels.detector("cars", 2, ""));
        byte[] tampered = Files.readAllBytes(store.pathOf("cars", 2));
        tampered[tampered.length - 10] ^= 0x5A;
        Files.write(store.pathOf("cars", 2), tampered);
        try (var slot = new ModelSlot()) {
            var swapper = swapper(store, RunnerOptions.defaults(), slot);

            ModelSwapReported first = swapper.swapTo(published(1, v1));
            ModelSwapReported second = swapper.swapTo(published(2, v2));

            assertThat(first.outcome()).isEqualTo(ModelSwapReported.Outcome.SWAPPED);
            assertThat(second.outcome()).isEqualTo(ModelSwapReported.Outcome.CHECKSUM_MISMATCH);
            assertThat(second.servingVersion()).isEqualTo(1);
            assertThat(second.detail()).contains("SHA-256");
            assertThat(slot.servingVersion()).isEqualTo(1);
            assertThat(reports).containsExactly(first, second);
            assertThat(
                            registry.get(InferenceMetrics.SWAP_FAILURES)
                                    .tag("reason", "checksum_mismatch")
                                    .counter()
                                    .count())
                    .isEqualTo(1.0);
            assertThat(registry.get(InferenceMetrics.MODEL_VERSION).gauge().value()).isEqualTo(1.0);
        }
    }

    @Test
    void shouldRefuseAVersionOverTheSizeLimitBeforeFetchingItAndServeWithoutTheArena()
            throws Exception {
        var store = new FileArtifactStore(dir);
        ArtifactRef v1 = store.put("cars", 1, TestModels.detector("cars", 1, ""));
        // announced at twice v1's size, at a place that holds nothing: fetching it would fail
        ArtifactRef v2 =
                new ArtifactRef(
                        dir.resolve("nowhere.onnx").toUri().toString(),
                        v1.sha256(),
                        2 * v1.sizeBytes(),
                        1);
        try (var slot = new ModelSlot()) {
            var swapper = swapper(store, new RunnerOptions(1, 1, false, v1.sizeBytes()), slot);

            ModelSwapReported first = swapper.swapTo(published(1, v1));
            ModelSwapReported second = swapper.swapTo(published(2, v2));

            assertThat(first.outcome())
                    .as("a model at the limit loads, and runs its warm-up without the arena")
                    .isEqualTo(ModelSwapReported.Outcome.SWAPPED);
            assertThat(second.outcome()).isEqualTo(ModelSwapReported.Outcome.LOAD_FAILED);
            assertThat(second.detail())
                    .contains("limit")
                    .contains("inference.model.max.bytes")
                    .doesNotContain("nowhere.onnx: no such");
            assertThat(slot.servingVersion()).isEqualTo(1);
        }
    }

    @Test
    void shouldRefuseBytesThatAreNotAModel() throws Exception {
        var store = new FileArtifactStore(dir);
        ArtifactRef junk = store.put("cars", 1, "not an onnx file".getBytes());
        try (var slot = new ModelSlot()) {
            var swapper = swapper(store, RunnerOptions.defaults(), slot);

            ModelSwapReported report = swapper.swapTo(published(1, junk));

            assertThat(report.outcome()).isEqualTo(ModelSwapReported.Outcome.LOAD_FAILED);
            assertThat(report.servingVersion()).isZero();
            assertThat(slot.acquire()).isNull();
        }
    }

    @Test
    void shouldRefuseAnnouncementsNotSignedWithTheKey() throws Exception {
        var store = new FileArtifactStore(dir);
        ArtifactRef v1 = store.put("cars", 1, TestModels.detector("cars", 1, ""));
        ArtifactRef v2 = store.put("cars", 2, TestModels.detector("cars", 2, ""));
        var key =
                io.streamtune.runtime.ConfigSource.of(
                        Map.of("models.signing.key", "4f1c9a7e2b8d6035c1e9f7a2d4b68e0c"));
        var signer = io.streamtune.runtime.AnnouncementSigner.from(key).orElseThrow();
        var other =
                io.streamtune.runtime.AnnouncementSigner.from(
                                io.streamtune.runtime.ConfigSource.of(
                                        Map.of(
                                                "models.signing.key",
                                                "9b3e5d7f1a2c4e6b8d0f2a4c6e8b0d1f")))
                        .orElseThrow();
        try (var slot = new ModelSlot()) {
            var swapper =
                    new ModelSwapper(
                            "inference-1",
                            store,
                            RunnerOptions.defaults(),
                            slot,
                            new InferenceMetrics(registry, "cars"),
                            reports::add,
                            Clock.systemUTC(),
                            signer);

            ModelSwapReported signed = swapper.swapTo(signer.sign(published(1, v1)));
            ModelSwapReported unsigned = swapper.swapTo(published(2, v2));
            ModelSwapReported forged = swapper.swapTo(other.sign(published(2, v2)));

            assertThat(signed.outcome()).isEqualTo(ModelSwapReported.Outcome.SWAPPED);
            assertThat(unsigned.outcome()).isEqualTo(ModelSwapReported.Outcome.SIGNATURE_INVALID);
            assertThat(unsigned.detail()).contains("not signed");
            assertThat(forged.outcome()).isEqualTo(ModelSwapReported.Outcome.SIGNATURE_INVALID);
            assertThat(forged.detail()).contains("does not match");
            assertThat(slot.servingVersion()).isEqualTo(1);
        }
    }

    static ModelPublished published(int version, ArtifactRef ref) {
        return ModelPublished.of(
                "cars",
                version,
                Task.DETECTION,
                List.of("red", "blue"),
                "map50_95",
                0.5,
                ref,
                Instant.now());
    }
}
