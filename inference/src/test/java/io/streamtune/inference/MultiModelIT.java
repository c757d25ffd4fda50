package io.streamtune.inference;

import static io.streamtune.testkit.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamtune.contracts.ArtifactRef;
import io.streamtune.contracts.DetectionsEmitted;
import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.ModelPublished;
import io.streamtune.contracts.SegmentationsEmitted;
import io.streamtune.contracts.Task;
import io.streamtune.contracts.Topics;
import io.streamtune.kafka.embedded.EmbeddedKafkaBroker;
import io.streamtune.kafka.embedded.ServiceSettings;
import io.streamtune.kafka.embedded.SharedKafka;
import io.streamtune.runtime.ConfigException;
import io.streamtune.runtime.ConfigSource;
import io.streamtune.runtime.PrometheusText;
import io.streamtune.vision.artifact.KafkaArtifactStore;
import java.awt.Color;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One inference instance serving two models ({@code inference.models}): a detector and a segmenter
 * on the same frames, each with its own consumer group, batching, version and meters, swapped one
 * at a time while frames flow.
 */
@ExtendWith(SharedKafka.class)
class MultiModelIT {

    private static final JsonSerde<DetectionsEmitted> DETECTIONS =
            JsonSerde.of(DetectionsEmitted.class);
    private static final JsonSerde<SegmentationsEmitted> SEGMENTATIONS =
            JsonSerde.of(SegmentationsEmitted.class);

    private static Map<String, String> settings(EmbeddedKafkaBroker broker, String prefix) {
        Map<String, String> s = ServiceSettings.loopback(broker.bootstrapServers(), prefix);
        s.put("instance.id", "inference-multi");
        s.put("inference.batch.max.wait", "10ms");
        s.put("inference.threads.intra.op", "1");
        s.put("inference.decode.threads", "1");
        s.put("inference.models", "cars, scenes");
        s.put("inference.models.scenes.batch.max.size", "2");
        // scenes serves two of the three cameras
        s.put("inference.models.scenes.cameras", "cam-0, cam-1");
        return s;
    }

    @Test
    void shouldServeTwoModelsInOneInstanceAndSwapEachOnItsOwnWhileFramesFlow(
            EmbeddedKafkaBroker broker) throws Exception {
        String prefix = SharedKafka.unique("multi") + ".";
        String bootstrap = broker.bootstrapServers();
        List<InferenceConfig> configs =
                InferenceConfig.all(ConfigSource.of(settings(broker, prefix)));
        assertThat(configs).extracting(InferenceConfig::model).containsExactly("cars", "scenes");
        assertThat(configs).extracting(InferenceConfig::maxBatch).containsExactly(8, 2);
        assertThat(configs)
                .extracting(InferenceConfig::groupId)
                .containsExactly("inference-cars", "inference-scenes");
        int total = 90;

        try (var producer = KafkaTestClients.producer(bootstrap);
                var store =
                        KafkaArtifactStore.of(
                                Map.of("bootstrap.servers", bootstrap),
                                prefix + Topics.MODELS_ARTIFACTS.name());
                var service = InferenceService.start(configs)) {
            var cars = service.served("cars");
            var scenes = service.served("scenes");
            publish(producer, prefix, "cars", Task.DETECTION, 1, store.put("cars", 1, detector(1)));
            publish(
                    producer,
                    prefix,
                    "scenes",
                    Task.SEGMENTATION,
                    1,
                    store.put("scenes", 1, TestModels.segmenter("scenes", 1)));
            assertThat(service.shell().awaitReady(Duration.ofSeconds(30))).isTrue();
            byte[] image = TestFrames.jpeg(64, 48, Color.RED);

            for (int i = 0; i < total; i++) {
                KafkaTestClients.sendFrame(producer, prefix, i, 3, image);
                if (i == total / 3) {
                    publish(
                            producer,
                            prefix,
                            "cars",
                            Task.DETECTION,
                            2,
                            store.put("cars", 2, detector(2)));
                    awaitVersion(cars.slot()::servingVersion, 2);
                    // the other model is untouched by this swap
                    assertThat(scenes.slot().servingVersion()).isEqualTo(1);
                }
                if (i == 2 * total / 3) {
                    publish(
                            producer,
                            prefix,
                            "scenes",
                            Task.SEGMENTATION,
                            2,
                            store.put("scenes", 2, TestModels.segmenter("scenes", 2)));
                    awaitVersion(scenes.slot()::servingVersion, 2);
                    assertThat(cars.slot().servingVersion()).isEqualTo(2);
                }
            }

            var detections =
                    KafkaTestClients.read(
                            bootstrap,
                            prefix + Topics.PREDICTIONS_DETECTIONS.name(),
                            total,
                            Duration.ofSeconds(60));
            int served = 2 * total / 3;
            var segmentations =
                    KafkaTestClients.read(
                            bootstrap,
                            prefix + Topics.PREDICTIONS_SEGMENTATIONS.name(),
                            served,
                            Duration.ofSeconds(60));

            // every frame once through each model, each model's versions in order
            var carFrames =
                    detections.stream().map(r -> DETECTIONS.fromBytes(r.value()).frame()).toList();
            var sceneFrames =
                    segmentations.stream()
                            .map(r -> SEGMENTATIONS.fromBytes(r.value()).frame())
                            .toList();
            assertThat(carFrames).hasSize(total).allMatch(f -> f.model().equals("cars"));
            assertThat(sceneFrames)
                    .hasSize(served)
                    .allMatch(f -> f.model().equals("scenes"))
                    .noneMatch(f -> f.cameraId().equals("cam-2"));
            assertThat(carFrames.stream().map(f -> f.frameId()).distinct()).hasSize(total);
            assertThat(sceneFrames.stream().map(f -> f.frameId()).distinct()).hasSize(served);
            assertThat(carFrames.stream().map(f -> f.modelVersion()).distinct())
                    .containsExactlyInAnyOrder(1, 2);
            assertThat(sceneFrames.stream().map(f -> f.modelVersion()).distinct())
                    .containsExactlyInAnyOrder(1, 2);
            // each camera sees one switch per model, and cars switched many frames before scenes
            for (var frames : List.of(carFrames, sceneFrames)) {
                Map<String, List<Integer>> byCamera = new HashMap<>();
                frames.stream()
                        .sorted(java.util.Comparator.comparingInt(f -> index(f.frameId())))
                        .forEach(
                                f ->
                                        byCamera.computeIfAbsent(
                                                        f.cameraId(),
                                                        k -> new java.util.ArrayList<>())
                                                .add(f.modelVersion()));
                assertThat(byCamera).allSatisfy((c, v) -> assertThat(v).isSorted());
            }
            int carsSwitch = firstIndexAt(carFrames, 2);
            int scenesSwitch = firstIndexAt(sceneFrames, 2);
            assertThat(carsSwitch).isLessThanOrEqualTo(total / 3 + 1);
            assertThat(scenesSwitch).isGreaterThan(carsSwitch + 10);

            // meters per model on one endpoint, health per model
            String url = service.shell().http().url();
            var metrics = PrometheusText.parse(InferenceServiceIT.get(url + "/metrics"));
            assertThat(metrics.sum("inference_frames_unrouted_total", Map.of("model", "scenes")))
                    .isEqualTo(total / 3.0);
            assertThat(metrics.sum("inference_frames_unrouted_total", Map.of("model", "cars")))
                    .isZero();
            for (String model : List.of("cars", "scenes")) {
                assertThat(metrics.sum("inference_frames_in_total", Map.of("model", model)))
                        .as("frames in, %s", model)
                        .isGreaterThanOrEqualTo(total);
                assertThat(metrics.named("inference_model_info"))
                        .anySatisfy(
                                s ->
                                        assertThat(s.labels())
                                                .containsEntry("model", model)
                                                .containsEntry("version", "2"));
            }
            assertThat(InferenceServiceIT.get(url + "/health"))
                    .contains("model:cars")
                    .contains("model:scenes")
                    .contains("serving scenes v2");
        }
    }

    @Test
    void shouldNameTheModelsKeyAtFaultInOneLine(EmbeddedKafkaBroker broker) {
        Map<String, String> s = settings(broker, "unused.");
        s.put("inference.models.scenes.batch.max.size", "0");
        assertThatThrownBy(() -> InferenceConfig.all(ConfigSource.of(s)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'inference.models.scenes.batch.max.size'");

        s.put("inference.models", "cars,cars");
        assertThatThrownBy(() -> InferenceConfig.all(ConfigSource.of(s)))
                .hasMessageContaining("'cars' is listed twice");
    }

    private static byte[] detector(int version) {
        return TestModels.detector("cars", version, version == 1 ? "" : "-v" + version);
    }

    private static int firstIndexAt(List<io.streamtune.contracts.FrameRef> frames, int version) {
        return frames.stream()
                .filter(f -> f.modelVersion() == version)
                .mapToInt(f -> index(f.frameId()))
                .min()
                .orElseThrow();
    }

    private static int index(String frameId) {
        return Integer.parseInt(frameId.substring(frameId.indexOf('/') + 1));
    }

    private static void awaitVersion(IntSupplier serving, int version) throws Exception {
        eventually(
                Duration.ofSeconds(30),
                () -> assertThat(serving.getAsInt()).as("serving version").isEqualTo(version));
    }

    private static void publish(
            KafkaProducer<byte[], byte[]> producer,
            String prefix,
            String model,
            Task task,
            int version,
            ArtifactRef ref) {
        KafkaTestClients.announce(
                producer,
                prefix,
                ModelPublished.of(
                        model,
                        version,
                        task,
                        task == Task.DETECTION
                                ? List.of("red", "blue")
                                : List.of("background", "red", "blue"),
                        task == Task.DETECTION ? "map50_95" : "miou",
                        0.5,
                        ref,
                        Instant.now()));
    }
}
