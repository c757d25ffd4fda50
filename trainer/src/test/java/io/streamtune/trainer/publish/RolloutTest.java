package io.streamtune.trainer.publish;

import static io.streamtune.testkit.Eventually.until;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamtune.contracts.GateEvidence;
import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.LiveReport;
import io.streamtune.contracts.ModelPublished;
import io.streamtune.contracts.ModelRejected;
import io.streamtune.contracts.Promotion;
import io.streamtune.contracts.Task;
import io.streamtune.kafka.embedded.MockClients;
import io.streamtune.trainer.TrainerMetrics;
import io.streamtune.vision.artifact.FileArtifactStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rollout policy's decisions, on Kafka's MockConsumer and MockProducer. */
class RolloutTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static final Rollout.Topics TOPICS =
            new Rollout.Topics(
                    io.streamtune.contracts.Topics.MODELS_CANDIDATES,
                    io.streamtune.contracts.Topics.MODELS_PUBLISHED,
                    io.streamtune.contracts.Topics.MODELS_LIVE,
                    io.streamtune.contracts.Topics.MODELS_REJECTED);
    private static final Rollout.Settings SETTINGS =
            new Rollout.Settings(100, 0.5, 0.01, true, 50, 0.05, 0.25);

    @TempDir Path dir;

    private MockConsumer<byte[], byte[]> consumer;
    private MockProducer<byte[], byte[]> producer;
    private ModelRegistry registry;
    private FileArtifactStore store;
    private Rollout rollout;
    private final long[] offsets = new long[3];
    private Thread acks;

    @BeforeEach
    void start() {
        registry = new ModelRegistry(dir.resolve("trainer"));
        store = new FileArtifactStore(dir.resolve("artifacts"));
        rollout = policy(MockClients.producer(true), Rollback.SEND_TIMEOUT).start();
    }

    /**
     * A policy on a fresh consumer of the three topics, writing through {@code writes} (which
     * becomes {@link #producer}), Kafka given {@code sendTimeout} to acknowledge each write.
     */
    private Rollout policy(MockProducer<byte[], byte[]> writes, Duration sendTimeout) {
        consumer = MockClients.consumer();
        MockClients.topics(
                consumer,
                List.of(
                        TOPICS.candidates().name(),
                        TOPICS.published().name(),
                        TOPICS.live().name()));
        java.util.Arrays.fill(offsets, 0);
        producer = writes;
        return new Rollout(
                SETTINGS,
                TOPICS,
                consumer,
                producer,
                new Rollback(
                        registry,
                        store,
                        producer,
                        TOPICS.published().name(),
                        Clock.systemUTC(),
                        p -> p,
                        sendTimeout),
                registry,
                new TrainerMetrics(new SimpleMeterRegistry()),
                Clock.systemUTC(),
                sendTimeout);
    }

    /**
     * Swaps the running policy for one whose writes Kafka does not acknowledge until {@link
     * #acknowledge} is called, each given 200 ms.
     */
    private void kafkaStopsAcknowledging() {
        rollout.close();
        rollout = policy(MockClients.producer(false), Duration.ofMillis(200)).start();
    }

    /** From now on, every write of the policy is acknowledged as it is made. */
    private void acknowledge() {
        MockProducer<byte[], byte[]> writes = producer;
        acks =
                new Thread(
                        () -> {
                            try {
                                while (true) {
                                    if (!writes.completeNext()) {
                                        Thread.sleep(5);
                                    }
                                }
                            } catch (InterruptedException e) {
                                // the test is over
                            }
                        },
                        "acks");
        acks.setDaemon(true);
        acks.start();
    }

    private long writes(String topic, java.util.function.Predicate<byte[]> value) {
        return producer.history().stream()
                .filter(r -> r.topic().equals(topic) && value.test(r.value()))
                .count();
    }

    @AfterEach
    void stop() throws Exception {
        if (acks != null) {
            acks.interrupt();
        }
        rollout.close();
    }

    private ModelPublished version(int v, Integer gatedAgainst, Promotion promotion)
            throws Exception {
        return version(v, gatedAgainst, promotion, 0.8);
    }

    private ModelPublished version(
            int v, Integer gatedAgainst, Promotion promotion, double productionAtGate)
            throws Exception {
        var ref = store.put("cams", v, ("onnx " + v).getBytes(StandardCharsets.UTF_8));
        var gate =
                new GateEvidence(
                                "accuracy",
                                0.9,
                                productionAtGate,
                                0.9 - productionAtGate,
                                0.02,
                                0.18,
                                0.95,
                                60,
                                0.01,
                                "test")
                        .against(gatedAgainst);
        var p =
                new ModelPublished(
                        "cams",
                        v,
                        v > 1 ? v - 1 : null,
                        Task.CLASSIFICATION,
                        List.of("a", "b"),
                        "accuracy",
                        0.9,
                        Map.of("accuracy", 0.9),
                        ref,
                        Map.of(0, 10L),
                        Instant.now().minusSeconds(60),
                        gate,
                        null,
                        promotion);
        registry.save(new ModelRegistry.Manifest(p, Map.of(), List.of()), new byte[] {1});
        return p;
    }

    private static Promotion gate(Integer from) {
        return new Promotion(Promotion.By.GATE, "gate", from, Instant.now().minusSeconds(60));
    }

    private void feed(String topic, byte[] value) {
        int i =
                topic.equals(TOPICS.candidates().name())
                        ? 0
                        : topic.equals(TOPICS.published().name()) ? 1 : 2;
        long offset = offsets[i]++;
        consumer.schedulePollTask(
                () ->
                        consumer.addRecord(
                                new ConsumerRecord<>(
                                        topic,
                                        0,
                                        offset,
                                        "cams".getBytes(StandardCharsets.UTF_8),
                                        value)));
    }

    private void announce(String topic, ModelPublished p) {
        feed(topic, JsonSerde.of(ModelPublished.class).toBytes(p));
    }

    private void report(
            String instance,
            int version,
            LiveReport.Role role,
            Integer production,
            long frames,
            long failures,
            double agreement) {
        var r =
                new LiveReport(
                        instance,
                        "cams",
                        version,
                        role,
                        production,
                        frames,
                        failures,
                        0.8 * frames,
                        frames,
                        role == LiveReport.Role.SHADOW ? frames : 0,
                        agreement * frames,
                        0,
                        0.7 * frames,
                        0,
                        Instant.now(),
                        Instant.now());
        feed(TOPICS.live().name(), JsonSerde.of(LiveReport.class).toBytes(r));
    }

    private <T> Optional<T> await(
            String topic, Class<T> type, java.util.function.Predicate<T> match, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (ProducerRecord<byte[], byte[]> r : producer.history()) {
                if (r.topic().equals(topic) && r.value() != null) {
                    T value = JsonSerde.of(type).fromBytes(r.value());
                    if (match.test(value)) {
                        return Optional.of(value);
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                return Optional.empty();
            }
            Thread.sleep(20);
        }
    }

    private <T> Optional<T> await(
            String topic, Class<T> type, java.util.function.Predicate<T> match)
            throws InterruptedException {
        return await(topic, type, match, Duration.ofSeconds(10));
    }

    /** The candidate's shadow phase ended: its tombstone written (the policy thread writes it). */
    private void awaitTombstone() {
        until(
                WAIT,
                "the candidate's tombstone",
                () ->
                        producer.history().stream()
                                .anyMatch(
                                        r ->
                                                r.topic().equals(TOPICS.candidates().name())
                                                        && r.value() == null));
    }

    @Test
    void shouldPromoteACandidateAfterEnoughShadowFramesFromAllInstances() throws Exception {
        announce(TOPICS.published().name(), version(1, null, gate(null)));
        announce(TOPICS.candidates().name(), version(2, 1, null));
        report("a", 2, LiveReport.Role.SHADOW, 1, 40, 0, 0.9);
        assertThat(
                        await(
                                TOPICS.published().name(),
                                ModelPublished.class,
                                p -> p.version() == 2,
                                Duration.ofMillis(1500)))
                .as("not promoted on 40 of 100 frames")
                .isEmpty();

        report("b", 2, LiveReport.Role.SHADOW, 1, 70, 0, 0.9);

        var promoted =
                await(TOPICS.published().name(), ModelPublished.class, p -> p.version() == 2);
        assertThat(promoted).isPresent();
        assertThat(promoted.get().promotion().by()).isEqualTo(Promotion.By.SHADOW);
        assertThat(promoted.get().promotion().shadow().frames()).isEqualTo(110);
        assertThat(promoted.get().promotion().shadow().instances()).isEqualTo(2);
        assertThat(promoted.get().promotion().shadow().agreement())
                .isCloseTo(0.9, org.assertj.core.data.Offset.offset(1e-9));
        awaitTombstone();
        until(
                WAIT,
                "the promotion recorded in the registry",
                () -> !registry.manifest("cams", 2).orElseThrow().events().isEmpty());
        assertThat(registry.manifest("cams", 2).orElseThrow().events())
                .extracting(ModelRegistry.Event::kind)
                .containsExactly(ModelRegistry.Event.Kind.PROMOTED);
    }

    @Test
    void shouldRejectACandidateThatFailsOrDisagreesInShadow() throws Exception {
        announce(TOPICS.published().name(), version(1, null, gate(null)));
        announce(TOPICS.candidates().name(), version(2, 1, null));
        report("a", 2, LiveReport.Role.SHADOW, 1, 120, 12, 0.3);

        var rejected = await(TOPICS.rejected().name(), ModelRejected.class, r -> true);
        assertThat(rejected).isPresent();
        assertThat(rejected.get().verdict()).isEqualTo(ModelRejected.Verdict.SHADOW_REGRESSION);
        assertThat(rejected.get().reason())
                .contains("failure rate 0.1000")
                .contains("agreement with production 0.300");
        awaitTombstone();
        assertThat(
                        await(
                                TOPICS.published().name(),
                                ModelPublished.class,
                                p -> p.version() == 2,
                                Duration.ofMillis(500)))
                .isEmpty();
    }

    /**
     * A much better candidate disagrees with a weak production wherever production is wrong: the
     * agreement it needs is capped at production's own accuracy at the gate.
     */
    @Test
    void shouldPromoteACandidateThatDisagreesWithAWeakProductionAsMuchAsProductionWasWrong()
            throws Exception {
        announce(TOPICS.published().name(), version(1, null, gate(null)));
        announce(TOPICS.candidates().name(), version(2, 1, null, 0.22));
        report("a", 2, LiveReport.Role.SHADOW, 1, 120, 0, 0.45);

        var promoted =
                await(TOPICS.published().name(), ModelPublished.class, p -> p.version() == 2);
        assertThat(promoted).isPresent();
        assertThat(promoted.get().promotion().by()).isEqualTo(Promotion.By.SHADOW);
    }

    @Test
    void shouldRejectACandidateGatedAgainstAVersionThatIsNoLongerProduction() throws Exception {
        version(1, null, gate(null));
        announce(TOPICS.published().name(), version(2, 1, gate(1)));
        announce(TOPICS.candidates().name(), version(3, 1, null));

        var rejected = await(TOPICS.rejected().name(), ModelRejected.class, r -> true);
        assertThat(rejected).isPresent();
        assertThat(rejected.get().verdict()).isEqualTo(ModelRejected.Verdict.STALE);
        assertThat(rejected.get().reason())
                .contains("gated against v1")
                .contains("v2 is production");
    }

    @Test
    void shouldRejectACandidateSupersededInShadow() throws Exception {
        announce(TOPICS.published().name(), version(1, null, gate(null)));
        announce(TOPICS.candidates().name(), version(2, 1, null));
        announce(TOPICS.candidates().name(), version(3, 1, null));

        var rejected = await(TOPICS.rejected().name(), ModelRejected.class, r -> true);
        assertThat(rejected).isPresent();
        assertThat(rejected.get().verdict()).isEqualTo(ModelRejected.Verdict.SUPERSEDED);
        assertThat(rejected.get().runId()).isEqualTo("shadow-v2");
    }

    @Test
    void shouldRollProductionBackWhenItFailsLive() throws Exception {
        version(1, null, gate(null));
        announce(TOPICS.published().name(), version(2, 1, gate(1)));
        report("a", 2, LiveReport.Role.PRODUCTION, null, 30, 1, 0);
        assertThat(
                        await(
                                TOPICS.published().name(),
                                ModelPublished.class,
                                ModelPublished::isRollback,
                                Duration.ofMillis(1500)))
                .as("30 frames are too few to judge")
                .isEmpty();

        report("b", 2, LiveReport.Role.PRODUCTION, null, 40, 20, 0);

        var back =
                await(TOPICS.published().name(), ModelPublished.class, ModelPublished::isRollback);
        assertThat(back).isPresent();
        assertThat(back.get().version()).isEqualTo(1);
        assertThat(back.get().promotion().by()).isEqualTo(Promotion.By.AUTOMATIC_ROLLBACK);
        assertThat(back.get().promotion().reason())
                .contains("failure rate 0.3000 over 70 live frames");
        until(
                WAIT,
                "the rollback recorded in the registry",
                () -> registry.manifest("cams", 2).orElseThrow().rolledBack());
    }

    @Test
    void shouldDecideAgainWhenKafkaDoesNotAcknowledgeAPromotionAndKeepRunning() throws Exception {
        kafkaStopsAcknowledging();
        announce(TOPICS.published().name(), version(1, null, gate(null)));
        announce(TOPICS.candidates().name(), version(2, 1, null));
        report("a", 2, LiveReport.Role.SHADOW, 1, 120, 0, 0.9);

        until(
                WAIT,
                "the promotion tried twice, unacknowledged",
                () -> writes(TOPICS.published().name(), v -> v != null) >= 2);
        assertThat(rollout.isAlive()).as("a write Kafka did not take does not stop it").isTrue();
        assertThat(registry.manifest("cams", 2).orElseThrow().events())
                .as("nothing recorded for a promotion Kafka did not take")
                .isEmpty();

        acknowledge();
        until(
                WAIT,
                "the promotion recorded once Kafka acknowledges",
                () -> !registry.manifest("cams", 2).orElseThrow().events().isEmpty());
        assertThat(registry.manifest("cams", 2).orElseThrow().events())
                .extracting(ModelRegistry.Event::kind)
                .containsExactly(ModelRegistry.Event.Kind.PROMOTED);
        awaitTombstone();
        assertThat(rollout.isAlive()).isTrue();
    }

    @Test
    void shouldRollBackAgainWhenKafkaDoesNotAcknowledgeTheRollback() throws Exception {
        kafkaStopsAcknowledging();
        version(1, null, gate(null));
        announce(TOPICS.published().name(), version(2, 1, gate(1)));
        report("a", 2, LiveReport.Role.PRODUCTION, null, 70, 21, 0);

        until(
                WAIT,
                "the rollback announced twice, unacknowledged",
                () ->
                        writes(
                                        TOPICS.published().name(),
                                        v ->
                                                v != null
                                                        && JsonSerde.of(ModelPublished.class)
                                                                .fromBytes(v)
                                                                .isRollback())
                                >= 2);
        assertThat(rollout.isAlive()).isTrue();
        assertThat(registry.manifest("cams", 2).orElseThrow().rolledBack())
                .as("no rollback recorded that Kafka did not take")
                .isFalse();

        acknowledge();
        until(
                WAIT,
                "the rollback recorded once Kafka acknowledges",
                () -> registry.manifest("cams", 2).orElseThrow().rolledBack());
        assertThat(registry.manifest("cams", 1).orElseThrow().events())
                .extracting(ModelRegistry.Event::kind)
                .containsExactly(ModelRegistry.Event.Kind.RESTORED);
    }
}
