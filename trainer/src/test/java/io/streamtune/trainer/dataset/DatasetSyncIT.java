package io.streamtune.trainer.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.Label;
import io.streamtune.contracts.LabelledImageAccepted;
import io.streamtune.kafka.embedded.EmbeddedKafkaBroker;
import io.streamtune.kafka.embedded.SharedKafka;
import io.streamtune.kafka.embedded.TopicClients;
import io.streamtune.runtime.TopicProvisioner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SharedKafka.class)
class DatasetSyncIT {

    private static final JsonSerde<LabelledImageAccepted> SERDE =
            JsonSerde.of(LabelledImageAccepted.class);

    @TempDir Path dir;

    @Test
    void shouldApplyAddsRelabelsAndTombstonesIncrementallyAndSkipCorruptRecords(
            EmbeddedKafkaBroker broker) throws Exception {
        String topic = SharedKafka.unique("labelled");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            TopicProvisioner.create(admin, List.of(new NewTopic(topic, 2, (short) 1)), 30_000);
        }
        Map<String, Object> props = Map.of("bootstrap.servers", broker.bootstrapServers());
        DatasetSync sync = new DatasetSync(props, topic);
        try (var producer = TopicClients.producer(broker.bootstrapServers())) {
            send(producer, topic, DatasetSyncTest.sample("m", 'a', "cat"));
            send(producer, topic, DatasetSyncTest.sample("m", 'b', "dog"));
            send(producer, topic, DatasetSyncTest.sample("m", 'c', "cat"));
            send(producer, topic, DatasetSyncTest.sample("other", 'd', "cat"));
            producer.send(
                            new ProducerRecord<>(
                                    topic, bytes("m/" + "e".repeat(64)), bytes("{broken")))
                    .get();

            DatasetSync.Result first =
                    sync.sync(DatasetStore.open(dir, "m"), Duration.ofSeconds(30));

            assertThat(first.samples()).isEqualTo(3);
            assertThat(first.corrupt()).isEqualTo(1);
            assertThat(first.recordsRead()).isEqualTo(5);

            send(producer, topic, DatasetSyncTest.sample("m", 'a', "dog"));
            producer.send(new ProducerRecord<>(topic, bytes("m/" + "b".repeat(64)), null)).get();
            send(producer, topic, DatasetSyncTest.sample("m", 'f', "bird"));

            DatasetStore reopened = DatasetStore.open(dir, "m");
            DatasetSync.Result second = sync.sync(reopened, Duration.ofSeconds(30));

            assertThat(second.recordsRead()).isEqualTo(3);
            assertThat(second.upserts()).isEqualTo(2);
            assertThat(second.deletes()).isEqualTo(1);
            assertThat(reopened.sampleIds())
                    .containsExactly("a".repeat(64), "c".repeat(64), "f".repeat(64));
            assertThat(reopened.load("a".repeat(64)).orElseThrow().label())
                    .isEqualTo(new Label.ClassLabel("dog"));
            assertThat(reopened.corruptRecords()).isEqualTo(1);
            assertThat(sync.sync(reopened, Duration.ofSeconds(30)).recordsRead()).isZero();
        }
    }

    private static void send(KafkaProducer<byte[], byte[]> p, String topic, LabelledImageAccepted s)
            throws Exception {
        p.send(new ProducerRecord<>(topic, bytes(s.key()), SERDE.toBytes(s))).get();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
