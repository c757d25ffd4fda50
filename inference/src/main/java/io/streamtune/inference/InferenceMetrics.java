package io.streamtune.inference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Every meter of the inference service: names, tags and units in one place. Prometheus names follow
 * from these (dots become underscores, timers gain {@code _seconds}, counters {@code _total}).
 */
public final class InferenceMetrics {

    /** Frames consumed from the frames topic. */
    public static final String FRAMES_IN = "inference.frames.in";

    /** Predictions produced, tag {@code task}. */
    public static final String FRAMES_OUT = "inference.frames.out";

    /** Frames passed over: their camera is served by another model ({@code inference.cameras}). */
    public static final String FRAMES_UNROUTED = "inference.frames.unrouted";

    /** Frames sent to the dead-letter topic, tag {@code reason}. */
    public static final String FRAMES_REJECTED = "inference.frames.rejected";

    /** Frames held because no model is loaded yet. */
    public static final String FRAMES_WAITING = "inference.frames.waiting";

    /**
     * Time per batch in one pipeline stage, tag {@code stage} = decode, preprocess, model,
     * postprocess, produce.
     */
    public static final String STAGE_LATENCY = "inference.stage.latency";

    /** Capture time (header or record timestamp) to prediction acknowledged by Kafka, per frame. */
    public static final String FRAME_LATENCY = "inference.frame.latency";

    /** Frames per model run. */
    public static final String BATCH_SIZE = "inference.batch.size";

    /** 1 for the serving model, tags {@code model} and {@code version}. */
    public static final String MODEL_INFO = "inference.model.info";

    /** Version number of the serving model, 0 when none, tag {@code model}. */
    public static final String MODEL_VERSION = "inference.model.version";

    /** Completed model swaps. */
    public static final String SWAPS = "inference.model.swaps";

    /** Counter: swaps to an older version announced as a rollback. */
    public static final String ROLLBACKS = "inference.model.rollbacks";

    /** Gauge: the candidate version running in shadow, 0 when none. */
    public static final String SHADOW_VERSION = "inference.shadow.version";

    /** Gauge: frames the candidate in shadow ran on (this instance, this candidate). */
    public static final String SHADOW_FRAMES = "inference.shadow.frames";

    /** Gauge: the candidate's mean agreement with production on the compared frames. */
    public static final String SHADOW_AGREEMENT = "inference.shadow.agreement";

    /** Gauge: the candidate's failure rate in shadow. */
    public static final String SHADOW_FAILURE_RATE = "inference.shadow.failure.rate";

    /** Gauge: shadow batches dropped because the shadow worker was busy. */
    public static final String SHADOW_SKIPPED = "inference.shadow.skipped";

    /** Gauge: mean confidence of the production version on live frames. */
    public static final String LIVE_CONFIDENCE = "inference.live.confidence";

    /**
     * Refused model versions, tag {@code reason} = download_failed, checksum_mismatch, load_failed.
     */
    public static final String SWAP_FAILURES = "inference.model.swap.failures";

    /** Records not yet consumed on the assigned frame partitions. */
    public static final String CONSUMER_LAG = "inference.consumer.lag.records";

    /** Every meter name declared here, for dashboards and their tests. */
    public static final List<String> NAMES =
            List.of(
                    FRAMES_IN,
                    FRAMES_OUT,
                    FRAMES_REJECTED,
                    FRAMES_WAITING,
                    STAGE_LATENCY,
                    FRAME_LATENCY,
                    BATCH_SIZE,
                    MODEL_INFO,
                    MODEL_VERSION,
                    SWAPS,
                    SWAP_FAILURES,
                    CONSUMER_LAG,
                    ROLLBACKS,
                    SHADOW_VERSION,
                    SHADOW_FRAMES,
                    SHADOW_AGREEMENT,
                    SHADOW_FAILURE_RATE,
                    SHADOW_SKIPPED,
                    LIVE_CONFIDENCE);

    /** Pipeline stages timed per batch. */
    public enum Stage {
        DECODE,
        PREPROCESS,
        MODEL,
        POSTPROCESS,
        PRODUCE;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final MeterRegistry registry;
    private final String model;
    private final Counter framesIn;
    private final Counter unrouted;
    private final Map<String, Counter> framesOut = new ConcurrentHashMap<>();
    private final Map<String, Counter> rejected = new ConcurrentHashMap<>();
    private final Map<String, Counter> swapFailures = new ConcurrentHashMap<>();
    private final Map<Stage, Timer> stages = new java.util.EnumMap<>(Stage.class);
    private final Timer frameLatency;
    private final DistributionSummary batchSize;
    private final Counter swaps;
    private final AtomicLong version = new AtomicLong();
    private final AtomicLong lag = new AtomicLong();
    private final AtomicLong waiting = new AtomicLong();
    private Gauge info;

    public InferenceMetrics(MeterRegistry registry, String model) {
        this.registry = registry;
        this.model = model;
        this.framesIn =
                Counter.builder(FRAMES_IN)
                        .description("Frames consumed")
                        .tag("model", model)
                        .register(registry);
        this.unrouted =
                Counter.builder(FRAMES_UNROUTED)
                        .description("Frames passed over: their camera is another model's")
                        .tag("model", model)
                        .register(registry);
        for (Stage s : Stage.values()) {
            stages.put(
                    s,
                    Timer.builder(STAGE_LATENCY)
                            .description("Time per batch in one pipeline stage")
                            .tag("stage", s.tag())
                            .tag("model", model)
                            .publishPercentileHistogram()
                            .minimumExpectedValue(Duration.ofMillis(1))
                            .maximumExpectedValue(Duration.ofSeconds(30))
                            .register(registry));
        }
        this.frameLatency =
                Timer.builder(FRAME_LATENCY)
                        .description("Capture to prediction acknowledged, per frame")
                        .tag("model", model)
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(1))
                        .maximumExpectedValue(Duration.ofMinutes(5))
                        .register(registry);
        this.batchSize =
                DistributionSummary.builder(BATCH_SIZE)
                        .description("Frames per model run")
                        .tag("model", model)
                        .baseUnit("frames")
                        .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128)
                        .register(registry);
        this.swaps =
                Counter.builder(SWAPS)
                        .description("Completed model swaps")
                        .tag("model", model)
                        .register(registry);
        this.rollbacks =
                Counter.builder(ROLLBACKS)
                        .tag("model", model)
                        .description("Swaps to an older version announced as a rollback")
                        .register(registry);
        registerRollout();
        Gauge.builder(MODEL_VERSION, version, AtomicLong::get)
                .tag("model", model)
                .description("Version of the serving model, 0 when none")
                .register(registry);
        Gauge.builder(CONSUMER_LAG, lag, AtomicLong::get)
                .description("Frames not yet consumed on the assigned partitions")
                .tag("model", model)
                .register(registry);
        Gauge.builder(FRAMES_WAITING, waiting, AtomicLong::get)
                .description("Frames held while no model is loaded")
                .tag("model", model)
                .register(registry);
        for (String reason : List.of("download_failed", "checksum_mismatch", "load_failed")) {
            swapFailureCounter(reason);
        }
    }

    public void framesIn(int n) {
        framesIn.increment(n);
    }

    public void unrouted(int n) {
        unrouted.increment(n);
    }

    public void frameOut(String task) {
        framesOut
                .computeIfAbsent(
                        task,
                        t ->
                                Counter.builder(FRAMES_OUT)
                                        .description("Predictions produced")
                                        .tag("task", t)
                                        .tag("model", model)
                                        .register(registry))
                .increment();
    }

    public void rejected(String reason) {
        rejected.computeIfAbsent(
                        reason,
                        r ->
                                Counter.builder(FRAMES_REJECTED)
                                        .description("Frames sent to the dead-letter topic")
                                        .tag("reason", r)
                                        .tag("model", model)
                                        .register(registry))
                .increment();
    }

    public void stage(Stage stage, long nanos) {
        stages.get(stage).record(nanos, TimeUnit.NANOSECONDS);
    }

    public void frameLatency(long millis) {
        frameLatency.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
    }

    public void batch(int size) {
        batchSize.record(size);
    }

    public void lag(long records) {
        lag.set(records);
    }

    public void waiting(long frames) {
        waiting.set(frames);
    }

    /** A version is now serving: swap counted (unless it is the first), info gauge moved. */
    public synchronized void serving(int newVersion, boolean swapped) {
        if (swapped) {
            swaps.increment();
        }
        if (info != null) {
            registry.remove(info);
        }
        info =
                Gauge.builder(MODEL_INFO, () -> 1)
                        .tags(Tags.of("model", model, "version", Integer.toString(newVersion)))
                        .description("1 for the serving model version")
                        .register(registry);
        version.set(newVersion);
    }

    private Counter swapFailureCounter(String reason) {
        return swapFailures.computeIfAbsent(
                reason,
                r ->
                        Counter.builder(SWAP_FAILURES)
                                .description("Model versions refused")
                                .tag("reason", r)
                                .tag("model", model)
                                .register(registry));
    }

    /** The version now serving came back as a rollback. */
    public void rolledBack() {
        rollbacks.increment();
    }

    private final Counter rollbacks;
    private final AtomicReference<double[]> shadow =
            new AtomicReference<>(new double[] {0, 0, Double.NaN, Double.NaN, 0});
    private final AtomicReference<Double> liveConfidence = new AtomicReference<>(Double.NaN);

    /** The shadow candidate's numbers on this instance (version 0: none). */
    public void shadow(
            int version, long frames, double agreement, double failureRate, long skipped) {
        shadow.set(new double[] {version, frames, agreement, failureRate, skipped});
    }

    /** Production's mean confidence on live frames. */
    public void liveConfidence(double mean) {
        liveConfidence.set(mean);
    }

    private void registerRollout() {
        String[][] gauges = {
            {SHADOW_VERSION, "Candidate version running in shadow, 0 when none"},
            {SHADOW_FRAMES, "Frames the shadow candidate ran on"},
            {SHADOW_AGREEMENT, "Shadow candidate's mean agreement with production"},
            {SHADOW_FAILURE_RATE, "Shadow candidate's failure rate"},
            {SHADOW_SKIPPED, "Shadow batches dropped because the shadow worker was busy"}
        };
        for (int i = 0; i < gauges.length; i++) {
            int k = i;
            Gauge.builder(gauges[i][0], shadow, a -> a.get()[k])
                    .tag("model", model)
                    .description(gauges[i][1])
                    .register(registry);
        }
        Gauge.builder(LIVE_CONFIDENCE, liveConfidence, AtomicReference::get)
                .tag("model", model)
                .description("Mean confidence of the production version on live frames")
                .register(registry);
    }

    /** A model version was refused; {@code reason} is the lower-case swap outcome. */
    public void swapFailed(String reason) {
        swapFailureCounter(reason).increment();
    }

    /** The e2e latency timer, for benchmarks and tests reading percentiles in-process. */
    public Timer frameLatencyTimer() {
        return frameLatency;
    }

    /** The timer of one stage. */
    public Timer stageTimer(Stage stage) {
        return stages.get(stage);
    }
}
