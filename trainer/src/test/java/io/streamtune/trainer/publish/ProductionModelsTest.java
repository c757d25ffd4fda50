package io.streamtune.trainer.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamtune.contracts.ArtifactRef;
import io.streamtune.contracts.ModelPublished;
import io.streamtune.contracts.Task;
import io.streamtune.contracts.Topics;
import io.streamtune.kafka.embedded.MockClients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Production read from the compacted models topic, with Kafka's own MockConsumer. */
class ProductionModelsTest {

    private static final String TOPIC = "models.published";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);

    private final MockConsumer<byte[], byte[]> consumer = MockClients.consumer();
    private final ProductionModels production = new ProductionModels(() -> consumer, TOPIC);

    private static ModelPublished version(String model, int v) {
        return ModelPublished.of(
                model,
                v,
                Task.CLASSIFICATION,
                List.of("a", "b"),
                "accuracy",
                0.9,
                new ArtifactRef("file:///m/" + model + "/" + v + ".onnx", "0".repeat(64), 10, 1),
                Instant.parse("2026-12-03T10:00:00Z"));
    }

    /** The topic holds {@code values} (null: tombstone) at offsets 0.., keyed by model. */
    private void topic(List<String> keys, List<byte[]> values) {
        MockClients.topic(consumer, TOPIC, 1);
        consumer.updateEndOffsets(Map.of(TP, (long) values.size()));
        consumer.schedulePollTask(
                () -> {
                    for (int i = 0; i < values.size(); i++) {
                        consumer.addRecord(
                                new ConsumerRecord<>(
                                        TOPIC,
                                        0,
                                        i,
                                        keys.get(i).getBytes(StandardCharsets.UTF_8),
                                        values.get(i)));
                    }
                });
    }

    @Test
    void shouldTakeTheLatestAnnouncementEvenWhenARollbackLowersTheVersion() {
        topic(
                List.of("cams", "pets", "cams", "cams"),
                List.of(
                        Topics.MODELS_PUBLISHED.bytes(version("cams", 1)),
                        Topics.MODELS_PUBLISHED.bytes(version("pets", 7)),
                        Topics.MODELS_PUBLISHED.bytes(version("cams", 2)),
                        Topics.MODELS_PUBLISHED.bytes(version("cams", 1))));

        assertThat(production.current("cams", Duration.ofSeconds(5)))
                .hasValueSatisfying(p -> assertThat(p.version()).isEqualTo(1));
        assertThat(consumer.closed()).isTrue();
    }

    @Test
    void shouldSkipAnUnreadableAnnouncementAndEndAtATombstone() {
        topic(
                List.of("cams", "cams", "pets"),
                java.util.Arrays.asList(
                        Topics.MODELS_PUBLISHED.bytes(version("cams", 3)),
                        "{not json".getBytes(StandardCharsets.UTF_8),
                        null));

        assertThat(production.current("cams", Duration.ofSeconds(5)))
                .as("the unreadable record is not production; v3 still is")
                .hasValueSatisfying(p -> assertThat(p.version()).isEqualTo(3));
    }

    @Test
    void shouldHaveNoProductionAfterATombstone() {
        topic(
                List.of("cams", "cams"),
                java.util.Arrays.asList(Topics.MODELS_PUBLISHED.bytes(version("cams", 3)), null));

        assertThat(production.current("cams", Duration.ofSeconds(5))).isEmpty();
    }

    @Test
    void shouldFailNamingTheTopicWhenItsEndIsNotReachedInTime() {
        MockClients.topic(consumer, TOPIC, 1);
        consumer.updateEndOffsets(Map.of(TP, 5L)); // five records announced, none ever arrives

        assertThatThrownBy(() -> production.current("cams", Duration.ofMillis(300)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("could not read models.published to its end");
    }
}
