package io.streamtune.trainer.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamtune.contracts.Label;
import io.streamtune.contracts.LabelledImageAccepted;
import io.streamtune.contracts.Topics;
import io.streamtune.kafka.embedded.MockClients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dataset sync's reading rules on Kafka's MockConsumer; DatasetSyncIT runs it on a broker. */
class DatasetSyncTest {

    private static final String TOPIC = "images.labelled";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    @TempDir Path dir;

    @Test
    void shouldApplyAddsRelabelsAndTombstonesOfItsModelAndSkipTheRest() {
        List<ConsumerRecord<byte[], byte[]>> p0 =
                List.of(
                        record(P0, 0, sample("m", 'a', "cat")),
                        record(P0, 1, sample("other", 'b', "cat")),
                        record(P0, 2, sample("m", 'a', "dog")),
                        new ConsumerRecord<>(
                                TOPIC, 0, 3, bytes("m/" + "c".repeat(64)), bytes("{")));
        List<ConsumerRecord<byte[], byte[]>> p1 =
                List.of(
                        record(P1, 0, sample("m", 'd', "cat")),
                        new ConsumerRecord<>(TOPIC, 1, 1, bytes("m/" + "d".repeat(64)), null),
                        record(P1, 2, sample("m", 'e', "cat")));
        DatasetStore store = DatasetStore.open(dir, "m");

        DatasetSync.Result r =
                new DatasetSync(() -> consumer(Map.of(P0, p0, P1, p1)), TOPIC)
                        .sync(store, Duration.ofSeconds(10));

        assertThat(r.recordsRead()).isEqualTo(7);
        assertThat(r.upserts()).isEqualTo(4); // a, a relabelled, d, e
        assertThat(r.deletes()).isEqualTo(1);
        assertThat(r.corrupt()).isEqualTo(1);
        assertThat(r.offsets()).isEqualTo(Map.of(0, 4L, 1, 3L));
        DatasetStore reopened = DatasetStore.open(dir, "m");
        assertThat(reopened.sampleIds()).containsExactlyInAnyOrder("a".repeat(64), "e".repeat(64));
        assertThat(reopened.load("a".repeat(64)).orElseThrow().label())
                .isEqualTo(new Label.ClassLabel("dog"));
        assertThat(reopened.offsets()).isEqualTo(Map.of(0, 4L, 1, 3L));
    }

    @Test
    void shouldStartFromTheStoredOffsetsAndReadNothingTwice() {
        List<ConsumerRecord<byte[], byte[]>> p0 =
                List.of(
                        record(P0, 0, sample("m", 'a', "cat")),
                        record(P0, 1, sample("m", 'b', "dog")));
        DatasetStore store = DatasetStore.open(dir, "m");
        new DatasetSync(() -> consumer(Map.of(P0, p0.subList(0, 1))), TOPIC)
                .sync(store, Duration.ofSeconds(10));

        DatasetSync.Result second =
                new DatasetSync(() -> consumer(Map.of(P0, p0)), TOPIC)
                        .sync(store, Duration.ofSeconds(10));

        assertThat(second.recordsRead()).isEqualTo(1);
        assertThat(second.samples()).isEqualTo(2);
    }

    @Test
    void shouldFailNamingTheTopicWhenTheEndIsNotReachedInTime() {
        MockConsumer<byte[], byte[]> c = consumer(Map.of(P0, List.of()));
        c.updateEndOffsets(Map.of(P0, 3L)); // records that never arrive

        assertThatThrownBy(
                        () ->
                                new DatasetSync(() -> c, TOPIC)
                                        .sync(DatasetStore.open(dir, "m"), Duration.ofMillis(500)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("dataset sync of m did not reach the end of " + TOPIC);
        assertThat(c.closed()).isTrue();
    }

    /** A consumer over {@code records} by partition 0.., each log beginning at offset 0. */
    private static MockConsumer<byte[], byte[]> consumer(
            Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> records) {
        MockConsumer<byte[], byte[]> c = MockClients.consumer();
        MockClients.topic(c, TOPIC, records.size());
        Map<TopicPartition, Long> end = new java.util.HashMap<>();
        records.forEach(
                (tp, rs) -> end.put(tp, rs.isEmpty() ? 0 : rs.get(rs.size() - 1).offset() + 1));
        c.updateEndOffsets(end);
        c.schedulePollTask(() -> records.values().forEach(rs -> rs.forEach(c::addRecord)));
        return c;
    }

    private static ConsumerRecord<byte[], byte[]> record(
            TopicPartition tp, long offset, LabelledImageAccepted s) {
        return new ConsumerRecord<>(
                tp.topic(),
                tp.partition(),
                offset,
                bytes(s.key()),
                Topics.IMAGES_LABELLED.bytes(s));
    }

    /** A labelled sample with a 64-character id of {@code id} (DatasetSyncIT uses it too). */
    static LabelledImageAccepted sample(String model, char id, String label) {
        return new LabelledImageAccepted(
                String.valueOf(id).repeat(64),
                model,
                new byte[] {1, 2, 3},
                "image/png",
                1,
                1,
                new Label.ClassLabel(label),
                "test",
                Instant.EPOCH);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
