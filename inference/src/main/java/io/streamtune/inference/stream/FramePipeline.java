package io.streamtune.inference.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.streamtune.contracts.DeadLetter;
import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.Task;
import io.streamtune.inference.InferenceConfig.Delivery;
import io.streamtune.inference.InferenceConfig.NoModelPolicy;
import io.streamtune.inference.InferenceMetrics;
import io.streamtune.inference.InferenceMetrics.Stage;
import io.streamtune.inference.model.ModelSlot;
import io.streamtune.inference.model.ServingModel;
import io.streamtune.runtime.PollLoop;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The frame loop of one instance, on its own thread: consume frames in the consumer group, gather
 * micro-batches, run each through the model serving at the batch's start, produce predictions and
 * dead letters, then commit the batch's offsets — after the producer's acknowledgements
 * (at-least-once) or inside the same transaction (exactly-once). One thread per instance keeps each
 * partition, and so each camera, in order; more instances in the group share the partitions.
 */
public final class FramePipeline implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FramePipeline.class);

    /** Dead-lettered frames: at most 5 lines per reason per 10 s (the metric counts them all). */
    private static final io.streamtune.runtime.LogThrottle LOG_THROTTLE =
            new io.streamtune.runtime.LogThrottle(java.time.Duration.ofSeconds(10), 5);

    private static final String SERVICE = "inference";

    /** DLQ reason: no model was loaded within the wait bound (or the policy says not to wait). */
    public static final String NO_MODEL = "no_model";

    /** Topic names this pipeline reads and writes, prefix applied. */
    public record TopicNames(
            String frames,
            String deadLetters,
            String detections,
            String segmentations,
            String classifications,
            String stylizations) {
        String predictions(Task task) {
            return switch (task) {
                case DETECTION, INSTANCE_SEGMENTATION -> detections;
                case SEGMENTATION -> segmentations;
                case CLASSIFICATION -> classifications;
                case STYLIZATION -> stylizations;
            };
        }
    }

    /**
     * Sees every batch after its delivery (production outcomes, in frame order), on the pipeline
     * thread: must be quick and must not throw.
     */
    public interface Observer {
        Observer NONE = (model, frames, outcomes) -> {};

        /** Each of {@code observers} in turn. */
        static Observer all(List<Observer> observers) {
            List<Observer> copy = List.copyOf(observers);
            return (model, frames, outcomes) -> {
                for (Observer o : copy) {
                    o.delivered(model, frames, outcomes);
                }
            };
        }

        void delivered(ServingModel model, List<Frame> frames, List<FrameOutcome> outcomes);
    }

    /**
     * How the pipeline runs.
     *
     * @param maxBatch frames per model run
     * @param maxWait how long a batch's first frame waits for more
     * @param delivery at-least-once or exactly-once
     * @param noModelPolicy wait for a model or dead-letter at once
     * @param noModelMaxWait the bound on waiting
     * @param cameras the cameras (frame keys) this model serves; the others' frames are passed
     *     over, their offsets committed in order with the served ones
     */
    public record Settings(
            int maxBatch,
            Duration maxWait,
            Delivery delivery,
            NoModelPolicy noModelPolicy,
            Duration noModelMaxWait,
            CameraRoutes cameras) {

        /** Settings serving every camera. */
        public Settings(
                int maxBatch,
                Duration maxWait,
                Delivery delivery,
                NoModelPolicy noModelPolicy,
                Duration noModelMaxWait) {
            this(maxBatch, maxWait, delivery, noModelPolicy, noModelMaxWait, CameraRoutes.ALL);
        }

        public Settings {
            Objects.requireNonNull(cameras, "cameras");
        }
    }

    private final Consumer<byte[], byte[]> consumer;
    private final Producer<byte[], byte[]> producer;
    private final TopicNames topics;
    private final Settings settings;
    private final MicroBatcher<Frame> batcher;
    private final BatchPredictor predictor;
    private final ModelSlot slot;
    private final InferenceMetrics metrics;
    private final Clock clock;
    private volatile Observer observer = Observer.NONE;
    private final int maxRecordBytes;
    private final PollLoop loop;
    private final ExecutorService modelThread;
    private boolean waitingForModel;

    /**
     * Per partition, the offset after the last frame passed over because its camera is not this
     * model's: committed once no served frame before it is still undelivered.
     */
    private final Map<TopicPartition, Long> unrouted = new HashMap<>();

    /** Up to two batches: one running on {@link #modelThread}, the next prepared beside it. */
    private final BatchScheduler<BatchPredictor.Prepared, BatchPredictor.Ran> scheduler;

    private FramePipeline(
            Consumer<byte[], byte[]> consumer,
            Producer<byte[], byte[]> producer,
            int maxRecordBytes,
            TopicNames topics,
            Settings settings,
            BatchPredictor predictor,
            ModelSlot slot,
            InferenceMetrics metrics,
            Clock clock) {
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.producer = Objects.requireNonNull(producer, "producer");
        this.maxRecordBytes = maxRecordBytes;
        this.topics = Objects.requireNonNull(topics, "topics");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.batcher = new MicroBatcher<>(settings.maxBatch(), settings.maxWait().toNanos());
        this.predictor = Objects.requireNonNull(predictor, "predictor");
        this.slot = Objects.requireNonNull(slot, "slot");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.modelThread =
                Executors.newSingleThreadExecutor(
                        r -> {
                            Thread t = new Thread(r, "frame-pipeline-model");
                            t.setDaemon(true);
                            return t;
                        });
        this.scheduler =
                new BatchScheduler<>(
                        predictor::run,
                        e -> new BatchPredictor.Ran(null, new IllegalStateException(e)),
                        modelThread);
        this.loop =
                new PollLoop(
                                "frame-pipeline",
                                consumer::wakeup,
                                new PollLoop.Body() {
                                    @Override
                                    public void open() {
                                        FramePipeline.this.open();
                                    }

                                    @Override
                                    public void turn() {
                                        step();
                                    }

                                    @Override
                                    public void close() {
                                        FramePipeline.this.shutDown();
                                    }
                                })
                        .onFailureSays("frames are no longer consumed by this instance");
    }

    /** Creates the Kafka clients from their properties and starts the loop. */
    public static FramePipeline start(
            Map<String, Object> consumerProperties,
            Map<String, Object> producerProperties,
            TopicNames topics,
            Settings settings,
            BatchPredictor predictor,
            ModelSlot slot,
            InferenceMetrics metrics,
            Clock clock) {
        Map<String, Object> c = new HashMap<>(consumerProperties);
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(settings.maxBatch()));
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Map<String, Object> p = new HashMap<>(producerProperties);
        if (settings.delivery() == Delivery.EXACTLY_ONCE) {
            if (!p.containsKey(ProducerConfig.TRANSACTIONAL_ID_CONFIG)) {
                throw new IllegalArgumentException(
                        "exactly-once delivery needs a transactional.id");
            }
            c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        } else {
            p.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        }
        int maxRecordBytes =
                Integer.parseInt(
                        String.valueOf(
                                p.getOrDefault(
                                        ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                                        io.streamtune.contracts.TopicSpec.MAX_RECORD_BYTES)));
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p);
        KafkaConsumer<byte[], byte[]> consumer;
        try {
            consumer = new KafkaConsumer<>(c);
        } catch (RuntimeException e) {
            producer.close(Duration.ZERO);
            throw e;
        }
        return start(
                consumer,
                producer,
                maxRecordBytes,
                topics,
                settings,
                predictor,
                slot,
                metrics,
                clock);
    }

    /**
     * Starts the loop on clients the caller made (Kafka's own, or its {@code MockConsumer} and
     * {@code MockProducer} in tests): the consumer without auto-commit, at most {@code
     * settings.maxBatch()} records per poll, {@code read_committed} for exactly-once; the producer
     * transactional for exactly-once (its transactions are initialised here). The loop owns and
     * closes both.
     */
    public static FramePipeline start(
            Consumer<byte[], byte[]> consumer,
            Producer<byte[], byte[]> producer,
            int maxRecordBytes,
            TopicNames topics,
            Settings settings,
            BatchPredictor predictor,
            ModelSlot slot,
            InferenceMetrics metrics,
            Clock clock) {
        try {
            if (settings.delivery() == Delivery.EXACTLY_ONCE) {
                producer.initTransactions();
            }
        } catch (RuntimeException e) {
            producer.close(Duration.ZERO);
            consumer.close(Duration.ZERO);
            throw e;
        }
        FramePipeline pipeline =
                new FramePipeline(
                        consumer,
                        producer,
                        maxRecordBytes,
                        topics,
                        settings,
                        predictor,
                        slot,
                        metrics,
                        clock);
        pipeline.loop.start();
        return pipeline;
    }

    /** Sets who sees delivered batches (live signals, shadow serving). */
    public void observe(Observer observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    /** The producer, for binding its client metrics (thread-safe). */
    public Producer<byte[], byte[]> producer() {
        return producer;
    }

    /** Whether the loop runs; false after a fatal error or close. */
    public boolean isRunning() {
        return loop.healthy();
    }

    /** The error that stopped the loop, or null. */
    public Throwable failure() {
        return loop.failure();
    }

    private void open() {
        consumer.subscribe(List.of(topics.frames()), new Rebalance());
        log.info(
                "consuming {} ({}, batches of up to {}, wait {} ms{})",
                topics.frames(),
                settings.delivery().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                settings.maxBatch(),
                settings.maxWait().toMillis(),
                settings.cameras().servesAll() ? "" : ", cameras " + settings.cameras());
    }

    /**
     * After the last turn: a stopped pipeline delivers what is in flight (a failed one leaves it to
     * the next owner), then closes both clients.
     */
    private void shutDown() {
        if (loop.failure() == null) {
            try {
                flushInFlight();
            } catch (RuntimeException e) {
                log.warn(
                        "in-flight batches not delivered on shutdown, the next owner repeats"
                                + " them: {}",
                        e.toString());
            }
        }
        abandonInFlight();
        modelThread.shutdown();
        try {
            consumer.close(Duration.ofSeconds(5));
        } finally {
            producer.close(Duration.ofSeconds(5));
        }
    }

    /**
     * One turn of the loop. Up to two batches are in the pipeline: one running on the model thread
     * and the next one decoded and preprocessed meanwhile on this thread; a finished batch is
     * postprocessed and delivered while its successor runs. Batches are delivered in order.
     */
    private void step() {
        long now = System.nanoTime();
        Duration timeout =
                BatchScheduler.pollTimeout(
                        waitingForModel,
                        !scheduler.hasRoom(),
                        scheduler.isRunning(),
                        batcher.nanosUntilDue(now));
        ConsumerRecords<byte[], byte[]> records = consumer.poll(timeout);
        now = System.nanoTime();
        int passed = 0;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            Frame f = Frame.of(r, now);
            if (settings.cameras().test(f.cameraId())) {
                batcher.add(f, now);
            } else {
                unrouted.merge(f.partition(), r.offset() + 1, Math::max);
                passed++;
            }
        }
        if (!records.isEmpty()) {
            metrics.framesIn(records.count());
        }
        if (passed > 0) {
            metrics.unrouted(passed);
        }
        updateLag();

        if (scheduler.hasRoom() && batcher.due(now)) {
            ServingModel model = slot.acquire();
            if (model == null) {
                if (!scheduler.isRunning()) {
                    awaitModel(now);
                }
            } else {
                if (waitingForModel) {
                    waitingForModel = false;
                    metrics.waiting(0);
                    consumer.resume(consumer.paused());
                    log.info("model {} loaded, resuming {} held frames", model, batcher.size());
                }
                try {
                    scheduler.add(predictor.prepare(model, batcher.take()));
                } catch (RuntimeException e) {
                    model.release();
                    throw e;
                }
            }
        }
        scheduler.advance().ifPresent(f -> finish(f.prepared(), f.ran()));
        if (!unrouted.isEmpty() && scheduler.isIdle() && batcher.isEmpty()) {
            // nothing in flight: commit what was passed over (cameras served elsewhere)
            if (!deliver(List.of(), List.of())) {
                unrouted.clear(); // read again after the retry pause; passed over again
            }
        }
    }

    /**
     * Postprocesses and delivers a batch whose model run ended; on a delivery error rewinds to it
     * and everything after.
     */
    private void finish(BatchPredictor.Prepared prepared, BatchPredictor.Ran ran) {
        boolean delivered;
        try {
            List<FrameOutcome> outcomes = predictor.complete(prepared, ran);
            delivered = deliver(prepared.frames(), outcomes);
            if (delivered) {
                try {
                    observer.delivered(prepared.model(), prepared.frames(), outcomes);
                } catch (RuntimeException e) {
                    log.warn("batch observer failed: {}", e.toString());
                }
            }
        } finally {
            prepared.model().release();
        }
        if (!delivered) {
            List<Frame> retry = new ArrayList<>(prepared.frames());
            retry.addAll(abandonInFlight());
            rewind(retry);
        }
    }

    /**
     * Delivers what is in the pipeline now, in order (before partitions are given up or on
     * shutdown).
     */
    private void flushInFlight() {
        for (var f = scheduler.finishOldest(); f.isPresent(); f = scheduler.finishOldest()) {
            finish(f.get().prepared(), f.get().ran());
        }
    }

    /** Drops what is in the pipeline without delivering it; returns its frames. */
    private List<Frame> abandonInFlight() {
        List<Frame> frames = new ArrayList<>();
        for (BatchPredictor.Prepared dropped : scheduler.abandon()) {
            dropped.model().release();
            frames.addAll(dropped.frames());
        }
        return frames;
    }

    private void awaitModel(long now) {
        metrics.waiting(batcher.size());
        boolean expired = batcher.oldestAgeNanos(now) >= settings.noModelMaxWait().toNanos();
        if (settings.noModelPolicy() == NoModelPolicy.DLQ || expired) {
            List<Frame> frames = batcher.drain();
            List<FrameOutcome> rejected = new ArrayList<>(frames.size());
            String detail =
                    settings.noModelPolicy() == NoModelPolicy.DLQ
                            ? "no model loaded and inference.no.model.policy=dlq"
                            : "no model loaded within inference.no.model.max.wait="
                                    + settings.noModelMaxWait();
            for (Frame f : frames) {
                rejected.add(new FrameOutcome.Rejected(f, NO_MODEL, detail));
            }
            if (!deliver(frames, rejected)) {
                rewind(frames);
            }
            metrics.waiting(0);
            if (waitingForModel) {
                consumer.resume(consumer.paused());
                waitingForModel = false;
            }
        } else if (!waitingForModel || !consumer.paused().containsAll(consumer.assignment())) {
            if (!waitingForModel) {
                // expected until the first model is published; health says not ready, and the
                // InferenceNoModelLoaded alert fires if it lasts
                log.info(
                        "no model loaded yet: holding {} frames, pausing {}",
                        batcher.size(),
                        consumer.assignment());
            }
            consumer.pause(consumer.assignment());
            waitingForModel = true;
        }
    }

    /**
     * Produces the outcomes of {@code frames} and commits their offsets; false on a Kafka error
     * (nothing committed).
     */
    private boolean deliver(List<Frame> frames, List<FrameOutcome> outcomes) {
        long started = System.nanoTime();
        Map<TopicPartition, OffsetAndMetadata> offsets = nextOffsets(frames);
        Map<TopicPartition, Long> settled = withUnrouted(offsets);
        if (offsets.isEmpty()) {
            return true;
        }
        boolean transactional = settings.delivery() == Delivery.EXACTLY_ONCE;
        try {
            if (transactional) {
                producer.beginTransaction();
            }
            List<Future<RecordMetadata>> sent = new ArrayList<>(outcomes.size());
            for (FrameOutcome o : outcomes) {
                sent.add(producer.send(toRecord(o)));
            }
            if (transactional) {
                producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
                producer.commitTransaction();
            } else {
                producer.flush();
                for (Future<RecordMetadata> f : sent) {
                    f.get();
                }
                try {
                    consumer.commitSync(offsets);
                } catch (CommitFailedException e) {
                    log.warn(
                            "offsets of a delivered batch not committed (partitions moved): {}",
                            e.getMessage());
                }
            }
        } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
            throw e;
        } catch (KafkaException | ExecutionException e) {
            if (transactional) {
                try {
                    producer.abortTransaction();
                } catch (KafkaException abort) {
                    e.addSuppressed(abort);
                    throw new IllegalStateException("cannot abort transaction", e);
                }
            }
            log.warn(
                    "delivering a batch of {} frames failed, retrying it: {}",
                    frames.size(),
                    e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while delivering", e);
        }
        settled.forEach((tp, upTo) -> unrouted.remove(tp, upTo));
        if (frames.isEmpty()) {
            return true;
        }
        metrics.stage(Stage.PRODUCE, System.nanoTime() - started);
        long nowMs = clock.millis();
        for (FrameOutcome o : outcomes) {
            if (o instanceof FrameOutcome.Predicted p) {
                metrics.frameOut(p.task().wireName());
                metrics.frameLatency(nowMs - o.frame().capturedAt().toEpochMilli());
            } else if (o instanceof FrameOutcome.Rejected r) {
                metrics.rejected(r.reason());
                var rec = r.frame().record();
                long leftOut = LOG_THROTTLE.admit(r.reason());
                if (leftOut >= 0) {
                    log.warn(
                            "frame {}-{}@{} to {}: {} ({}){}",
                            rec.topic(),
                            rec.partition(),
                            rec.offset(),
                            topics.deadLetters(),
                            r.reason(),
                            r.detail(),
                            io.streamtune.runtime.LogThrottle.note(leftOut));
                }
            }
        }
        return true;
    }

    private ProducerRecord<byte[], byte[]> toRecord(FrameOutcome outcome) {
        var rec = outcome.frame().record();
        if (outcome instanceof FrameOutcome.Predicted p
                && p.value() instanceof io.streamtune.contracts.StylizedFrame frame) {
            return frame.toRecord(topics.predictions(p.task()), rec.key());
        }
        if (outcome instanceof FrameOutcome.Predicted p) {
            try {
                return new ProducerRecord<>(
                        topics.predictions(p.task()),
                        null,
                        rec.key(),
                        JsonSerde.MAPPER.writeValueAsBytes(p.value()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write prediction as JSON", e);
            }
        }
        FrameOutcome.Rejected r = (FrameOutcome.Rejected) outcome;
        return DeadLetter.of(rec, r.reason(), r.detail(), SERVICE, clock.instant())
                .toProducerRecord(topics.deadLetters(), maxRecordBytes);
    }

    /**
     * Adds to {@code offsets} the passed-over frames that can be committed now: up to the first
     * served frame still undelivered (buffered, or in a batch in flight) on their partition, never
     * past it. Returns the entries of {@link #unrouted} that are then fully covered.
     */
    private Map<TopicPartition, Long> withUnrouted(Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (unrouted.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, Long> undelivered = new HashMap<>();
        java.util.function.Consumer<Frame> note =
                f -> undelivered.merge(f.partition(), f.record().offset(), Math::min);
        batcher.forEach(note);
        scheduler.inFlight().forEach(b -> b.frames().forEach(note));
        Map<TopicPartition, Long> settled = new HashMap<>();
        unrouted.forEach(
                (tp, upTo) -> {
                    long safe = Math.min(upTo, undelivered.getOrDefault(tp, Long.MAX_VALUE));
                    OffsetAndMetadata have = offsets.get(tp);
                    if (have == null || have.offset() < safe) {
                        offsets.put(tp, new OffsetAndMetadata(safe));
                    }
                    if (safe == upTo) {
                        settled.put(tp, upTo);
                    }
                });
        return settled;
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(List<Frame> frames) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (Frame f : frames) {
            offsets.merge(
                    f.partition(),
                    new OffsetAndMetadata(f.record().offset() + 1),
                    (a, b) -> a.offset() >= b.offset() ? a : b);
        }
        return offsets;
    }

    /**
     * Seeks back to the first frame of the failed batch per partition and drops what was buffered
     * behind it.
     */
    private void rewind(List<Frame> frames) {
        Map<TopicPartition, Long> first = new HashMap<>();
        for (Frame f : frames) {
            first.merge(f.partition(), f.record().offset(), Math::min);
        }
        batcher.removeIf(f -> first.containsKey(f.partition()));
        // frames passed over behind the rewind point are read (and passed over) again
        unrouted.keySet().removeIf(first::containsKey);
        Set<TopicPartition> owned = consumer.assignment();
        first.forEach(
                (tp, offset) -> {
                    if (owned.contains(tp)) {
                        consumer.seek(tp, offset);
                    }
                });
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void updateLag() {
        long lag = 0;
        for (TopicPartition tp : consumer.assignment()) {
            OptionalLong l = consumer.currentLag(tp);
            if (l.isPresent()) {
                lag += l.getAsLong();
            }
        }
        metrics.lag(lag + batcher.size());
    }

    @Override
    public void close() {
        loop.close(Duration.ofSeconds(30));
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                // Finish what is in flight while the offsets can still be committed.
                flushInFlight();
            }
            drop(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            abandonInFlight();
            drop(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                log.info("assigned {}", partitions);
            }
        }

        private void drop(Collection<TopicPartition> partitions) {
            Set<TopicPartition> gone = new HashSet<>(partitions);
            unrouted.keySet().removeIf(gone::contains);
            int dropped = batcher.removeIf(f -> gone.contains(f.partition()));
            if (dropped > 0) {
                log.info(
                        "{} buffered frames of revoked partitions left to their new owner",
                        dropped);
            }
        }
    }
}
