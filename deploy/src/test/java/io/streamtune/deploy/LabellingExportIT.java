package io.streamtune.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamtune.contracts.ClassificationsEmitted;
import io.streamtune.contracts.FrameRef;
import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.LabellingRequested;
import io.streamtune.contracts.Task;
import io.streamtune.kafka.embedded.EmbeddedKafkaBroker;
import io.streamtune.kafka.embedded.SharedKafka;
import io.streamtune.kafka.embedded.TopicClients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ./streamtune labelling export} against a real broker: the latest request per frame of the
 * model, none of another model's, none that was deleted, written as Label Studio tasks.
 */
@ExtendWith(SharedKafka.class)
class LabellingExportIT {

    private static final Instant T = Instant.parse("2026-12-02T10:00:00Z");

    @Test
    void shouldExportTheLatestRequestPerFrameOfTheModelAsLabelStudioTasks(
            EmbeddedKafkaBroker broker, @TempDir Path dir) throws Exception {
        String prefix = SharedKafka.unique("labelling") + ".";
        String topic = prefix + "labelling.requests";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
        }
        try (var producer = TopicClients.producer(broker.bootstrapServers())) {
            send(producer, topic, request("pets", "f-1", "dog", 0.5));
            send(producer, topic, request("pets", "f-1", "cat", 0.4)); // a newer request
            send(producer, topic, request("cars", "f-9", "car", 0.5));
            send(producer, topic, request("pets", "f-2", "dog", 0.5));
            producer.send(
                            new ProducerRecord<>(
                                    topic, "pets/f-2".getBytes(StandardCharsets.UTF_8), null))
                    .get();
        }
        Path out = dir.resolve("tasks.json");

        int code =
                new CommandLine(new StreamtuneCli())
                        .execute(
                                "labelling",
                                "export",
                                "--model",
                                "pets",
                                "--out",
                                out.toString(),
                                "--bootstrap-servers",
                                broker.bootstrapServers(),
                                "--set",
                                "topic.prefix=" + prefix);

        assertThat(code).isZero();
        JsonNode tasks = JsonSerde.MAPPER.readTree(Files.readAllBytes(out));
        assertThat(tasks).hasSize(1);
        assertThat(tasks.get(0).path("data").path("frame_id").asText()).isEqualTo("f-1");
        assertThat(
                        tasks.get(0)
                                .path("predictions")
                                .get(0)
                                .path("result")
                                .get(0)
                                .path("value")
                                .path("choices")
                                .get(0)
                                .asText())
                .isEqualTo("cat");
    }

    private static void send(
            KafkaProducer<byte[], byte[]> producer, String topic, LabellingRequested r)
            throws Exception {
        producer.send(
                        new ProducerRecord<>(
                                topic,
                                r.key().getBytes(StandardCharsets.UTF_8),
                                JsonSerde.of(LabellingRequested.class).toBytes(r)))
                .get();
    }

    private static LabellingRequested request(String model, String frame, String cls, double p) {
        var emitted =
                new ClassificationsEmitted(
                        new FrameRef(frame, "cam", T, 8, 8, model, 1),
                        List.of(new ClassificationsEmitted.ClassScore(cls, 0, p)),
                        T);
        return new LabellingRequested(
                emitted.frame(),
                Task.CLASSIFICATION,
                new byte[] {(byte) 0xFF, (byte) 0xD8, 1},
                "low_confidence",
                p,
                JsonSerde.MAPPER.valueToTree(emitted),
                T);
    }
}
