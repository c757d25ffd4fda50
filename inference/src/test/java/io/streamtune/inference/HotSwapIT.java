package io.streamtune.inference;

import static io.streamtune.testkit.Eventually.until;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamtune.contracts.ArtifactRef;
import io.streamtune.contracts.DetectionsEmitted;
import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.ModelPublished;
import io.streamtune.contracts.ModelSwapReported;
import io.streamtune.contracts.Task;
import io.streamtune.contracts.Topics;
import io.streamtune.kafka.embedded.EmbeddedKafkaBroker;
import io.streamtune.kafka.embedded.SharedKafka;
import io.streamtune.vision.artifact.KafkaArtifactStore;
import java.awt.Color;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SharedKafka.class)
class HotSwapIT {

    private static final int CAMERAS = 3;
    private static final JsonSerde<DetectionsEmitted> DETECTIONS =
            JsonSerde.of(DetectionsEmitted.class);

    @Test
    void shouldSwapOnceUnderASteadyStreamWithoutLosingOrRepeatingAFrameAndRefuseACorruptArtifact(
            EmbeddedKafkaBroker broker) throws Exception {
        String prefix = SharedKafka.unique("swap") + ".";
        String bootstrap = broker.bootstrapServers();
        var config =
                InferenceServiceIT.config(
                        broker,
                        prefix,
                        Map.of(
                                "inference.model", "cars",
                                "inference.delivery", "exactly-once",
                                "inference.batch.max.size", "4",
                                "instance.id", "inference-swap"));
        int total = 240;

        try (var producer = KafkaTestClients.producer(bootstrap);
                var store =
                        KafkaArtifactStore.of(
                                Map.of("bootstrap.servers", bootstrap),
                                prefix + Topics.MODELS_ARTIFACTS.name())) {
            try (var service = InferenceService.start(config)) {
                publish(
                        producer,
                        prefix,
                        1,
                        store.put("cars", 1, TestModels.detector("cars", 1, "")));
                assertThat(service.shell().awaitReady(Duration.ofSeconds(30))).isTrue();
                byte[] image = TestFrames.jpeg(64, 48, Color.RED);

                for (int i = 0; i < total; i++) {
                    KafkaTestClients.sendFrame(producer, prefix, i, CAMERAS, image);
                    if (i == total / 3) {
                        publish(
                                producer,
                                prefix,
                                2,
                                store.put("cars", 2, TestModels.detector("cars", 2, "-v2")));
                    }
                    if (i == 2 * total / 3) {
                        ArtifactRef v3 =
                                store.put("cars", 3, TestModels.detector("cars", 3, "-v3"));
                        // A flipped byte in a chunk stored after the good one: the latest record
                        // per key wins.
                        byte[] chunk = TestModels.detector("cars", 3, "-v3");
                        chunk[chunk.length / 2] ^= 0x01;
                        KafkaTestClients.sendSync(
                                producer,
                                new ProducerRecord<>(
                                        prefix + Topics.MODELS_ARTIFACTS.name(),
                                        "cars/3/0".getBytes(StandardCharsets.UTF_8),
                                        chunk));
                        publish(producer, prefix, 3, v3);
                    }
                    Thread.sleep(4);
                }

                var out =
                        KafkaTestClients.read(
                                bootstrap,
                                prefix + Topics.PREDICTIONS_DETECTIONS.name(),
                                total,
                                Duration.ofSeconds(60));
                var events =
                        KafkaTestClients.read(
                                bootstrap,
                                prefix + Topics.INFERENCE_EVENTS.name(),
                                3,
                                Duration.ofSeconds(30));

                assertExactlyOnceInOrder(out, total);
                Map<String, List<Integer>> versions = versionsByCamera(out);
                List<Integer> all =
                        out.stream()
                                .map(r -> DETECTIONS.fromBytes(r.value()).frame().modelVersion())
                                .toList();
                assertThat(all).contains(1, 2).doesNotContain(3);
                assertThat(versions)
                        .hasSize(CAMERAS)
                        .allSatisfy(
                                (camera, v) -> {
                                    assertThat(v).isSorted();
                                    assertThat(changes(v))
                                            .as("version changes of %s", camera)
                                            .isEqualTo(1);
                                });
                assertThat(out)
                        .allSatisfy(
                                r -> {
                                    DetectionsEmitted d = DETECTIONS.fromBytes(r.value());
                                    String expected =
                                            d.frame().modelVersion() == 2 ? "red-v2" : "red";
                                    assertThat(d.detections())
                                            .extracting(DetectionsEmitted.Detection::label)
                                            .containsOnly(expected);
                                });
                var reports =
                        events.stream()
                                .map(
                                        r ->
                                                JsonSerde.of(ModelSwapReported.class)
                                                        .fromBytes(r.value()))
                                .toList();
                assertThat(reports)
                        .extracting(ModelSwapReported::version, ModelSwapReported::outcome)
                        .containsExactly(
                                org.assertj.core.groups.Tuple.tuple(
                                        1, ModelSwapReported.Outcome.SWAPPED),
                                org.assertj.core.groups.Tuple.tuple(
                                        2, ModelSwapReported.Outcome.SWAPPED),
                                org.assertj.core.groups.Tuple.tuple(
                                        3, ModelSwapReported.Outcome.CHECKSUM_MISMATCH));
                assertThat(reports.get(2).servingVersion()).isEqualTo(2);
                assertThat(service.models().servingVersion()).isEqualTo(2);
            }

            // A new instance finds v3 refused: it falls back to v2 instead of serving nothing.
            try (var service =
                    InferenceService.start(
                            InferenceServiceIT.config(
                                    broker,
                                    prefix,
                                    Map.of(
                                            "inference.model", "cars",
                                            "instance.id", "inference-fresh")))) {
                until(
                        Duration.ofSeconds(30),
                        "the fresh instance serves something",
                        () -> service.models().servingVersion() != 0);
                assertThat(service.models().servingVersion()).isEqualTo(2);
            }
        }
    }

    private static void assertExactlyOnceInOrder(
            List<ConsumerRecord<byte[], byte[]>> out, int total) {
        List<String> ids =
                out.stream().map(r -> DETECTIONS.fromBytes(r.value()).frame().frameId()).toList();
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < total; i++) {
            expected.add("cam-" + i % CAMERAS + "/" + i);
        }
        assertThat(ids).hasSize(total).doesNotHaveDuplicates();
        assertThat(new HashSet<>(ids)).isEqualTo(expected);
        Map<String, List<Integer>> sequences = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : out) {
            String id = DETECTIONS.fromBytes(r.value()).frame().frameId();
            sequences
                    .computeIfAbsent(id.substring(0, id.indexOf('/')), k -> new ArrayList<>())
                    .add(Integer.parseInt(id.substring(id.indexOf('/') + 1)));
        }
        sequences.values().forEach(s -> assertThat(s).isSorted());
    }

    private static Map<String, List<Integer>> versionsByCamera(
            List<ConsumerRecord<byte[], byte[]>> out) {
        Map<String, List<Integer>> versions = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : out) {
            DetectionsEmitted d = DETECTIONS.fromBytes(r.value());
            versions.computeIfAbsent(d.frame().cameraId(), k -> new ArrayList<>())
                    .add(d.frame().modelVersion());
        }
        return versions;
    }

    private static int changes(List<Integer> versions) {
        int changes = 0;
        for (int i = 1; i < versions.size(); i++) {
            if (!versions.get(i).equals(versions.get(i - 1))) {
                changes++;
            }
        }
        return changes;
    }

    private static void publish(
            KafkaProducer<byte[], byte[]> producer, String prefix, int version, ArtifactRef ref) {
        var published =
                ModelPublished.of(
                        "cars",
                        version,
                        Task.DETECTION,
                        List.of("red", "blue"),
                        "map50_95",
                        0.5,
                        ref,
                        Instant.now());
        KafkaTestClients.announce(producer, prefix, published);
    }
}
