package io.streamtune.trainer.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.TrainingTriggered;
import io.streamtune.kafka.embedded.EmbeddedKafkaBroker;
import io.streamtune.kafka.embedded.SharedKafka;
import io.streamtune.runtime.TopicProvisioner;
import io.streamtune.trainer.TrainerMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SharedKafka.class)
class TriggerLoopIT {

    @Test
    void shouldCoalesceTriggersArrivingMidRunIntoOneLaterRunAndCommitThemAfterwards(
            EmbeddedKafkaBroker broker) throws Exception {
        String topic = SharedKafka.unique("triggers");
        String group = SharedKafka.unique("group");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            TopicProvisioner.create(admin, List.of(new NewTopic(topic, 3, (short) 1)), 30_000);
        }
        List<String> runs = new CopyOnWriteArrayList<>();
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Map<String, Object> props = consumerProps(broker, group);
        try (var producer =
                        new KafkaProducer<byte[], byte[]>(
                                Map.of(
                                        "bootstrap.servers",
                                        broker.bootstrapServers(),
                                        "key.serializer",
                                        ByteArraySerializer.class.getName(),
                                        "value.serializer",
                                        ByteArraySerializer.class.getName()));
                var loop =
                        new TriggerLoop(
                                        props,
                                        topic,
                                        model -> {
                                            runs.add(model);
                                            firstStarted.countDown();
                                            try {
                                                release.await(30, TimeUnit.SECONDS);
                                            } catch (InterruptedException e) {
                                                Thread.currentThread().interrupt();
                                            }
                                        },
                                        new TrainerMetrics(registry))
                                .start()) {
            send(producer, topic, "a", "1");
            assertThat(firstStarted.await(30, TimeUnit.SECONDS)).isTrue();

            send(producer, topic, "a", "2");
            send(producer, topic, "a", "3");
            send(producer, topic, "b", "4");
            send(producer, topic, "a", "5");
            Thread.sleep(2000);
            release.countDown();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (runs.size() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            Thread.sleep(1500);

            assertThat(runs).containsExactly("a", "a", "b");
            assertThat(registry.counter(TrainerMetrics.TRIGGERS).count()).isEqualTo(5);
            assertThat(registry.counter(TrainerMetrics.TRIGGERS_COALESCED).count()).isEqualTo(3);
            try (Admin admin =
                    Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                long committed =
                        admin
                                .listConsumerGroupOffsets(group)
                                .partitionsToOffsetAndMetadata()
                                .get()
                                .values()
                                .stream()
                                .mapToLong(o -> o.offset())
                                .sum();
                assertThat(committed).as("every trigger served and committed").isEqualTo(5);
            }
        }
    }

    @Test
    void shouldRunEachModelOnTheOneTrainerOwningItsPartition(EmbeddedKafkaBroker broker)
            throws Exception {
        String topic = SharedKafka.unique("triggers");
        String group = SharedKafka.unique("group");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            TopicProvisioner.create(admin, List.of(new NewTopic(topic, 3, (short) 1)), 30_000);
        }
        Map<String, Object> props = consumerProps(broker, group);
        List<String> first = new CopyOnWriteArrayList<>();
        List<String> second = new CopyOnWriteArrayList<>();
        try (var producer =
                        new KafkaProducer<byte[], byte[]>(
                                Map.of(
                                        "bootstrap.servers",
                                        broker.bootstrapServers(),
                                        "key.serializer",
                                        ByteArraySerializer.class.getName(),
                                        "value.serializer",
                                        ByteArraySerializer.class.getName()));
                var a =
                        new TriggerLoop(
                                        props,
                                        topic,
                                        first::add,
                                        new TrainerMetrics(new SimpleMeterRegistry()))
                                .start();
                var b =
                        new TriggerLoop(
                                        props,
                                        topic,
                                        second::add,
                                        new TrainerMetrics(new SimpleMeterRegistry()))
                                .start()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!(a.ready() && b.ready()) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            Thread.sleep(3000);

            for (int round = 0; round < 2; round++) {
                for (int m = 0; m < 6; m++) {
                    send(producer, topic, "model" + m, round + "-" + m);
                }
            }
            deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (java.util.stream.Stream.concat(first.stream(), second.stream())
                                    .distinct()
                                    .count()
                            < 6
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }

            assertThat(
                            java.util.stream.Stream.concat(first.stream(), second.stream())
                                    .distinct()
                                    .count())
                    .isEqualTo(6);
            assertThat(first).doesNotContainAnyElementsOf(second);
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

    private static Map<String, Object> consumerProps(EmbeddedKafkaBroker broker, String group) {
        return Map.of(
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
                ByteArrayDeserializer.class.getName());
    }
}
