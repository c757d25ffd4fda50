package io.streamtune.ingest.accept;

import static io.streamtune.testkit.Eventually.until;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamtune.kafka.embedded.EmbeddedKafkaBroker;
import io.streamtune.kafka.embedded.SharedKafka;
import io.streamtune.runtime.ConfigSource;
import io.streamtune.runtime.KafkaSettings;
import io.streamtune.runtime.PollLoop;
import io.streamtune.runtime.TopicProvisioner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The label index following the labelled topic on a real broker: it learns what another writer put
 * there, and moves past this process's own acknowledged writes without fetching them.
 */
@ExtendWith(SharedKafka.class)
class LabelIndexIT {

    @Test
    void shouldLearnOthersWritesWithoutReadingBackItsOwn(EmbeddedKafkaBroker broker)
            throws Exception {
        String topic = SharedKafka.unique("label-index") + ".images.labelled";
        KafkaSettings kafka =
                KafkaSettings.from(
                        ConfigSource.of(
                                Map.of("kafka.bootstrap.servers", broker.bootstrapServers())));
        try (Admin admin = Admin.create(kafka.admin("it"))) {
            TopicProvisioner.create(admin, List.of(new NewTopic(topic, 1, (short) 1)), 30_000);
        }
        try (var mine = new KafkaProducer<byte[], byte[]>(kafka.producer("it-mine"));
                var theirs = new KafkaProducer<byte[], byte[]>(kafka.producer("it-theirs"))) {
            // Already in before start-up: loaded.
            write(theirs, topic, "m/old", 1L);
            Map<String, Object> props = new HashMap<>(kafka.consumer("it-index", "it-index"));
            props.put("max.poll.records", LabelIndex.FOLLOW_BATCH);
            var consumer = new KafkaConsumer<byte[], byte[]>(props);
            LabelIndex index =
                    LabelIndex.load(consumer, topic, key -> true, Duration.ofSeconds(30));
            assertThat(index.get("m/old")).contains(1L);

            // A long interval: everything below is written before the follower's first read.
            try (PollLoop follower = index.follow(consumer, key -> true, Duration.ofSeconds(4))) {
                long started = System.nanoTime();
                for (int i = 0; i < 30; i++) {
                    RecordMetadata m = write(mine, topic, "m/own-" + i, 7L);
                    index.put("m/own-" + i, 7L, m.partition(), m.offset());
                }
                for (int i = 0; i < 3; i++) {
                    write(theirs, topic, "m/other-" + i, 9L);
                }
                assertThat(System.nanoTime() - started)
                        .as("writes done before the first read")
                        .isLessThan(Duration.ofSeconds(3).toNanos());

                until(
                        Duration.ofSeconds(30),
                        "the follower read the others' writes",
                        () -> index.get("m/other-2").isPresent());
                for (int i = 0; i < 3; i++) {
                    assertThat(index.get("m/other-" + i)).as("other %d", i).contains(9L);
                }
                assertThat(index.get("m/own-29")).contains(7L);
                LabelIndex.FollowStats stats = index.followStats();
                assertThat(stats.ownSkipped()).as("own writes skipped unread").isEqualTo(30);
                assertThat(stats.ownRead()).isZero();
                assertThat(stats.othersRead()).isEqualTo(3);

                // A burst from another writer, more than one fetch returns: read through.
                for (int i = 0; i < 1200; i++) {
                    theirs.send(record(topic, "m/burst-" + i, 5L));
                }
                theirs.flush();
                until(
                        Duration.ofSeconds(30),
                        "the follower read the burst through",
                        () -> index.followStats().othersRead() >= 1203);
                assertThat(index.get("m/burst-1199")).contains(5L);
                assertThat(index.followStats().othersRead()).isEqualTo(1203);
                assertThat(follower.healthy()).isTrue();
            }
        }
    }

    private static RecordMetadata write(
            KafkaProducer<byte[], byte[]> producer, String topic, String key, long labelHash)
            throws Exception {
        return producer.send(record(topic, key, labelHash)).get();
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, String key, long labelHash) {
        var headers = new RecordHeaders();
        headers.add(LabelIndex.LABEL_HASH_HEADER, LabelIndex.encode(labelHash));
        return new ProducerRecord<>(
                topic, null, key.getBytes(StandardCharsets.UTF_8), new byte[4096], headers);
    }
}
