package io.streamtune.inference.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamtune.contracts.ArtifactRef;
import io.streamtune.contracts.Topics;
import io.streamtune.inference.KafkaTestClients;
import io.streamtune.kafka.embedded.EmbeddedKafkaBroker;
import io.streamtune.kafka.embedded.SharedKafka;
import io.streamtune.runtime.TopicProvisioner;
import io.streamtune.vision.artifact.ArtifactException;
import io.streamtune.vision.artifact.KafkaArtifactStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The artifact store of {@code vision} on a real broker, as inference fetches through it. */
@ExtendWith(SharedKafka.class)
class KafkaArtifactStoreIT {

    @Test
    void shouldFetchAChunkedFileBackAndRefuseItOnceAChunkIsCorruptOrDeleted(
            EmbeddedKafkaBroker broker) throws Exception {
        String topic = SharedKafka.unique("artifacts") + "." + Topics.MODELS_ARTIFACTS.name();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            TopicProvisioner.create(
                    admin,
                    java.util.List.of(
                            new NewTopic(topic, 3, (short) 1)
                                    .configs(Topics.MODELS_ARTIFACTS.spec().configs())),
                    30_000);
        }
        byte[] file = new byte[10_000];
        new Random(1).nextBytes(file);
        try (var store =
                        new KafkaArtifactStore(
                                Map.of("bootstrap.servers", broker.bootstrapServers()),
                                topic,
                                1024,
                                Duration.ofSeconds(30));
                var producer = KafkaTestClients.producer(broker.bootstrapServers())) {
            store.put("cars", 1, new byte[] {1, 2, 3});

            ArtifactRef ref = store.put("cars", 2, file);
            byte[] fetched = store.fetch(ref);
            var withoutHints =
                    new ArtifactRef(
                            ref.uri().substring(0, ref.uri().indexOf('?')),
                            ref.sha256(),
                            ref.sizeBytes(),
                            ref.chunks());
            byte[] scanned = store.fetch(withoutHints);

            assertThat(ref.chunks()).isEqualTo(10);
            assertThat(ref.uri()).startsWith("kafka:" + topic + "/cars/2?offsets=");
            assertThat(fetched).isEqualTo(file);
            assertThat(scanned).isEqualTo(file);
            // An announcement promising 2^31-1 chunks is refused from what is there, unallocated.
            var greedy =
                    new ArtifactRef(ref.uri(), ref.sha256(), ref.sizeBytes(), Integer.MAX_VALUE);
            assertThatThrownBy(() -> store.fetch(greedy))
                    .isInstanceOfSatisfying(
                            ArtifactException.class,
                            e ->
                                    assertThat(e.reason())
                                            .isEqualTo(ArtifactException.Reason.INCOMPLETE))
                    .hasMessageContaining("has 10 of 2147483647 chunks");

            byte[] bad = new byte[1024];
            KafkaTestClients.sendSync(
                    producer,
                    new ProducerRecord<>(topic, "cars/2/4".getBytes(StandardCharsets.UTF_8), bad));
            assertThatThrownBy(() -> store.fetch(ref))
                    .isInstanceOfSatisfying(
                            ArtifactException.class,
                            e ->
                                    assertThat(e.reason())
                                            .isEqualTo(ArtifactException.Reason.CHECKSUM_MISMATCH));

            store.delete("cars", 2);
            assertThatThrownBy(() -> store.fetch(ref))
                    .isInstanceOfSatisfying(
                            ArtifactException.class,
                            e ->
                                    assertThat(e.reason())
                                            .isEqualTo(ArtifactException.Reason.NOT_FOUND));
        }
    }

    @Test
    void shouldReportAnArtifactOnAMissingTopicAsNotFound(EmbeddedKafkaBroker broker) {
        String topic = SharedKafka.unique("missing") + ".models.artifacts";
        var ref = new ArtifactRef("kafka:" + topic + "/cars/1", "0".repeat(64), 10, 1);

        try (var store =
                new KafkaArtifactStore(
                        Map.of("bootstrap.servers", broker.bootstrapServers()),
                        topic,
                        1024,
                        Duration.ofSeconds(2))) {
            assertThatThrownBy(() -> store.fetch(ref))
                    .isInstanceOfSatisfying(
                            ArtifactException.class,
                            e ->
                                    assertThat(e.reason())
                                            .isEqualTo(ArtifactException.Reason.NOT_FOUND));
        }
    }
}
