package io.streamtune.trainer.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.ModelPublished;
import io.streamtune.contracts.Task;
import io.streamtune.contracts.Topics;
import io.streamtune.kafka.embedded.MockClients;
import io.streamtune.vision.artifact.FileArtifactStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.producer.MockProducer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PublisherTest {

    @TempDir Path dir;
    private FileArtifactStore store;
    private ModelRegistry registry;

    @BeforeEach
    void setUp() {
        store = new FileArtifactStore(dir.resolve("artifacts"));
        registry = new ModelRegistry(dir.resolve("registry"));
    }

    private static MockProducer<byte[], byte[]> producer(boolean autoComplete) {
        return MockClients.producer(autoComplete);
    }

    private static Publisher.Release release(int version, Integer production) {
        return new Publisher.Release(
                "cams",
                version,
                new byte[] {1, 2, (byte) version},
                new byte[] {9},
                Map.of("lr", "0.001"),
                ref ->
                        new ModelPublished(
                                "cams",
                                version,
                                version > 1 ? version - 1 : null,
                                Task.CLASSIFICATION,
                                List.of("a", "b"),
                                "accuracy",
                                0.9,
                                Map.of("accuracy", 0.9),
                                ref,
                                Map.of(0, 10L),
                                Instant.parse("2026-12-03T10:00:00Z"),
                                null,
                                null,
                                null),
                Topics.MODELS_PUBLISHED.withPrefix("st."),
                production);
    }

    @Test
    void shouldStoreSaveAndAnnounceTheSignedVersion() throws Exception {
        MockProducer<byte[], byte[]> producer = producer(true);
        UnaryOperator<ModelPublished> sign = p -> p.withSignature("signed");
        Publisher publisher =
                new Publisher(store, registry, producer, sign, 5, Duration.ofSeconds(5));

        ModelPublished announced = publisher.publish(release(1, null));

        assertThat(announced.signature()).isEqualTo("signed");
        assertThat(store.fetch(announced.artifact())).containsExactly(1, 2, 1);
        assertThat(registry.manifest("cams", 1))
                .as("the manifest keeps the record unsigned")
                .hasValueSatisfying(
                        m -> assertThat(m.published()).isEqualTo(announced.withSignature(null)));
        assertThat(registry.trainGraph("cams", 1)).isPresent();
        assertThat(producer.history()).hasSize(1);
        var record = producer.history().get(0);
        assertThat(record.topic()).isEqualTo("st.models.published");
        assertThat(new String(record.key())).isEqualTo("cams");
        assertThat(JsonSerde.of(ModelPublished.class).fromBytes(record.value()))
                .isEqualTo(announced);
    }

    @Test
    void shouldDeleteVersionsPastTheRetentionButNeverProduction() throws Exception {
        Publisher publisher =
                new Publisher(store, registry, producer(true), p -> p, 2, Duration.ofSeconds(5));
        for (int v = 1; v <= 4; v++) {
            publisher.publish(release(v, v > 1 ? 1 : null));
        }

        // v2..v4 published as shadow candidates beside v1: v2 is past the retention of 2 once v4
        // is published, v1 stays because it serves
        assertThat(registry.versions("cams")).containsExactlyInAnyOrder(1, 3, 4);
    }

    @Test
    void shouldFailNamingTheTopicWhenKafkaDoesNotAcknowledge() {
        Publisher publisher =
                new Publisher(store, registry, producer(false), p -> p, 5, Duration.ofMillis(200));

        assertThatThrownBy(() -> publisher.publish(release(3, null)))
                .isInstanceOf(Publisher.PublishException.class)
                .hasMessage(
                        "cams v3: st.models.published did not acknowledge the announcement within 0.2s");
        // the version stays registered, so the next run numbers past it
        assertThat(Publisher.nextVersion(2, registry.versions("cams"))).isEqualTo(4);
    }

    @Test
    void shouldFailNamingTheCauseWhenKafkaRefuses() {
        MockProducer<byte[], byte[]> producer = producer(false);
        Publisher publisher =
                new Publisher(store, registry, producer, p -> p, 5, Duration.ofSeconds(5));
        Thread refuse =
                MockClients.refuseFirstSend(
                        producer,
                        new org.apache.kafka.common.errors.AuthorizationException("not allowed"));

        assertThatThrownBy(() -> publisher.publish(release(1, null)))
                .isInstanceOf(Publisher.PublishException.class)
                .hasMessage("cams v1: announcing on st.models.published failed: not allowed");
    }

    @Test
    void shouldNumberPastProductionAndEveryRegisteredVersion() {
        assertThat(Publisher.nextVersion(null, List.of())).isEqualTo(1);
        assertThat(Publisher.nextVersion(3, List.of(1, 2))).isEqualTo(4);
        assertThat(Publisher.nextVersion(2, List.of(1, 5))).isEqualTo(6);
    }

    @Test
    void shouldExpireOnlyVersionsAtLeastRetainOlder() {
        assertThat(Publisher.expired(List.of(1, 2, 3, 4, 5), 5, 2, null)).containsExactly(1, 2, 3);
        assertThat(Publisher.expired(List.of(1, 2, 3, 4, 5), 5, 2, 2)).containsExactly(1, 3);
        assertThat(Publisher.expired(List.of(5), 5, 1, null)).isEmpty();
    }
}
