package io.streamtune.ingest.accept;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamtune.contracts.DeadLetter;
import io.streamtune.contracts.Label;
import io.streamtune.ingest.IngestConfig;
import io.streamtune.ingest.fixtures.Acceptors;
import io.streamtune.kafka.embedded.MockClients;
import io.streamtune.runtime.ConfigSource;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** What a dead letter keeps of the record it parks (Kafka's own MockProducer as the broker). */
class AcceptorTest {

    private final MockProducer<byte[], byte[]> producer = MockClients.producer(true);

    private Acceptor acceptor(long maxImageBytes) {
        IngestConfig config =
                IngestConfig.from(
                        ConfigSource.of(
                                Map.of(
                                        "http.auth.token",
                                        "a-token-of-sixteen-chars",
                                        "image.max.bytes",
                                        Long.toString(maxImageBytes))));
        return Acceptors.of(config, producer, "labelled", "dlq");
    }

    @Test
    void shouldKeepOnlyAPrefixOfARecordRefusedForItsSize() throws Exception {
        byte[] huge = new byte[3 << 20];
        huge[0] = (byte) 0xFF;
        huge[1] = (byte) 0xD8;
        byte[] record = ("{\"model\":\"m\",\"image\":\"" + "A".repeat(100) + "\"}").getBytes();
        byte[] value = new byte[record.length + huge.length];
        System.arraycopy(record, 0, value, 0, record.length);
        var origin = new Origin("kafka", "images.intake", 0, 42, "k".getBytes(), value);

        Acceptance out =
                acceptor(1 << 20)
                        .submit(
                                new Submission(
                                        "m", huge, new Label.ClassLabel("cat"), "test", origin))
                        .get();

        assertThat(out.status()).isEqualTo(Acceptance.Status.REJECTED);
        ProducerRecord<byte[], byte[]> letter = producer.history().get(0);
        assertThat(letter.topic()).isEqualTo("dlq");
        assertThat(letter.value()).hasSize(Acceptor.OVERSIZED_PREFIX_BYTES);
        assertThat(letter.value()).startsWith(record);
        assertThat(header(letter, DeadLetter.REASON)).isEqualTo("too_large");
        assertThat(header(letter, DeadLetter.DETAIL))
                .contains("first " + Acceptor.OVERSIZED_PREFIX_BYTES + " of " + value.length);
        assertThat(header(letter, DeadLetter.SOURCE_OFFSET)).isEqualTo("42");
        assertThat(header(letter, DeadLetter.ORIGINAL_VALUE_BYTES))
                .isEqualTo(Integer.toString(value.length));
    }

    @Test
    void shouldKeepAWholeRecordRefusedForItsContent() throws Exception {
        byte[] notAnImage = "definitely not an image".getBytes(StandardCharsets.UTF_8);
        var origin = new Origin("kafka", "images.intake", 0, 7, null, notAnImage);

        Acceptance out =
                acceptor(1 << 20)
                        .submit(
                                new Submission(
                                        "m",
                                        notAnImage,
                                        new Label.ClassLabel("cat"),
                                        "test",
                                        origin))
                        .get();

        assertThat(out.status()).isEqualTo(Acceptance.Status.REJECTED);
        assertThat(producer.history().get(0).value()).isEqualTo(notAnImage);
    }

    private static String header(ProducerRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
