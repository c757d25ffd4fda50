package io.streamtune.deploy.demo;

import io.streamtune.runtime.KafkaSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Follows topics from their current end (or beginning) without a consumer group, handing every
 * record to a callback on its own daemon thread. For views, never for processing.
 */
final class TopicTail implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private volatile boolean running = true;

    TopicTail(
            KafkaSettings kafka,
            String name,
            List<String> topics,
            boolean fromBeginning,
            Consumer<ConsumerRecord<byte[], byte[]>> onRecord) {
        Map<String, Object> props = kafka.consumer("streamtune-" + name, "unused");
        props.remove("group.id");
        props.put("enable.auto.commit", "false");
        this.consumer = new KafkaConsumer<>(props);
        this.thread =
                new Thread(
                        () -> {
                            try {
                                List<TopicPartition> partitions = new ArrayList<>();
                                for (String topic : topics) {
                                    consumer.partitionsFor(topic, Duration.ofSeconds(30))
                                            .forEach(
                                                    p ->
                                                            partitions.add(
                                                                    new TopicPartition(
                                                                            topic, p.partition())));
                                }
                                consumer.assign(partitions);
                                if (fromBeginning) {
                                    consumer.seekToBeginning(partitions);
                                } else {
                                    consumer.seekToEnd(partitions);
                                }
                                while (running) {
                                    for (var record : consumer.poll(Duration.ofMillis(250))) {
                                        onRecord.accept(record);
                                    }
                                }
                            } catch (WakeupException e) {
                                // closing
                            } catch (RuntimeException e) {
                                if (running) {
                                    org.slf4j.LoggerFactory.getLogger(TopicTail.class)
                                            .warn("{} stopped: {}", name, e.toString());
                                }
                            } finally {
                                consumer.close(Duration.ofSeconds(2));
                            }
                        },
                        "tail-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(3_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
