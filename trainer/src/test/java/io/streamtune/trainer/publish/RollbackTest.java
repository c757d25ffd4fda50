package io.streamtune.trainer.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamtune.contracts.ArtifactRef;
import io.streamtune.contracts.ModelPublished;
import io.streamtune.contracts.Promotion;
import io.streamtune.contracts.Task;
import io.streamtune.kafka.embedded.MockClients;
import io.streamtune.vision.artifact.FileArtifactStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.MockProducer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A rollback's announcement and what it records, on Kafka's MockProducer. */
class RollbackTest {

    private static final String TOPIC = "st.models.published";

    @TempDir Path dir;

    private ModelRegistry registry;
    private FileArtifactStore store;

    @BeforeEach
    void versions() throws Exception {
        registry = new ModelRegistry(dir.resolve("trainer"));
        store = new FileArtifactStore(dir.resolve("artifacts"));
        for (int v = 1; v <= 2; v++) {
            ArtifactRef ref = store.put("cams", v, ("onnx " + v).getBytes(StandardCharsets.UTF_8));
            ModelPublished p =
                    ModelPublished.of(
                            "cams",
                            v,
                            Task.CLASSIFICATION,
                            List.of("a", "b"),
                            "accuracy",
                            0.9,
                            ref,
                            Instant.parse("2026-12-03T10:00:00Z"));
            registry.save(new ModelRegistry.Manifest(p, Map.of(), List.of()), new byte[] {1});
        }
    }

    private Rollback rollback(MockProducer<byte[], byte[]> producer, Duration timeout) {
        return new Rollback(registry, store, producer, TOPIC, Clock.systemUTC(), p -> p, timeout);
    }

    private ModelPublished production() {
        return registry.manifest("cams", 2).orElseThrow().published();
    }

    @Test
    void shouldAnnounceThePreviousVersionAndRecordTheRollbackInBothManifests() throws Exception {
        MockProducer<byte[], byte[]> producer = MockClients.producer(true);

        ModelPublished back =
                rollback(producer, Duration.ofSeconds(5))
                        .rollback(production(), null, Promotion.By.OPERATOR_ROLLBACK, "bad labels");

        assertThat(back.version()).isEqualTo(1);
        assertThat(back.isRollback()).isTrue();
        assertThat(producer.history()).hasSize(1);
        assertThat(producer.history().get(0).topic()).isEqualTo(TOPIC);
        assertThat(registry.manifest("cams", 2).orElseThrow().rolledBack()).isTrue();
        assertThat(registry.manifest("cams", 1).orElseThrow().events())
                .extracting(ModelRegistry.Event::kind)
                .containsExactly(ModelRegistry.Event.Kind.RESTORED);
    }

    @Test
    void shouldRecordNothingAndSayItMayBeRetriedWhenKafkaDoesNotAcknowledge() {
        MockProducer<byte[], byte[]> producer = MockClients.producer(false);

        assertThatThrownBy(
                        () ->
                                rollback(producer, Duration.ofMillis(200))
                                        .rollback(
                                                production(),
                                                null,
                                                Promotion.By.AUTOMATIC_ROLLBACK,
                                                "fails live"))
                .isInstanceOfSatisfying(
                        Rollback.RollbackException.class,
                        e -> {
                            assertThat(e.retriable()).isTrue();
                            assertThat(e.getMessage())
                                    .isEqualTo(
                                            TOPIC
                                                    + " did not acknowledge the rollback"
                                                    + " announcement within 0.2s");
                        });
        assertThat(registry.manifest("cams", 2).orElseThrow().rolledBack()).isFalse();
        assertThat(registry.manifest("cams", 1).orElseThrow().events()).isEmpty();
    }

    @Test
    void shouldNameTheCauseWhenKafkaRefusesTheAnnouncement() {
        MockProducer<byte[], byte[]> producer = MockClients.producer(false);
        MockClients.refuseFirstSend(
                producer, new org.apache.kafka.common.errors.AuthorizationException("denied"));

        assertThatThrownBy(
                        () ->
                                rollback(producer, Duration.ofSeconds(5))
                                        .rollback(
                                                production(),
                                                1,
                                                Promotion.By.OPERATOR_ROLLBACK,
                                                "operator"))
                .isInstanceOfSatisfying(
                        Rollback.RollbackException.class,
                        e -> {
                            assertThat(e.retriable()).isTrue();
                            assertThat(e.getMessage())
                                    .startsWith("could not announce the rollback on " + TOPIC)
                                    .contains("denied");
                        });
        assertThat(registry.manifest("cams", 2).orElseThrow().rolledBack()).isFalse();
    }

    @Test
    void shouldRefuseARollbackToTheVersionInProductionAsNotRetriable() {
        assertThatThrownBy(
                        () ->
                                rollback(MockClients.producer(true), Duration.ofSeconds(5))
                                        .rollback(
                                                production(),
                                                2,
                                                Promotion.By.OPERATOR_ROLLBACK,
                                                "operator"))
                .isInstanceOfSatisfying(
                        Rollback.RollbackException.class, e -> assertThat(e.retriable()).isFalse())
                .hasMessage("cams v2 is already production; nothing to roll back");
    }
}
