package io.streamtune.ingest.intake;

import static io.streamtune.testkit.Eventually.eventually;
import static io.streamtune.testkit.Eventually.until;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.Label;
import io.streamtune.contracts.LabelledImageSubmitted;
import io.streamtune.ingest.IngestConfig;
import io.streamtune.ingest.IngestMetrics;
import io.streamtune.ingest.IngestService;
import io.streamtune.ingest.accept.Acceptor;
import io.streamtune.ingest.accept.LabelIndex;
import io.streamtune.ingest.fixtures.TestImages;
import io.streamtune.kafka.embedded.EmbeddedKafkaBroker;
import io.streamtune.kafka.embedded.SharedKafka;
import io.streamtune.kafka.embedded.TopicClients;
import io.streamtune.runtime.ConfigSource;
import io.streamtune.runtime.KafkaSettings;
import io.streamtune.runtime.TopicProvisioner;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The pipelined intake loop against a real broker when its writes fail: the labelled topic does not
 * exist yet, so every write of the first polls times out; the loop must rewind, keep retrying, and
 * once the topic exists deliver every record exactly once and commit every offset.
 */
@ExtendWith(SharedKafka.class)
class IntakeConsumerIT {

    @Test
    void shouldRewindFailedPollsAndDeliverEveryRecordOnceWhenWritesRecover(
            EmbeddedKafkaBroker broker) throws Exception {
        String prefix = SharedKafka.unique("intake-retry") + ".";
        String intake = prefix + "images.intake";
        String labelled = prefix + "images.labelled";
        String dlq = prefix + "images.intake.dlq";
        String group = prefix + "group";
        KafkaSettings kafka =
                KafkaSettings.from(
                        ConfigSource.of(
                                Map.of(
                                        "kafka.bootstrap.servers",
                                        broker.bootstrapServers(),
                                        "kafka.max.block.ms",
                                        "1000")));
        try (Admin admin = Admin.create(kafka.admin("it"))) {
            TopicProvisioner.create(admin, List.of(new NewTopic(intake, 3, (short) 1)), 30_000);
        }
        int count = 24;
        var serde = JsonSerde.of(LabelledImageSubmitted.class);
        try (var producer = new KafkaProducer<byte[], byte[]>(kafka.producer("it-intake"))) {
            for (int i = 0; i < count; i++) {
                producer.send(
                        new ProducerRecord<>(
                                intake,
                                serde.toBytes(
                                        new LabelledImageSubmitted(
                                                "retry",
                                                TestImages.jpeg(24, 16, i),
                                                new Label.ClassLabel("c" + i % 3),
                                                "it"))));
            }
        }
        IngestConfig config =
                IngestConfig.from(
                        ConfigSource.of(
                                Map.of(
                                        "kafka.bootstrap.servers",
                                        broker.bootstrapServers(),
                                        "http.auth.enabled",
                                        "false")));
        Map<String, Object> consumerProps = new HashMap<>(kafka.consumer("it-intake", group));
        consumerProps.put("max.poll.records", 5);
        try (var producer =
                        new KafkaProducer<byte[], byte[]>(
                                IngestService.producerProperties(kafka, "it"));
                var loop =
                        new IntakeConsumer(
                                        new KafkaConsumer<>(consumerProps),
                                        intake,
                                        new Acceptor(
                                                IngestService.validator(config),
                                                producer,
                                                labelled,
                                                dlq,
                                                new LabelIndex(),
                                                new IngestMetrics(new SimpleMeterRegistry()),
                                                Clock.systemUTC()),
                                        2)
                                .start()) {
            // Writes fail while the labelled topic is missing: the loop reports itself unhealthy.
            until(Duration.ofSeconds(30), "unhealthy while writes fail", () -> !loop.healthy());
            try (Admin admin = Admin.create(kafka.admin("it"))) {
                TopicProvisioner.create(
                        admin,
                        List.of(
                                new NewTopic(labelled, 3, (short) 1),
                                new NewTopic(dlq, 1, (short) 1)),
                        30_000);
            }

            List<ConsumerRecord<byte[], byte[]>> written =
                    TopicClients.awaitRecords(
                            broker.bootstrapServers(),
                            labelled,
                            Duration.ofSeconds(60),
                            read -> read.size() >= count);
            Set<String> keys = new HashSet<>();
            for (ConsumerRecord<byte[], byte[]> r : written) {
                keys.add(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8));
            }
            assertThat(written).hasSize(count);
            assertThat(keys).hasSize(count);
            assertThat(TopicClients.readAll(broker.bootstrapServers(), dlq)).isEmpty();
            try (Admin admin = Admin.create(kafka.admin("it"))) {
                long committed =
                        eventually(
                                Duration.ofSeconds(30),
                                () ->
                                        admin
                                                .listConsumerGroupOffsets(group)
                                                .partitionsToOffsetAndMetadata()
                                                .get()
                                                .values()
                                                .stream()
                                                .mapToLong(OffsetAndMetadata::offset)
                                                .sum(),
                                c -> c >= count);
                assertThat(committed).as("committed offsets over all partitions").isEqualTo(count);
            }
            assertThat(loop.healthy()).isTrue();
        }
    }
}
