package io.streamtune.inference;

import static io.streamtune.testkit.Eventually.until;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** An inference process killed with SIGKILL mid-stream, in exactly-once mode, and started again. */
@ExtendWith(SharedKafka.class)
class CrashRecoveryIT {

    private static final JsonSerde<DetectionsEmitted> DETECTIONS =
            JsonSerde.of(DetectionsEmitted.class);

    @TempDir Path dir;

    @Test
    void shouldNeitherLoseNorRepeatAFrameWhenAnInstanceIsKilledMidTransaction(
            EmbeddedKafkaBroker broker) throws Exception {
        String prefix = SharedKafka.unique("crash") + ".";
        String bootstrap = broker.bootstrapServers();
        Path model = Files.write(dir.resolve("cars.onnx"), TestModels.detector("cars", 1, ""));
        int total = 300;
        int cameras = 3;
        byte[] image = TestFrames.jpeg(64, 48, Color.RED);

        Process first = start(bootstrap, prefix, model, "first.log");
        Process second = null;
        try {
            awaitTopic(bootstrap, prefix + Topics.FRAMES.name());
            AtomicInteger sent = new AtomicInteger();
            Thread camera =
                    new Thread(
                            () -> {
                                try (var producer = KafkaTestClients.producer(bootstrap)) {
                                    for (int i = 0; i < total; i++) {
                                        KafkaTestClients.sendFrame(
                                                producer, prefix, i, cameras, image);
                                        sent.incrementAndGet();
                                        Thread.sleep(10);
                                    }
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            });
            camera.start();
            var early =
                    KafkaTestClients.read(
                            bootstrap,
                            prefix + Topics.PREDICTIONS_DETECTIONS.name(),
                            40,
                            Duration.ofSeconds(60));

            first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            int sentAtKill = sent.get();
            second = start(bootstrap, prefix, model, "second.log");
            camera.join(60_000);
            var out =
                    KafkaTestClients.read(
                            bootstrap,
                            prefix + Topics.PREDICTIONS_DETECTIONS.name(),
                            total,
                            Duration.ofSeconds(90));
            var again =
                    KafkaTestClients.read(
                            bootstrap,
                            prefix + Topics.PREDICTIONS_DETECTIONS.name(),
                            total + 1,
                            Duration.ofSeconds(3));

            assertThat(early).hasSizeGreaterThanOrEqualTo(40);
            assertThat(sentAtKill).isLessThan(total);
            List<String> ids =
                    out.stream()
                            .map(r -> DETECTIONS.fromBytes(r.value()).frame().frameId())
                            .toList();
            assertThat(ids).hasSize(total).doesNotHaveDuplicates();
            assertThat(again).hasSize(total);
            Map<String, List<Integer>> sequences = new LinkedHashMap<>();
            for (String id : ids) {
                sequences
                        .computeIfAbsent(id.substring(0, id.indexOf('/')), k -> new ArrayList<>())
                        .add(Integer.parseInt(id.substring(id.indexOf('/') + 1)));
            }
            assertThat(sequences).hasSize(cameras);
            sequences.values().forEach(s -> assertThat(s).isSorted());
        } finally {
            first.destroyForcibly();
            if (second != null) {
                second.destroy();
                if (!second.waitFor(15, TimeUnit.SECONDS)) {
                    second.destroyForcibly();
                }
            }
        }
    }

    private Process start(String bootstrap, String prefix, Path model, String log)
            throws Exception {
        List<String> command =
                List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx512m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "io.streamtune.inference.Main",
                        "--kafka.bootstrap.servers=" + bootstrap,
                        "--kafka.session.timeout.ms=6000",
                        "--kafka.heartbeat.interval.ms=1000",
                        "--topic.prefix=" + prefix,
                        "--http.host=127.0.0.1",
                        "--http.port=0",
                        "--instance.id=inference-crash",
                        "--inference.model=cars",
                        "--inference.model.file=" + model,
                        "--inference.model.follow=false",
                        "--inference.delivery=exactly-once",
                        "--inference.batch.max.size=4",
                        "--inference.batch.max.wait=10ms",
                        "--inference.threads.intra.op=1");
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(log).toFile())
                .start();
    }

    private static void awaitTopic(String bootstrap, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            until(
                    Duration.ofSeconds(60),
                    topic + " created by the inference process",
                    () -> {
                        try {
                            return admin.listTopics().names().get().contains(topic);
                        } catch (Exception e) {
                            return false;
                        }
                    });
        }
    }
}
