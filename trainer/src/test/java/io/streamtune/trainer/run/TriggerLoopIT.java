package io.streamtune.trainer.run;

import static io.streamtune.testkit.Eventually.eventually;
import static io.streamtune.testkit.Eventually.until;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.TrainingTriggered;
import io.streamtune.kafka.embedded.EmbeddedKafkaBroker;
import io.streamtune.kafka.embedded.SharedKafka;
import io.streamtune.kafka.embedded.TopicClients;
import io.streamtune.runtime.TopicProvisioner;
import io.streamtune.trainer.TrainerMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The trigger loop in a real consumer group: what needs a broker (group assignment, committed
 * offsets after a restart). Turn-by-turn behaviour is in {@link TriggerLoopTest}.
 */
@ExtendWith(SharedKafka.class)
class TriggerLoopIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void shouldRunEachModelOnTheOneTrainerOwningItsPartition(EmbeddedKafkaBroker broker)
            throws Exception {
        String topic = SharedKafka.unique("triggers");
        String group = SharedKafka.unique("group");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            TopicProvisioner.create(admin, List.of(new NewTopic(topic, 3, (short) 1)), 30_000);
        }
        List<String> first = new CopyOnWriteArrayList<>();
        List<String> second = new CopyOnWriteArrayList<>();
        try (var producer = producer(broker);
                var a = loop(broker, group, topic, first).start();
                var b = loop(broker, group, topic, second).start()) {
            // Joined does not mean settled: the first member may hold all three partitions until
            // the rebalance that lets the second in has finished.
            until(
                    WAIT,
                    "the three partitions shared between both trainers",
                    () -> {
                        var pa = a.partitions();
                        var pb = b.partitions();
                        return a.ready()
                                && b.ready()
                                && !pa.isEmpty()
                                && !pb.isEmpty()
                                && java.util.Collections.disjoint(pa, pb)
                                && pa.size() + pb.size() == 3;
                    });

            for (int round = 0; round < 2; round++) {
                for (int m = 0; m < 6; m++) {
                    send(producer, topic, "model" + m, round + "-" + m);
                }
            }

            eventually(
                    WAIT,
                    () ->
                            assertThat(Stream.concat(first.stream(), second.stream()).distinct())
                                    .hasSize(6));
            assertThat(first).doesNotContainAnyElementsOf(second);
        }
    }

    @Test
    void shouldNotRunServedTriggersAgainAfterARestart(EmbeddedKafkaBroker broker) throws Exception {
        String topic = SharedKafka.unique("triggers");
        String group = SharedKafka.unique("group");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            TopicProvisioner.create(admin, List.of(new NewTopic(topic, 1, (short) 1)), 30_000);
        }
        List<String> before = new CopyOnWriteArrayList<>();
        try (var producer = producer(broker)) {
            try (var loop = loop(broker, group, topic, before).start()) {
                send(producer, topic, "a", "1");
                eventually(WAIT, () -> assertThat(before).containsExactly("a"));
                until(WAIT, "the served trigger is committed", () -> committed(broker, group) == 1);
            }
            send(producer, topic, "b", "2");
            List<String> after = new CopyOnWriteArrayList<>();
            try (var loop = loop(broker, group, topic, after).start()) {
                eventually(WAIT, () -> assertThat(after).contains("b"));
                until(WAIT, "both triggers committed", () -> committed(broker, group) == 2);
                assertThat(after).as("a was served before the restart").containsExactly("b");
            }
        }
    }

    private static TriggerLoop loop(
            EmbeddedKafkaBroker broker, String group, String topic, List<String> runs) {
        return new TriggerLoop(
                new KafkaConsumer<>(
                        Map.<String, Object>of(
                                "bootstrap.servers",
                                broker.bootstrapServers(),
                                "group.id",
                                group,
                                "enable.auto.commit",
                                "false",
                                "auto.offset.reset",
                                "earliest",
                                "key.deserializer",
                                ByteArrayDeserializer.class.getName(),
                                "value.deserializer",
                                ByteArrayDeserializer.class.getName())),
                topic,
                runs::add,
                new TrainerMetrics(new SimpleMeterRegistry()),
                (record, why) -> {});
    }

    private static KafkaProducer<byte[], byte[]> producer(EmbeddedKafkaBroker broker) {
        return TopicClients.producer(broker.bootstrapServers());
    }

    private static long committed(EmbeddedKafkaBroker broker, String group) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            return admin
                    .listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get()
                    .values()
                    .stream()
                    .mapToLong(o -> o == null ? 0 : o.offset())
                    .sum();
        } catch (Exception e) {
            return -1;
        }
    }

    private static void send(KafkaProducer<byte[], byte[]> p, String topic, String model, String id)
            throws Exception {
        var t =
                new TrainingTriggered(
                        id, model, TrainingTriggered.Reason.THRESHOLD, 1, 1, Instant.now());
        p.send(
                        new ProducerRecord<>(
                                topic,
                                model.getBytes(StandardCharsets.UTF_8),
                                JsonSerde.of(TrainingTriggered.class).toBytes(t)))
                .get();
    }
}
