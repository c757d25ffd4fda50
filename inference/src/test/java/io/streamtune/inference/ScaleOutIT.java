package io.streamtune.inference;

import static io.streamtune.testkit.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamtune.contracts.DetectionsEmitted;
import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.Topics;
import io.streamtune.kafka.embedded.EmbeddedKafkaBroker;
import io.streamtune.kafka.embedded.SharedKafka;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SharedKafka.class)
class ScaleOutIT {

    /**
     * Waits until the group has {@code members} members that each own partitions (the rebalance is
     * done).
     */
    static void awaitMembersWithPartitions(EmbeddedKafkaBroker broker, String group, int members)
            throws Exception {
        try (var admin =
                org.apache.kafka.clients.admin.Admin.create(
                        Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            // describing fails until the group's first member joins: that counts as not yet
            eventually(
                    Duration.ofSeconds(60),
                    () -> admin.describeConsumerGroups(List.of(group)).all().get().get(group),
                    d ->
                            d.members().size() == members
                                    && d.members().stream()
                                            .allMatch(
                                                    m ->
                                                            !m.assignment()
                                                                    .topicPartitions()
                                                                    .isEmpty()));
        }
    }

    private static final JsonSerde<DetectionsEmitted> DETECTIONS =
            JsonSerde.of(DetectionsEmitted.class);

    @TempDir Path dir;

    @Test
    void shouldShareFramesWithASecondInstanceThatJoinsMidStreamWithoutLossOrRepeats(
            EmbeddedKafkaBroker broker) throws Exception {
        String prefix = SharedKafka.unique("scale") + ".";
        Path model = Files.write(dir.resolve("cars.onnx"), TestModels.detector("cars", 1, ""));
        Map<String, String> common =
                Map.of(
                        "inference.model", "cars",
                        "inference.model.file", model.toString(),
                        "inference.model.follow", "false",
                        "inference.delivery", "exactly-once",
                        "inference.batch.max.size", "4");
        Map<String, String> a = new java.util.HashMap<>(common);
        a.put("instance.id", "inference-a");
        Map<String, String> b = new java.util.HashMap<>(common);
        b.put("instance.id", "inference-b");
        int total = 180;
        int cameras = 12;
        byte[] image = TestFrames.jpeg(64, 48, Color.RED);

        try (var producer = KafkaTestClients.producer(broker.bootstrapServers());
                var first = InferenceService.start(InferenceServiceIT.config(broker, prefix, a))) {
            InferenceService second = null;
            try {
                for (int i = 0; i < total; i++) {
                    KafkaTestClients.sendFrame(producer, prefix, i, cameras, image);
                    if (i == total / 3) {
                        second =
                                InferenceService.start(
                                        InferenceServiceIT.config(broker, prefix, b));
                        awaitMembersWithPartitions(broker, "inference-cars", 2);
                    }
                    Thread.sleep(5);
                }
                var out =
                        KafkaTestClients.read(
                                broker.bootstrapServers(),
                                prefix + Topics.PREDICTIONS_DETECTIONS.name(),
                                total,
                                Duration.ofSeconds(60));
                var again =
                        KafkaTestClients.read(
                                broker.bootstrapServers(),
                                prefix + Topics.PREDICTIONS_DETECTIONS.name(),
                                total + 1,
                                Duration.ofSeconds(3));

                List<String> ids =
                        out.stream()
                                .map(r -> DETECTIONS.fromBytes(r.value()).frame().frameId())
                                .toList();
                assertThat(ids).hasSize(total).doesNotHaveDuplicates();
                assertThat(again).hasSize(total);
                Map<String, List<Integer>> sequences = new LinkedHashMap<>();
                for (String id : ids) {
                    sequences
                            .computeIfAbsent(
                                    id.substring(0, id.indexOf('/')), k -> new ArrayList<>())
                            .add(Integer.parseInt(id.substring(id.indexOf('/') + 1)));
                }
                assertThat(sequences).hasSize(cameras);
                sequences.values().forEach(s -> assertThat(s).isSorted());
                double byFirst = framesOut(first);
                double bySecond = framesOut(second);
                assertThat(byFirst).isPositive();
                assertThat(bySecond).isPositive();
                assertThat(new HashSet<>(ids)).hasSize(total);
            } finally {
                if (second != null) {
                    second.close();
                }
            }
        }
    }

    private static double framesOut(InferenceService service) {
        return service.shell().registry().find(InferenceMetrics.FRAMES_OUT).counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
    }
}
