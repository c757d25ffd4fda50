package io.streamtune.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaClusterIT {

    @Test
    void shouldKeepAcceptingAcksAllWritesWhenOneOfThreeBrokersIsDown() throws Exception {
        try (var cluster = EmbeddedKafkaCluster.start(3, 2, Duration.ofSeconds(90))) {
            try (Admin admin =
                    Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("replicated", 3, (short) 3))).all().get();
            }
            try (var producer =
                    new KafkaProducer<>(
                            Map.<String, Object>of(
                                    "bootstrap.servers",
                                    cluster.bootstrapServers(),
                                    "acks",
                                    "all",
                                    "delivery.timeout.ms",
                                    60_000,
                                    "request.timeout.ms",
                                    10_000),
                            new ByteArraySerializer(),
                            new ByteArraySerializer())) {
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>("replicated", new byte[] {(byte) i})).get();
                }

                cluster.stopNode(1);
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>("replicated", new byte[] {(byte) i})).get();
                }
            }

            assertThat(
                            EmbeddedKafkaBrokerIT.consumeAllFrom(
                                    cluster.bootstrapServers(), "replicated", 20))
                    .hasSize(20);
        }
    }
}
