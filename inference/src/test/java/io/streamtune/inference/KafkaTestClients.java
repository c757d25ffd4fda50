package io.streamtune.inference;

import io.streamtune.contracts.FrameHeaders;
import io.streamtune.kafka.embedded.TopicClients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Plain Kafka clients as a camera or a prediction reader would use them. */
public final class KafkaTestClients {

    private KafkaTestClients() {}

    /** A producer of raw bytes, acks=all. */
    public static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        return TopicClients.producer(bootstrap);
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

    /**
     * Sends frame {@code i} of a round robin over {@code cameras} cameras to the prefixed frames
     * topic and waits for the acknowledgement: camera {@code cam-(i % cameras)}, frame id {@code
     * cam-k/i}.
     */
    public static void sendFrame(
            KafkaProducer<byte[], byte[]> producer,
            String prefix,
            int i,
            int cameras,
            byte[] image) {
        String camera = "cam-" + i % cameras;
        sendSync(
                producer,
                frame(
                        prefix + io.streamtune.contracts.Topics.FRAMES.name(),
                        camera,
                        image,
                        camera + "/" + i));
    }

    /** Sends and waits for the acknowledgement. */
    public static void sendSync(
            KafkaProducer<byte[], byte[]> producer, ProducerRecord<byte[], byte[]> record) {
        TopicClients.send(producer, record);
    }

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

    /**
     * Reads a topic from the beginning (read_committed) until {@code count} records arrived or the
     * timeout passed.
     */
    public static List<ConsumerRecord<byte[], byte[]>> read(
            String bootstrap, String topic, int count, Duration timeout) {
        return TopicClients.read(bootstrap, List.of(topic), count, timeout);
    }
}
