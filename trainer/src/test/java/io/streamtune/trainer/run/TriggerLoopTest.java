package io.streamtune.trainer.run;

import static io.streamtune.testkit.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.TrainingTriggered;
import io.streamtune.kafka.embedded.MockClients;
import io.streamtune.trainer.TrainerMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The trigger loop turn by turn on Kafka's MockConsumer: coalescing, commits, revocation. */
class TriggerLoopTest {

    private static final String TOPIC = "training.triggers";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final MockConsumer<byte[], byte[]> consumer = MockClients.consumer();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<String> runs = new CopyOnWriteArrayList<>();
    private final List<String> finished = new CopyOnWriteArrayList<>();
    private final List<String> letters = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final Map<TopicPartition, Long> next = new HashMap<>();
    private TriggerLoop loop;

    @BeforeEach
    void open() {
        loop =
                new TriggerLoop(
                        consumer,
                        TOPIC,
                        model -> {
                            runs.add(model);
                            if (model.startsWith("bad")) {
                                throw new IllegalStateException("a sample that kills runs");
                            }
                            try {
                                release.await(30, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                return;
                            }
                            finished.add(model);
                        },
                        new TrainerMetrics(registry),
                        (record, why) -> letters.add(record.offset() + ": " + why));
        loop.open();
        consumer.rebalance(List.of(P0, P1));
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
    }

    @AfterEach
    void close() {
        release.countDown();
        loop.close();
    }

    @Test
    void triggersArrivingMidRunAreCoalescedIntoOneLaterRunAndCommittedOnlyOnceServed() {
        trigger(P0, "a");
        loop.turn();
        eventually(WAIT, () -> assertThat(runs).containsExactly("a"));
        assertThat(committed(P0)).as("the running trigger is not committed").isZero();

        trigger(P0, "a");
        trigger(P0, "a");
        trigger(P1, "b");
        trigger(P0, "a");
        loop.turn();
        assertThat(runs).as("one run at a time").containsExactly("a");
        assertThat(committed(P0)).isZero();
        assertThat(committed(P1)).as("b waits for its run").isZero();

        release.countDown();
        eventually(
                WAIT,
                () -> {
                    loop.turn();
                    return finished;
                },
                f -> f.size() == 3);
        loop.turn();

        assertThat(runs).containsExactly("a", "a", "b");
        assertThat(committed(P0)).as("all four triggers of a served").isEqualTo(4);
        assertThat(committed(P1)).isEqualTo(1);
        assertThat(registry.counter(TrainerMetrics.TRIGGERS).count()).isEqualTo(5);
        assertThat(registry.counter(TrainerMetrics.TRIGGERS_COALESCED).count()).isEqualTo(3);
    }

    @Test
    void anUnreadableTriggerIsDeadLetteredAndCommittedPastWithoutARun() {
        consumer.addRecord(
                new ConsumerRecord<>(
                        TOPIC,
                        0,
                        offset(P0),
                        "a".getBytes(StandardCharsets.UTF_8),
                        "{not json".getBytes(StandardCharsets.UTF_8)));
        trigger(P0, "a");
        loop.turn();

        assertThat(letters).hasSize(1);
        assertThat(letters.get(0)).startsWith("0: ");
        eventually(WAIT, () -> assertThat(runs).containsExactly("a"));
        assertThat(committed(P0)).as("past the letter, before the running trigger").isEqualTo(1);
        assertThat(registry.counter(TrainerMetrics.TRIGGERS).count()).isEqualTo(1);
    }

    @Test
    void aRunThatDiesServesItsTriggersSoTheyAreNotReplayedForever() {
        trigger(P0, "bad-model");
        trigger(P0, "bad-model");
        eventually(
                WAIT,
                () -> {
                    loop.turn();
                    return committed(P0);
                },
                c -> c == 2);

        assertThat(runs)
                .as("both triggers coalesced into the one run that died")
                .containsExactly("bad-model");
        assertThat(loop.isAlive()).as("not started in this test").isFalse();
    }

    @Test
    void modelsPendingOnARevokedPartitionAreLeftToTheirNewOwner() {
        trigger(P0, "a");
        loop.turn();
        eventually(WAIT, () -> assertThat(runs).containsExactly("a"));
        trigger(P1, "b");
        loop.turn();

        consumer.rebalance(List.of(P0));
        release.countDown();
        eventually(
                WAIT,
                () -> {
                    loop.turn();
                    return committed(P0);
                },
                c -> c == 1);
        loop.turn();

        assertThat(runs).as("b belongs to the trainer that got partition 1").containsExactly("a");
    }

    @Test
    void closingDuringARunInterruptsItAndCommitsNothingMore() {
        trigger(P0, "a");
        loop.turn();
        eventually(WAIT, () -> assertThat(runs).containsExactly("a"));

        loop.close();

        assertThat(finished).as("the run was interrupted").isEmpty();
        assertThat(consumer.closed()).isTrue();
    }

    private void trigger(TopicPartition tp, String model) {
        var t =
                new TrainingTriggered(
                        "t" + next.getOrDefault(tp, 0L),
                        model,
                        TrainingTriggered.Reason.THRESHOLD,
                        1,
                        1,
                        Instant.now());
        consumer.addRecord(
                new ConsumerRecord<>(
                        TOPIC,
                        tp.partition(),
                        offset(tp),
                        model.getBytes(StandardCharsets.UTF_8),
                        JsonSerde.of(TrainingTriggered.class).toBytes(t)));
    }

    private long offset(TopicPartition tp) {
        long o = next.getOrDefault(tp, 0L);
        next.put(tp, o + 1);
        return o;
    }

    private long committed(TopicPartition tp) {
        OffsetAndMetadata o = consumer.committed(Set.of(tp)).get(tp);
        return o == null ? 0 : o.offset();
    }
}
