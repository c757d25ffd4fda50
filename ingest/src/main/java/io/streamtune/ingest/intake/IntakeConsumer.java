package io.streamtune.ingest.intake;

import io.streamtune.contracts.BinaryIntake;
import io.streamtune.contracts.LabelledImageSubmitted;
import io.streamtune.ingest.accept.Acceptance;
import io.streamtune.ingest.accept.Acceptor;
import io.streamtune.ingest.accept.Origin;
import io.streamtune.ingest.accept.Submission;
import io.streamtune.ingest.validate.RejectReason;
import io.streamtune.runtime.PollLoop;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes {@link LabelledImageSubmitted} JSON from the intake topic and hands each record to the
 * {@link Acceptor}; unparseable records go to the dead-letter topic as {@code malformed_record}.
 *
 * <p>Polls are pipelined: while the outputs of one poll (labelled records or dead letters) are
 * being validated and acknowledged, the next poll is already taken, up to {@link #MAX_IN_FLIGHT}
 * polls. Offsets are committed in poll order, only for polls whose every output Kafka acknowledged,
 * so a crash never skips a record; if a write fails, the consumer rewinds every partition to its
 * oldest unacknowledged record and retries from there, and the acceptor's dedupe makes the retry
 * write nothing twice. Before partitions are given up, what is in flight is finished and committed.
 * Validation of a poll runs on a small pool, one slice of the poll per thread.
 */
public final class IntakeConsumer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IntakeConsumer.class);

    private final Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final Acceptor acceptor;
    private final ExecutorService validators;
    private final int threads;
    private final PollLoop loop;
    private final Deque<InFlight> inFlight = new ArrayDeque<>();
    private volatile boolean healthy = true;

    /** Polls whose outputs may be outstanding at once (each up to max.poll.records records). */
    static final int MAX_IN_FLIGHT = 3;

    /** One poll's outputs, where its partitions start and the offsets to commit once it is done. */
    private record InFlight(
            CompletableFuture<Void> done,
            Map<TopicPartition, Long> first,
            Map<TopicPartition, OffsetAndMetadata> next,
            int count) {}

    public IntakeConsumer(
            Consumer<byte[], byte[]> consumer, String topic, Acceptor acceptor, int threads) {
        this.consumer = consumer;
        this.topic = topic;
        this.acceptor = acceptor;
        this.threads = threads;
        this.validators =
                Executors.newFixedThreadPool(
                        threads,
                        r -> {
                            Thread t = new Thread(r, "ingest-intake-validate");
                            t.setDaemon(true);
                            return t;
                        });
        this.loop =
                PollLoop.over(
                                "ingest-intake",
                                consumer,
                                Duration.ofSeconds(5),
                                () ->
                                        consumer.subscribe(
                                                List.of(topic), new FinishBeforeRevocation()),
                                this::turn)
                        .onFailureSays("intake records are not read until ingest restarts");
    }

    /** Starts the poll loop. */
    public IntakeConsumer start() {
        loop.start();
        return this;
    }

    /** Whether the loop runs and its last batch went through. */
    public boolean healthy() {
        return loop.healthy() && healthy;
    }

    /** Whether the loop thread runs (false after a fatal error; true once closed on purpose). */
    public boolean alive() {
        return loop.healthy() || !loop.running();
    }

    /** One poll into the pipeline, and the commits of what it finished. */
    private void turn() {
        // Back-pressure: with MAX_IN_FLIGHT polls outstanding, the partitions are paused (polling
        // goes on, so the group keeps this member) until the oldest is done.
        if (inFlight.size() >= MAX_IN_FLIGHT) {
            consumer.pause(consumer.assignment());
        } else if (!consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
        }
        ConsumerRecords<byte[], byte[]> records =
                consumer.poll(inFlight.isEmpty() ? Duration.ofMillis(500) : Duration.ZERO);
        if (!records.isEmpty()) {
            inFlight.addLast(
                    new InFlight(
                            process(records),
                            firstOffsets(records),
                            nextOffsets(records),
                            records.count()));
        }
        if (inFlight.size() >= MAX_IN_FLIGHT || (records.isEmpty() && !inFlight.isEmpty())) {
            // Back-pressure, or nothing new: wait a little for the oldest poll.
            awaitQuietly(inFlight.peekFirst().done(), Duration.ofMillis(50));
        }
        commitCompleted();
    }

    /**
     * Commits the offsets of the polls at the head of the pipeline that are fully acknowledged; on
     * a failed one, rewinds every partition in flight to its oldest unacknowledged record.
     */
    private void commitCompleted() {
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        while (!inFlight.isEmpty() && inFlight.peekFirst().done().isDone()) {
            InFlight head = inFlight.peekFirst();
            if (head.done().isCompletedExceptionally()) {
                if (!commit.isEmpty()) {
                    commit(commit);
                }
                fail(head);
                return;
            }
            commit.putAll(head.next());
            inFlight.pollFirst();
        }
        if (!commit.isEmpty()) {
            commit(commit);
            healthy = true;
        }
    }

    private void fail(InFlight head) {
        healthy = false;
        Throwable cause = head.done().handle((v, e) -> e).join();
        log.error(
                "intake batch of {} records failed, rewinding to the last commit: {}",
                head.count(),
                cause == null ? "unknown" : cause.toString());
        Map<TopicPartition, Long> rewind = new HashMap<>();
        for (InFlight f : inFlight) {
            f.first().forEach(rewind::putIfAbsent);
        }
        inFlight.clear();
        Set<TopicPartition> assigned = consumer.assignment();
        rewind.forEach(
                (partition, offset) -> {
                    if (assigned.contains(partition)) {
                        consumer.seek(partition, offset);
                    }
                });
        sleepQuietly(1000);
    }

    private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        try {
            consumer.commitSync(offsets);
        } catch (CommitFailedException e) {
            // The group moved on; whoever owns the partitions now re-reads from the last commit
            // and the acceptor's dedupe turns the repeats into no-ops.
            log.warn("intake offsets not committed (partitions moved): {}", e.getMessage());
        }
    }

    /** Everything in flight, finished and committed (before partitions are given up). */
    private void drain() {
        while (!inFlight.isEmpty()) {
            awaitQuietly(inFlight.peekFirst().done(), Duration.ofSeconds(30));
            if (!inFlight.peekFirst().done().isDone()) {
                log.warn(
                        "intake batch still unacknowledged after 30 s, giving its records up to"
                                + " the next owner");
                inFlight.clear();
                return;
            }
            commitCompleted();
        }
    }

    private final class FinishBeforeRevocation implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            drain();
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            // Nothing can be committed any more; the new owner re-reads and dedupe absorbs it.
            inFlight.clear();
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}
    }

    private static void awaitQuietly(CompletableFuture<?> f, Duration timeout) {
        try {
            f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | ExecutionException e) {
            // checked by the caller through isDone / isCompletedExceptionally
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Validates and writes one poll's records on the pool, in one contiguous slice per thread (a
     * task per record would cost a thread handoff per 100 KB image).
     */
    private CompletableFuture<Void> process(ConsumerRecords<byte[], byte[]> records) {
        List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>(records.count());
        records.forEach(all::add);
        int slices = Math.min(threads, all.size());
        List<CompletableFuture<Void>> parts = new ArrayList<>(slices);
        for (int s = 0; s < slices; s++) {
            List<ConsumerRecord<byte[], byte[]>> slice =
                    all.subList(s * all.size() / slices, (s + 1) * all.size() / slices);
            parts.add(
                    CompletableFuture.supplyAsync(
                                    () -> {
                                        List<CompletableFuture<Acceptance>> outputs =
                                                new ArrayList<>(slice.size());
                                        for (ConsumerRecord<byte[], byte[]> r : slice) {
                                            outputs.add(handle(r));
                                        }
                                        return CompletableFuture.allOf(
                                                outputs.toArray(CompletableFuture[]::new));
                                    },
                                    validators)
                            .thenCompose(f -> f));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new));
    }

    private static Map<TopicPartition, Long> firstOffsets(ConsumerRecords<byte[], byte[]> records) {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (TopicPartition p : records.partitions()) {
            offsets.put(p, records.records(p).get(0).offset());
        }
        return offsets;
    }

    private CompletableFuture<Acceptance> handle(ConsumerRecord<byte[], byte[]> r) {
        boolean binary = BinaryIntake.isBinary(r.headers());
        Origin origin =
                new Origin(
                        "kafka",
                        r.topic(),
                        r.partition(),
                        r.offset(),
                        r.key(),
                        r.value(),
                        binary ? r.headers() : null);
        Submission submission;
        try {
            submission =
                    binary
                            ? IntakeParser.parseBinary(r.value(), r.headers(), origin)
                            : IntakeParser.parse(r.value(), origin);
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

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        loop.close(Duration.ofSeconds(10));
        validators.shutdownNow();
        try {
            validators.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
