package io.streamtune.deploy.demo;

import io.streamtune.runtime.KafkaSettings;
import io.streamtune.runtime.PollLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Follows topics from their current end (or beginning) without a consumer group, handing every
 * record to a callback on its own daemon thread. For views, never for processing.
 */
final class TopicTail implements AutoCloseable {

    private final PollLoop loop;

    private volatile boolean positioned;

    TopicTail(
            KafkaSettings kafka,
            String name,
            List<String> topics,
            boolean fromBeginning,
            Consumer<ConsumerRecord<byte[], byte[]>> onRecord) {
        org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer =
                KafkaSettings.assignedConsumers(kafka.consumer("streamtune-" + name, "unused"))
                        .get();
        this.loop =
                PollLoop.over(
                                "tail-" + name,
                                consumer,
                                Duration.ofSeconds(2),
                                () -> {
                                    List<TopicPartition> partitions = new ArrayList<>();
                                    for (String topic : topics) {
                                        for (var p :
                                                consumer.partitionsFor(
                                                        topic, Duration.ofSeconds(30))) {
                                            partitions.add(
                                                    new TopicPartition(topic, p.partition()));
                                        }
                                    }
                                    consumer.assign(partitions);
                                    if (fromBeginning) {
                                        consumer.seekToBeginning(partitions);
                                    } else {
                                        consumer.seekToEnd(partitions);
                                    }
                                    // seeks are lazy: resolve them, so that ready() means what
                                    // is produced from now on is seen
                                    partitions.forEach(consumer::position);
                                    positioned = true;
                                },
                                () -> {
                                    for (var record : consumer.poll(Duration.ofMillis(250))) {
                                        onRecord.accept(record);
                                    }
                                })
                        .daemon()
                        .onFailureSays("this view stops updating")
                        .start();
    }

    /** Whether the tail has its partitions and positions: records produced from now on show. */
    boolean ready() {
        return positioned && loop.healthy();
    }

    @Override
    public void close() {
        loop.close(Duration.ofSeconds(3));
    }
}
