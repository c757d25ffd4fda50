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
                new PollLoop(
                                "tail-" + name,
                                consumer::wakeup,
                                new PollLoop.Body() {
                                    @Override
                                    public void open() {
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
                                    }

                                    @Override
                                    public void turn() {
                                        for (var record : consumer.poll(Duration.ofMillis(250))) {
                                            onRecord.accept(record);
                                        }
                                    }

                                    @Override
                                    public void close() {
                                        consumer.close(Duration.ofSeconds(2));
                                    }
                                })
                        .daemon()
                        .onFailureSays("this view stops updating")
                        .start();
    }

    @Override
    public void close() {
        loop.close(Duration.ofSeconds(3));
    }
}
