package io.streamtune.inference;

import io.streamtune.contracts.FrameHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Plain Kafka clients as a camera or a prediction reader would use them. */
public final class KafkaTestClients {

    private KafkaTestClients() {}

    /** A producer of raw bytes, acks=all. */
    public static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(
                Map.of(
                        "bootstrap.servers", bootstrap,
                        "acks", "all",
                        "max.request.size", Integer.toString(4 << 20),
                        "key.serializer", ByteArraySerializer.class.getName(),
                        "value.serializer", ByteArraySerializer.class.getName()));
    }

    /** A frame record with the optional headers a camera sets. */
    public static ProducerRecord<byte[], byte[]> frame(
            String topic, String camera, byte[] image, String frameId) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(FrameHeaders.FRAME_ID, frameId.getBytes(StandardCharsets.UTF_8));
        headers.add(
                FrameHeaders.CAPTURE_TIME,
                Long.toString(System.currentTimeMillis()).getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(
                topic, null, camera.getBytes(StandardCharsets.UTF_8), image, headers);
    }

    /** Sends and waits for the acknowledgement. */
    public static void sendSync(
            KafkaProducer<byte[], byte[]> producer, ProducerRecord<byte[], byte[]> record) {
        try {
            producer.send(record).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads a topic from the beginning (read_committed) until {@code count} records arrived or the
     * timeout passed.
     */
    /** Announces {@code published} on the prefixed {@code models.published}, keyed by model. */
    public static void announce(
            KafkaProducer<byte[], byte[]> producer,
            String prefix,
            io.streamtune.contracts.ModelPublished published) {
        sendSync(
                producer,
                new ProducerRecord<>(
                        prefix + io.streamtune.contracts.Topics.MODELS_PUBLISHED.name(),
                        published.model().getBytes(StandardCharsets.UTF_8),
                        io.streamtune.contracts.JsonSerde.of(
                                        io.streamtune.contracts.ModelPublished.class)
                                .toBytes(published)));
    }

    public static List<ConsumerRecord<byte[], byte[]>> read(
            String bootstrap, String topic, int count, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        Map.of(
                                "bootstrap.servers",
                                bootstrap,
                                "group.id",
                                "reader-" + UUID.randomUUID(),
                                "auto.offset.reset",
                                "earliest",
                                "isolation.level",
                                "read_committed",
                                "key.deserializer",
                                ByteArrayDeserializer.class.getName(),
                                "value.deserializer",
                                ByteArrayDeserializer.class.getName()))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (out.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }
}
