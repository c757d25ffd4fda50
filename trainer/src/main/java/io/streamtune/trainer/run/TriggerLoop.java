package io.streamtune.trainer.run;

import io.streamtune.contracts.TrainingTriggered;
import io.streamtune.runtime.PollLoop;
import io.streamtune.trainer.TrainerMetrics;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes training triggers in a consumer group, so each model (the record key) is owned by the
 * one trainer holding its partition. Runs go one at a time on a worker thread; triggers for a model
 * that is already pending or running are coalesced into one later run, never lost. A trigger's
 * offset is committed only after a run that started after it has finished, so a crashed trainer's
 * triggers are picked up again by the next owner.
 */
public final class TriggerLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TriggerLoop.class);

    private final Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final java.util.function.Consumer<String> runModel;
    private final TrainerMetrics metrics;
    private final ExecutorService worker =
            Executors.newSingleThreadExecutor(r -> new Thread(r, "trainer-run"));
    private final PollLoop loop;
    private final java.util.function.BiConsumer<ConsumerRecord<byte[], byte[]>, String> unreadable;
    private final ArrayDeque<String> queue = new ArrayDeque<>();

    /** Models waiting for a run, with the trigger offsets that run will cover. */
    private final Map<String, Set<TopicPartition>> pendingPartitions = new HashMap<>();

    private final Map<String, Map<TopicPartition, Long>> pendingOffsets = new HashMap<>();

    /** Offsets received but not yet covered by a finished run, per partition. */
    private final Map<TopicPartition, java.util.TreeMap<Long, String>> outstanding =
            new HashMap<>();

    private final Map<TopicPartition, Long> seen = new HashMap<>();
    private final ConcurrentLinkedQueue<Map<TopicPartition, Long>> finished =
            new ConcurrentLinkedQueue<>();
    private Map<TopicPartition, OffsetAndMetadata> lastCommitted = Map.of();
    private volatile boolean assigned;
    private final Set<TopicPartition> owned = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private String current;
    private Map<TopicPartition, Long> currentOffsets = Map.of();
    private Future<?> currentRun;

    /**
     * A loop not started yet; it owns {@code consumer} (a group consumer over byte arrays, auto
     * commit off) from here on and closes it.
     *
     * @param runModel trains one model and returns when done; it must not throw
     * @param unreadable gets every trigger record that does not parse, with the reason
     */
    public TriggerLoop(
            Consumer<byte[], byte[]> consumer,
            String topic,
            java.util.function.Consumer<String> runModel,
            TrainerMetrics metrics,
            java.util.function.BiConsumer<ConsumerRecord<byte[], byte[]>, String> unreadable) {
        this.consumer = java.util.Objects.requireNonNull(consumer);
        this.topic = java.util.Objects.requireNonNull(topic);
        this.runModel = java.util.Objects.requireNonNull(runModel);
        this.metrics = java.util.Objects.requireNonNull(metrics);
        this.unreadable = java.util.Objects.requireNonNull(unreadable);
        this.loop =
                new PollLoop(
                                "trainer-triggers",
                                consumer::wakeup,
                                new PollLoop.Body() {
                                    @Override
                                    public void open() {
                                        TriggerLoop.this.open();
                                    }

                                    @Override
                                    public void turn() {
                                        TriggerLoop.this.turn();
                                    }

                                    @Override
                                    public void close() {
                                        worker.shutdownNow();
                                        consumer.close(Duration.ofSeconds(5));
                                    }
                                })
                        .onFailureSays("no training runs start until the trainer restarts");
    }

    public TriggerLoop start() {
        loop.start();
        return this;
    }

    /** Whether the loop thread runs and has not failed (false before start too). */
    public boolean isAlive() {
        return loop.healthy();
    }

    /** Whether the loop is polling and has joined its group. */
    public boolean ready() {
        return loop.running() && loop.healthy() && assigned;
    }

    /** The trigger partitions this trainer holds now (as its rebalance listener last heard). */
    public Set<TopicPartition> partitions() {
        return Set.copyOf(owned);
    }

    /** Subscribes; a revoked partition's pending models are left to their new owner. */
    void open() {
        consumer.subscribe(
                List.of(topic),
                new ConsumerRebalanceListener() {
                    @Override
                    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                        owned.removeAll(partitions);
                        commitDone();
                        for (TopicPartition tp : partitions) {
                            outstanding.remove(tp);
                            seen.remove(tp);
                        }
                        // Pending models of revoked partitions now belong to another trainer,
                        // which re-reads their triggers.
                        pendingPartitions
                                .entrySet()
                                .removeIf(
                                        e -> {
                                            boolean lost =
                                                    e.getValue().stream()
                                                            .anyMatch(partitions::contains);
                                            if (lost) {
                                                queue.remove(e.getKey());
                                                pendingOffsets.remove(e.getKey());
                                            }
                                            return lost;
                                        });
                    }

                    @Override
                    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                        owned.addAll(partitions);
                        assigned = true;
                    }
                });
    }

    /**
     * One turn: reads triggers, notes finished runs, starts the next pending run and commits what
     * finished runs covered.
     */
    void turn() {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(250))) {
            accept(r);
        }
        assigned = assigned || !consumer.assignment().isEmpty();
        drainFinished();
        maybeStartRun();
        commitDone();
    }

    private void accept(ConsumerRecord<byte[], byte[]> r) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        seen.put(tp, r.offset() + 1);
        String model;
        try {
            TrainingTriggered t = io.streamtune.contracts.Topics.TRAINING_TRIGGERS.value(r.value());
            model = t.model();
        } catch (RuntimeException e) {
            LOG.warn(
                    "skipping unreadable trigger at {}-{}@{}: {}",
                    r.topic(),
                    r.partition(),
                    r.offset(),
                    e.getMessage());
            try {
                unreadable.accept(r, e.getMessage() == null ? e.toString() : e.getMessage());
            } catch (RuntimeException ex) {
                LOG.warn("could not dead-letter the unreadable trigger: {}", ex.toString());
            }
            return;
        }
        metrics.triggerReceived();
        outstanding.computeIfAbsent(tp, k -> new java.util.TreeMap<>()).put(r.offset(), model);
        if (pendingPartitions.containsKey(model) || model.equals(current)) {
            metrics.triggerCoalesced();
        }
        if (!pendingPartitions.containsKey(model)) {
            queue.add(model);
        }
        pendingPartitions.computeIfAbsent(model, k -> new HashSet<>()).add(tp);
        pendingOffsets
                .computeIfAbsent(model, k -> new HashMap<>())
                .merge(tp, r.offset(), Math::max);
    }

    private void maybeStartRun() {
        if (currentRun != null || queue.isEmpty()) {
            return;
        }
        // A model whose previous run still runs waits; others go in arrival order.
        String model = queue.poll();
        pendingPartitions.remove(model);
        Map<TopicPartition, Long> covered = pendingOffsets.remove(model);
        current = model;
        currentOffsets = covered == null ? Map.of() : covered;
        Map<TopicPartition, Long> mine = currentOffsets;
        String covering = model;
        currentRun =
                worker.submit(
                        () -> {
                            try {
                                runModel.accept(covering);
                            } catch (Throwable t) {
                                if (!loop.running()) {
                                    // Stopped under it (Ctrl-C, a rolling restart): the loop
                                    // commits nothing more, so the trigger is read again at the
                                    // next start. Not a fault anyone has to look at.
                                    LOG.info(
                                            "training run of {} stopped by shutdown ({}); its"
                                                    + " trigger is read again at the next start",
                                            covering,
                                            t.toString());
                                    return;
                                }
                                // Not even an Error disappears in the future: it is logged, the
                                // run counts as finished (its triggers are served, so a sample that
                                // kills runs cannot make the trainer crash-loop on replays) and the
                                // loop goes on with the next model.
                                LOG.error(
                                        "training run of {} died: {}; its triggers are served,"
                                                + " the next trigger retries",
                                        covering,
                                        t.toString(),
                                        t);
                            } finally {
                                finished.add(mine);
                            }
                        });
    }

    private void drainFinished() {
        Map<TopicPartition, Long> done;
        while ((done = finished.poll()) != null) {
            for (Map.Entry<TopicPartition, Long> e : done.entrySet()) {
                java.util.TreeMap<Long, String> open = outstanding.get(e.getKey());
                if (open != null) {
                    // This model's triggers up to the covered offset are served; other models' stay
                    // outstanding.
                    open.entrySet()
                            .removeIf(
                                    o ->
                                            o.getKey() <= e.getValue()
                                                    && o.getValue().equals(current));
                }
            }
            current = null;
            currentRun = null;
        }
    }

    private void commitDone() {
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        for (Map.Entry<TopicPartition, Long> e : seen.entrySet()) {
            java.util.TreeMap<Long, String> open =
                    outstanding.getOrDefault(e.getKey(), new java.util.TreeMap<>());
            long upTo = open.isEmpty() ? e.getValue() : open.firstKey();
            commit.put(e.getKey(), new OffsetAndMetadata(upTo));
        }
        if (!commit.isEmpty() && !commit.equals(lastCommitted)) {
            try {
                consumer.commitSync(commit, Duration.ofSeconds(10));
                lastCommitted = commit;
            } catch (RuntimeException ex) {
                LOG.warn("could not commit trigger offsets: {}", ex.getMessage());
            }
        }
    }

    /** Stops polling, interrupts a running training run and closes the consumer. */
    @Override
    public void close() {
        loop.close(Duration.ofSeconds(10));
    }
}
