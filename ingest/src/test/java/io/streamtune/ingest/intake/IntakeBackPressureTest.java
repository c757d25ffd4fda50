package io.streamtune.ingest.intake;

import static io.streamtune.testkit.Eventually.until;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.Label;
import io.streamtune.contracts.LabelledImageSubmitted;
import io.streamtune.ingest.accept.Acceptor;
import io.streamtune.kafka.embedded.MockClients;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The intake loop against Kafka's own MockConsumer and a MockProducer that acknowledges nothing
 * until told: with a slow Kafka it pauses its partitions instead of reading on, and once the writes
 * are acknowledged it resumes, reads the rest and commits everything.
 */
class IntakeBackPressureTest {

    private static final TopicPartition TP = new TopicPartition("images.intake", 0);

    @Test
    void shouldPauseWhileWritesAreOutstandingThenResumeAndCommitEverything() throws Exception {
        MockConsumer<byte[], byte[]> consumer = MockClients.consumer();
        MockProducer<byte[], byte[]> producer = MockClients.producer(false);
        Acceptor acceptor = IntakeFixtures.acceptor(producer);
        int polls = IntakeConsumer.MAX_IN_FLIGHT + 2;
        consumer.schedulePollTask(
                () -> {
                    consumer.rebalance(List.of(TP));
                    consumer.updateBeginningOffsets(Map.of(TP, 0L));
                    consumer.addRecord(record(0));
                });
        for (int i = 1; i < polls; i++) {
            int offset = i;
            consumer.schedulePollTask(() -> consumer.addRecord(record(offset)));
        }

        try (IntakeConsumer loop = new IntakeConsumer(consumer, TP.topic(), acceptor, 1).start()) {
            // MAX_IN_FLIGHT polls unacknowledged: the partition is paused, the rest waits in it
            IntakeFixtures.await(() -> !consumer.paused().isEmpty(), "partition paused");
            IntakeFixtures.await(
                    () -> producer.history().size() == IntakeConsumer.MAX_IN_FLIGHT,
                    "the first polls validated and written");
            // ...and it stays so while nothing is acknowledged (a check that nothing happens, so a
            // pause rather than a wait for something)
            Thread.sleep(300);
            assertThat(producer.history()).hasSize(IntakeConsumer.MAX_IN_FLIGHT);
            assertThat(consumer.paused()).isNotEmpty();
            assertThat(committed(consumer)).isNull();

            // Kafka catches up: every write acknowledged, reading resumes, all is committed
            until(
                    Duration.ofSeconds(20),
                    "every poll committed once its writes are acknowledged",
                    () -> {
                        while (producer.completeNext()) {
                            // acknowledge whatever was written
                        }
                        return committed(consumer) != null && committed(consumer) >= polls;
                    });
            assertThat(committed(consumer)).isEqualTo((long) polls);
            assertThat(producer.history()).hasSize(polls);
            assertThat(consumer.paused()).isEmpty();
            assertThat(loop.healthy()).isTrue();
        }
    }

    /**
     * A dead-letter write that fails (the broker refused it) is not lost: the loop rewinds to the
     * record, reads it again, letters it again, and commits only once Kafka took the letter.
     */
    @Test
    void shouldRewindAndLetterAgainWhenTheDeadLetterWriteFails() throws Exception {
        MockConsumer<byte[], byte[]> consumer = MockClients.consumer();
        MockProducer<byte[], byte[]> producer = MockClients.producer(false);
        Acceptor acceptor = IntakeFixtures.acceptor(producer);
        byte[] garbage = "{\"model\":\"cats\",\"image\":".getBytes();
        consumer.schedulePollTask(
                () -> {
                    consumer.rebalance(List.of(TP));
                    consumer.updateBeginningOffsets(Map.of(TP, 0L));
                    consumer.addRecord(new ConsumerRecord<>(TP.topic(), 0, 0, null, garbage));
                });

        try (IntakeConsumer loop = new IntakeConsumer(consumer, TP.topic(), acceptor, 1).start()) {
            IntakeFixtures.await(() -> producer.history().size() == 1, "first dead letter sent");
            producer.errorNext(new org.apache.kafka.common.errors.TimeoutException("broker away"));
            IntakeFixtures.await(() -> !loop.healthy(), "unhealthy after the failed write");
            assertThat(committed(consumer)).isNull();

            // the loop rewinds to the record; the broker (MockConsumer forgets what it returned)
            // delivers it again, the loop letters it again, and this time Kafka takes it
            IntakeFixtures.await(() -> consumer.position(TP) == 0, "rewound to the record");
            consumer.schedulePollTask(
                    () ->
                            consumer.addRecord(
                                    new ConsumerRecord<>(TP.topic(), 0, 0, null, garbage)));
            IntakeFixtures.await(() -> producer.history().size() == 2, "dead letter sent again");
            producer.completeNext();
            IntakeFixtures.await(
                    () -> committed(consumer) != null && committed(consumer) == 1L, "committed");
            assertThat(producer.history())
                    .extracting(r -> r.topic())
                    .containsOnly("images.intake.dlq");
            assertThat(producer.history().get(1).value()).isEqualTo(garbage);
            IntakeFixtures.await(loop::healthy, "healthy again");
        }
    }

    private static Long committed(MockConsumer<byte[], byte[]> consumer) {
        var c = consumer.committed(Set.of(TP)).get(TP);
        return c == null ? null : c.offset();
    }

    /** An intake record with a distinct 8x8 PNG. */
    private static ConsumerRecord<byte[], byte[]> record(int offset) {
        try {
            BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
            img.setRGB(0, 0, 0x010101 * (offset + 1));
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(img, "png", png);
            byte[] value =
                    JsonSerde.of(LabelledImageSubmitted.class)
                            .toBytes(
                                    new LabelledImageSubmitted(
                                            "cats",
                                            png.toByteArray(),
                                            new Label.ClassLabel("cat"),
                                            "test"));
            return new ConsumerRecord<>(TP.topic(), TP.partition(), offset, null, value);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
