package io.streamtune.kafka.embedded;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Kafka's own {@link MockConsumer} and {@link MockProducer} set up the way the unit tests of a
 * service loop need them: byte clients, topics with partitions that start at offset 0, a send that
 * Kafka refuses.
 */
public final class MockClients {

    private static final Node NODE = new Node(0, "localhost", 9092);

    private MockClients() {}

    /** A byte consumer that starts at the earliest offset. */
    public static MockConsumer<byte[], byte[]> consumer() {
        return new MockConsumer<>(OffsetResetStrategy.EARLIEST);
    }

    /**
     * A byte producer; {@code autoComplete} acknowledges every send at once, otherwise nothing is
     * acknowledged until the test completes or errors it.
     */
    public static MockProducer<byte[], byte[]> producer(boolean autoComplete) {
        return new MockProducer<>(
                autoComplete, null, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Gives {@code consumer} the topic {@code topic} with {@code partitions} partitions, each
     * beginning at offset 0, so that it can be assigned, subscribed to and sought.
     */
    public static void topic(MockConsumer<?, ?> consumer, String topic, int partitions) {
        consumer.updatePartitions(
                topic,
                IntStream.range(0, partitions)
                        .mapToObj(
                                p ->
                                        new PartitionInfo(
                                                topic,
                                                p,
                                                NODE,
                                                new Node[] {NODE},
                                                new Node[] {NODE}))
                        .toList());
        Map<TopicPartition, Long> beginning = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            beginning.put(new TopicPartition(topic, p), 0L);
        }
        consumer.updateBeginningOffsets(beginning);
    }

    /** {@link #topic} for each of {@code topics}, one partition each. */
    public static void topics(MockConsumer<?, ?> consumer, List<String> topics) {
        topics.forEach(t -> topic(consumer, t, 1));
    }

    /**
     * Starts a thread that waits for the first send to {@code producer} (which must not
     * auto-complete) and fails it with {@code error}, as Kafka does when a broker is unreachable or
     * refuses the write.
     */
    public static Thread refuseFirstSend(MockProducer<?, ?> producer, RuntimeException error) {
        Thread refuse =
                new Thread(
                        () -> {
                            while (producer.history().isEmpty()) {
                                Thread.onSpinWait();
                            }
                            producer.errorNext(error);
                        },
                        "refuse-first-send");
        refuse.setDaemon(true);
        refuse.start();
        return refuse;
    }
}
