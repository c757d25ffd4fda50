package io.streamtune.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerIT {

    @Test
    void shouldKeepItsDataAndClusterIdAcrossRestarts(@TempDir Path dir) throws Exception {
        String topic = "kept";
        try (var broker =
                EmbeddedKafkaBroker.builder().dataDir(dir).build().start(Duration.ofSeconds(60))) {
            try (Admin admin =
                    Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
            }
            try (var producer =
                    new KafkaProducer<>(
                            Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()),
                            new ByteArraySerializer(),
                            new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(topic, new byte[] {42})).get();
            }
        }
        String clusterId = Files.readString(dir.resolve("cluster.id"));

        try (var broker =
                EmbeddedKafkaBroker.builder().dataDir(dir).build().start(Duration.ofSeconds(60))) {
            var values = consumeAll(broker, topic, 1);

            assertThat(values).hasSize(1);
            assertThat(values.get(0)).containsExactly(42);
            assertThat(Files.readString(dir.resolve("cluster.id"))).isEqualTo(clusterId);
        }
    }

    @Test
    void shouldAcceptAFiveMebibyteRecordOnATopicSizedForImages() throws Exception {
        try (var broker = EmbeddedKafkaBroker.builder().build().start(Duration.ofSeconds(60))) {
            try (Admin admin =
                    Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.createTopics(
                                List.of(
                                        new NewTopic("big", 1, (short) 1)
                                                .configs(
                                                        Map.of(
                                                                "max.message.bytes",
                                                                Integer.toString(16 << 20)))))
                        .all()
                        .get();
            }
            byte[] image = new byte[5 << 20];
            new Random(7).nextBytes(image);

            try (var producer =
                    new KafkaProducer<>(
                            Map.<String, Object>of(
                                    "bootstrap.servers",
                                    broker.bootstrapServers(),
                                    ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                                    16 << 20),
                            new ByteArraySerializer(),
                            new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>("big", image)).get();
            }

            assertThat(consumeAll(broker, "big", 1).get(0)).isEqualTo(image);
        }
    }

    @Test
    void shouldNameThePortWhenItIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(
                            () -> EmbeddedKafkaBroker.builder().port(taken.getLocalPort()).build())
                    .hasMessageContaining("kafka.port")
                    .hasMessageContaining("already in use");
        }
    }

    static List<byte[]> consumeAll(EmbeddedKafkaBroker broker, String topic, int expected) {
        return consumeAllFrom(broker.bootstrapServers(), topic, expected);
    }

    static List<byte[]> consumeAllFrom(String bootstrapServers, String topic, int expected) {
        try (var consumer =
                new KafkaConsumer<>(
                        Map.<String, Object>of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrapServers,
                                ConsumerConfig.GROUP_ID_CONFIG,
                                SharedKafka.unique("g"),
                                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                                "earliest",
                                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                                16 << 20,
                                ConsumerConfig.FETCH_MAX_BYTES_CONFIG,
                                32 << 20),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            var out = new java.util.ArrayList<byte[]>();
            long deadline = System.currentTimeMillis() + 30_000;
            while (out.size() < expected && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> out.add(r.value()));
            }
            return out;
        }
    }
}
