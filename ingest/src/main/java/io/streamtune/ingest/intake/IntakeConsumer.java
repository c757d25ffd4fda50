package io.streamtune.ingest.intake;

import io.streamtune.contracts.LabelledImageSubmitted;
import io.streamtune.ingest.accept.Acceptor;
import io.streamtune.ingest.accept.Origin;
import io.streamtune.ingest.accept.Outcome;
import io.streamtune.ingest.accept.Submission;
import io.streamtune.ingest.validate.RejectReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes {@link LabelledImageSubmitted} JSON from the intake topic and hands each record to the
 * {@link Acceptor}; unparseable records go to the dead-letter topic as {@code malformed_record}.
 * Offsets are committed only after every output of a poll (labelled record or dead letter) is
 * acknowledged; if a write fails, the consumer rewinds to the last commit and retries, and the
 * acceptor's dedupe makes the retry write nothing twice. Validation of one poll runs on a small
 * pool.
 */
public final class IntakeConsumer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IntakeConsumer.class);

    private final Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final Acceptor acceptor;
    private final ExecutorService validators;
    private final Thread thread;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private volatile boolean healthy = true;

    public IntakeConsumer(
            Consumer<byte[], byte[]> consumer, String topic, Acceptor acceptor, int threads) {
        this.consumer = consumer;
        this.topic = topic;
        this.acceptor = acceptor;
        this.validators =
                Executors.newFixedThreadPool(
                        threads,
                        r -> {
                            Thread t = new Thread(r, "ingest-intake-validate");
                            t.setDaemon(true);
                            return t;
                        });
        this.thread = new Thread(this::run, "ingest-intake");
    }

    /** Starts the poll loop. */
    public IntakeConsumer start() {
        thread.start();
        return this;
    }

    /** Whether the loop runs and its last batch went through. */
    public boolean healthy() {
        return thread.isAlive() && healthy;
    }

    private void run() {
        consumer.subscribe(List.of(topic));
        try {
            while (running.get()) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                if (records.isEmpty()) {
                    continue;
                }
                try {
                    process(records);
                    consumer.commitSync(nextOffsets(records));
                    healthy = true;
                } catch (RuntimeException e) {
                    if (e instanceof WakeupException) {
                        throw e;
                    }
                    healthy = false;
                    log.error(
                            "intake batch of {} records failed, rewinding to the last commit: {}",
                            records.count(),
                            e.toString());
                    rewind(records);
                    sleepQuietly(1000);
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } catch (RuntimeException e) {
            healthy = false;
            log.error("intake consumer stopped: {}", e.toString(), e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void process(ConsumerRecords<byte[], byte[]> records) {
        List<CompletableFuture<Outcome>> outputs = new ArrayList<>(records.count());
        for (ConsumerRecord<byte[], byte[]> r : records) {
            outputs.add(
                    CompletableFuture.supplyAsync(() -> handle(r), validators).thenCompose(f -> f));
        }
        CompletableFuture.allOf(outputs.toArray(CompletableFuture[]::new)).join();
    }

    private CompletableFuture<Outcome> handle(ConsumerRecord<byte[], byte[]> r) {
        Origin origin =
                new Origin("kafka", r.topic(), r.partition(), r.offset(), r.key(), r.value());
        Submission submission;
        try {
            submission = IntakeParser.parse(r.value(), origin);
        } catch (IllegalArgumentException e) {
            return acceptor.reject(origin, RejectReason.MALFORMED_RECORD, e.getMessage());
        }
        return acceptor.submit(submission);
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(
            ConsumerRecords<byte[], byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition p : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> list = records.records(p);
            offsets.put(p, new OffsetAndMetadata(list.get(list.size() - 1).offset() + 1));
        }
        return offsets;
    }

    private void rewind(ConsumerRecords<byte[], byte[]> records) {
        for (TopicPartition p : records.partitions()) {
            consumer.seek(p, records.records(p).get(0).offset());
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        validators.shutdownNow();
        try {
            validators.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
