package io.streamtune.ingest.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamtune.contracts.BinaryIntake;
import io.streamtune.contracts.DeadLetter;
import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.Label;
import io.streamtune.contracts.LabelledImageAccepted;
import io.streamtune.contracts.LabelledImageSubmitted;
import io.streamtune.kafka.embedded.MockClients;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/**
 * The binary way in through the real intake loop (Kafka's MockConsumer and MockProducer): a raw
 * image with its label in headers is accepted like the JSON record, and a bad one is parked with
 * its image and headers as they came and a reason naming the header.
 */
class BinaryIntakeRecordTest {

    private static final TopicPartition TP = new TopicPartition("images.intake", 0);

    @Test
    void shouldAcceptARawImageLabelledInHeadersAndParkBadOnesAsTheyCame() throws Exception {
        MockConsumer<byte[], byte[]> consumer = MockClients.consumer();
        MockProducer<byte[], byte[]> producer = MockClients.producer(true);
        byte[] png = png(7);
        ProducerRecord<byte[], byte[]> good =
                BinaryIntake.record(
                        TP.topic(),
                        "cam-1".getBytes(),
                        new LabelledImageSubmitted(
                                "pets", png, new Label.ClassLabel("cat"), "kcat"));
        RecordHeaders noModel = new RecordHeaders();
        noModel.add("label", utf8("{\"type\":\"class\",\"className\":\"cat\"}"));
        RecordHeaders badLabel = new RecordHeaders();
        badLabel.add("label", utf8("{\"type\":\"class\",\"className\":"));
        badLabel.add("model", utf8("pets"));
        RecordHeaders notAnImage = new RecordHeaders();
        notAnImage.add("label", utf8("{\"type\":\"class\",\"className\":\"cat\"}"));
        notAnImage.add("model", utf8("pets"));
        byte[] text = utf8("this is not an image");
        byte[] png8 = png(8);
        byte[] png9 = png(9);
        consumer.schedulePollTask(
                () -> {
                    consumer.rebalance(List.of(TP));
                    consumer.updateBeginningOffsets(Map.of(TP, 0L));
                    consumer.addRecord(consumed(0, good.key(), good.value(), good.headers()));
                    consumer.addRecord(consumed(1, null, png8, noModel));
                    consumer.addRecord(consumed(2, null, png9, badLabel));
                    consumer.addRecord(consumed(3, null, text, notAnImage));
                });

        try (IntakeConsumer loop =
                new IntakeConsumer(consumer, TP.topic(), IntakeFixtures.acceptor(producer), 1)
                        .start()) {
            IntakeFixtures.await(() -> producer.history().size() == 4, "four records handled");
        }

        ProducerRecord<byte[], byte[]> accepted = only(producer, "images.labelled");
        LabelledImageAccepted a =
                JsonSerde.of(LabelledImageAccepted.class).fromBytes(accepted.value());
        assertThat(a.model()).isEqualTo("pets");
        assertThat(a.image()).isEqualTo(png);
        assertThat(a.mediaType()).isEqualTo("image/png");
        assertThat(a.label()).isEqualTo(new Label.ClassLabel("cat"));
        assertThat(a.source()).isEqualTo("kcat");

        List<ProducerRecord<byte[], byte[]>> letters =
                producer.history().stream()
                        .filter(r -> r.topic().equals("images.intake.dlq"))
                        .toList();
        assertThat(letters).hasSize(3);
        assertThat(header(letters.get(0), DeadLetter.DETAIL)).contains("'model' header");
        assertThat(header(letters.get(1), DeadLetter.DETAIL)).contains("'label' header");
        assertThat(header(letters.get(2), DeadLetter.REASON)).isEqualTo("unsupported_format");
        // each letter keeps the original image and headers, so it can be replayed as it came
        assertThat(letters.get(0).value()).isEqualTo(png8);
        assertThat(letters.get(2).value()).isEqualTo(text);
        assertThat(header(letters.get(1), "label")).isEqualTo("{\"type\":\"class\",\"className\":");
        assertThat(header(letters.get(1), "model")).isEqualTo("pets");
        assertThat(header(letters.get(2), "model")).isEqualTo("pets");
    }

    private static ConsumerRecord<byte[], byte[]> consumed(
            long offset, byte[] key, byte[] value, org.apache.kafka.common.header.Headers h) {
        return new ConsumerRecord<>(
                TP.topic(),
                TP.partition(),
                offset,
                0L,
                TimestampType.CREATE_TIME,
                key == null ? -1 : key.length,
                value.length,
                key,
                value,
                h,
                Optional.empty());
    }

    private static ProducerRecord<byte[], byte[]> only(
            MockProducer<byte[], byte[]> producer, String topic) {
        List<ProducerRecord<byte[], byte[]>> rs =
                producer.history().stream().filter(r -> r.topic().equals(topic)).toList();
        assertThat(rs).hasSize(1);
        return rs.get(0);
    }

    private static String header(ProducerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static byte[] png(int shade) throws java.io.IOException {
        BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        img.setRGB(3, 3, 0x010101 * shade);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
