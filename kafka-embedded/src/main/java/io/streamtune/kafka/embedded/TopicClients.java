package io.streamtune.kafka.embedded;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Plain byte clients on a broker, as a camera, a labelling tool or a test reading a topic would use
 * them: a producer that waits for every replica, a reader that starts from the beginning and sees
 * only committed records. Any broker will do, embedded or not.
 */
public final class TopicClients {

    /** Records up to this size are sent and read (the broker's own limit still applies). */
    public static final int MAX_RECORD_BYTES = 16 << 20;

    private TopicClients() {}

    /** A producer of raw bytes, acks=all. */
    public static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(
                Map.of(
                        "bootstrap.servers", bootstrap,
                        "acks", "all",
                        "max.request.size", Integer.toString(MAX_RECORD_BYTES),
                        "key.serializer", ByteArraySerializer.class.getName(),
                        "value.serializer", ByteArraySerializer.class.getName()));
    }

    /**
     * A consumer of raw bytes in a group of its own that commits nothing, starts at the earliest
     * offset and reads committed records only.
     */
    public static KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
        return new KafkaConsumer<>(
                Map.of(
                        "bootstrap.servers",
                        bootstrap,
                        "group.id",
                        "reader-" + UUID.randomUUID(),
                        "enable.auto.commit",
                        "false",
                        "auto.offset.reset",
                        "earliest",
                        "isolation.level",
                        "read_committed",
                        "max.partition.fetch.bytes",
                        Integer.toString(MAX_RECORD_BYTES),
                        "key.deserializer",
                        ByteArrayDeserializer.class.getName(),
                        "value.deserializer",
                        ByteArrayDeserializer.class.getName()));
    }

    /** Sends {@code record} and waits for the acknowledgement. */
    public static RecordMetadata send(
            Producer<byte[], byte[]> producer, ProducerRecord<byte[], byte[]> record) {
        try {
            return producer.send(record).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted sending to " + record.topic(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "could not send to " + record.topic() + ": " + e.getCause(), e.getCause());
        }
    }

    /** Sends {@code value} under {@code key} (null: none) and waits for the acknowledgement. */
    public static RecordMetadata send(
            Producer<byte[], byte[]> producer, String topic, byte[] key, byte[] value) {
        return send(producer, new ProducerRecord<>(topic, key, value));
    }

    /**
     * Every record in {@code topic} up to the end offsets it had when reading began.
     *
     * @throws IllegalStateException when the end is not reached within 60 s
     */
    public static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic) {
        try (var consumer = consumer(bootstrap)) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            if (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                throw new IllegalStateException(
                        "could not read " + topic + " to its end " + end + " within 60 s");
            }
            return out;
        }
    }

    /**
     * Reads {@code topic} from its start until {@code done} holds for everything read so far or
     * {@code timeout} passes; returns what was read either way.
     */
    public static List<ConsumerRecord<byte[], byte[]>> awaitRecords(
            String bootstrap,
            String topic,
            Duration timeout,
            Predicate<List<ConsumerRecord<byte[], byte[]>>> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ConsumerRecord<byte[], byte[]>> all = readAll(bootstrap, topic);
        while (!done.test(all) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            all = readAll(bootstrap, topic);
        }
        return all;
    }

    /**
     * Subscribes to {@code topics} from their start and polls until {@code count} records arrived
     * or {@code timeout} passed; returns what arrived (topics that do not exist yet are read once
     * they do).
     */
    public static List<ConsumerRecord<byte[], byte[]>> read(
            String bootstrap, Collection<String> topics, int count, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (var consumer = consumer(bootstrap)) {
            consumer.subscribe(topics);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (out.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }
}
