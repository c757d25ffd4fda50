package io.streamtune.trainer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.streamtune.contracts.TrainingProgress.Phase;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;

/**
 * Every meter of the trainer service: names, tags and units in one place. Prometheus names follow
 * from these (dots become underscores, timers gain {@code _seconds}, counters {@code _total}).
 */
public final class TrainerMetrics {

    /** Finished runs, tag {@code outcome} = published, rejected, failed. */
    public static final String RUNS = "trainer.runs";

    /** Wall time of a run, tag {@code outcome}. */
    public static final String RUN_DURATION = "trainer.run.duration";

    /** Counter: rollout decisions, tags {@code model}, {@code decision}. */
    public static final String ROLLOUTS = "trainer.rollouts";

    /** Last validation metric of a run in progress or finished, tag {@code model}. */
    public static final String VALIDATION_METRIC = "trainer.validation.metric";

    /** Last training loss, tag {@code model}. */
    public static final String LOSS = "trainer.loss";

    /** Epoch within the current phase, tag {@code model}. */
    public static final String EPOCH = "trainer.epoch";

    /** Current phase as its ordinal in {@code TrainingProgress.Phase}, tag {@code model}. */
    public static final String PHASE = "trainer.phase";

    /** Triggers received. */
    public static final String TRIGGERS = "trainer.triggers";

    /** Triggers merged into a pending or running run of the same model. */
    public static final String TRIGGERS_COALESCED = "trainer.triggers.coalesced";

    /** Samples in the local dataset after the last sync, tag {@code model}. */
    public static final String DATASET_SAMPLES = "trainer.dataset.samples";

    /** Labelled-image records skipped as unreadable, tag {@code model}. */
    public static final String DATASET_CORRUPT = "trainer.dataset.corrupt";

    /** Version of the production model, tag {@code model}. */
    public static final String PRODUCTION_VERSION = "trainer.production.version";

    /**
     * Gating metric of each published version, tags {@code model}, {@code version}, {@code metric}.
     */
    public static final String PUBLISHED_METRIC = "trainer.published.metric";

    /** Candidate's gating metric at the last gate, tag {@code model}. */
    public static final String GATE_CANDIDATE = "trainer.gate.candidate.metric";

    /**
     * Production's gating metric on the same validation set at the last gate (NaN: none), tag
     * {@code model}.
     */
    public static final String GATE_PRODUCTION = "trainer.gate.production.metric";

    /** Every meter name declared here, for dashboards and their tests. */
    public static final List<String> NAMES =
            List.of(
                    RUNS,
                    RUN_DURATION,
                    VALIDATION_METRIC,
                    LOSS,
                    EPOCH,
                    PHASE,
                    TRIGGERS,
                    TRIGGERS_COALESCED,
                    DATASET_SAMPLES,
                    DATASET_CORRUPT,
                    PRODUCTION_VERSION,
                    PUBLISHED_METRIC,
                    GATE_CANDIDATE,
                    GATE_PRODUCTION,
                    ROLLOUTS);

    /** How a run ended. */
    public enum RunOutcome {
        PUBLISHED,
        REJECTED,
        FAILED,
        /** passed the offline gate, announced as a candidate for shadow serving */
        CANDIDATE;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final MeterRegistry registry;
    private final Counter triggers;
    private final Counter coalesced;
    private final Map<String, ModelGauges> models = new ConcurrentHashMap<>();

    public TrainerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.triggers =
                Counter.builder(TRIGGERS)
                        .description("Training triggers received")
                        .register(registry);
        this.coalesced =
                Counter.builder(TRIGGERS_COALESCED)
                        .description("Triggers merged into a pending or running run")
                        .register(registry);
        for (RunOutcome o : RunOutcome.values()) {
            Counter.builder(RUNS)
                    .tag("outcome", o.tag())
                    .description("Finished training runs")
                    .register(registry);
            Timer.builder(RUN_DURATION)
                    .tag("outcome", o.tag())
                    .description("Training run wall time")
                    .register(registry);
        }
    }

    private final class ModelGauges {
        final AtomicReference<Double> metric = new AtomicReference<>(Double.NaN);
        final AtomicReference<Double> loss = new AtomicReference<>(Double.NaN);
        final AtomicLong epoch = new AtomicLong();
        final AtomicLong phase = new AtomicLong();
        final AtomicLong samples = new AtomicLong();
        final AtomicLong version = new AtomicLong();
        final AtomicReference<Double> gateCandidate = new AtomicReference<>(Double.NaN);
        final AtomicReference<Double> gateProduction = new AtomicReference<>(Double.NaN);
        final Counter corrupt;

        ModelGauges(String model) {
            gauge(VALIDATION_METRIC, metric, AtomicReference::get, model, "Last validation metric");
            gauge(LOSS, loss, AtomicReference::get, model, "Last training loss");
            gauge(EPOCH, epoch, AtomicLong::get, model, "Epoch of the current phase");
            gauge(PHASE, phase, AtomicLong::get, model, "Current phase ordinal");
            gauge(DATASET_SAMPLES, samples, AtomicLong::get, model, "Samples in the local dataset");
            gauge(PRODUCTION_VERSION, version, AtomicLong::get, model, "Production model version");
            gauge(
                    GATE_CANDIDATE,
                    gateCandidate,
                    AtomicReference::get,
                    model,
                    "Candidate metric at the last gate");
            gauge(
                    GATE_PRODUCTION,
                    gateProduction,
                    AtomicReference::get,
                    model,
                    "Production metric on the same validation set at the last gate");
            for (String decision : List.of("promoted", "shadow_rejected", "rolled_back")) {
                Counter.builder(ROLLOUTS)
                        .tag("model", model)
                        .tag("decision", decision)
                        .description("Shadow promotions, shadow rejections and automatic rollbacks")
                        .register(registry);
            }
            corrupt =
                    Counter.builder(DATASET_CORRUPT)
                            .tag("model", model)
                            .description("Unreadable samples skipped")
                            .register(registry);
        }
    }

    private <T> void gauge(
            String name, T state, ToDoubleFunction<T> value, String model, String description) {
        Gauge.builder(name, state, value)
                .tag("model", model)
                .description(description)
                .register(registry);
    }

    private ModelGauges of(String model) {
        return models.computeIfAbsent(model, ModelGauges::new);
    }

    public void triggerReceived() {
        triggers.increment();
    }

    public void triggerCoalesced() {
        coalesced.increment();
    }

    public void progress(String model, Phase phase, int epoch, double loss, double metric) {
        ModelGauges g = of(model);
        g.phase.set(phase.ordinal());
        g.epoch.set(epoch);
        if (!Double.isNaN(loss)) {
            g.loss.set(loss);
        }
        if (!Double.isNaN(metric)) {
            g.metric.set(metric);
        }
    }

    public void dataset(String model, int samples, long newlyCorrupt) {
        ModelGauges g = of(model);
        g.samples.set(samples);
        g.corrupt.increment(newlyCorrupt);
    }

    /** Both numbers of a gate decision. */
    public void gate(String model, double candidate, double production) {
        ModelGauges g = of(model);
        g.gateCandidate.set(candidate);
        g.gateProduction.set(production);
    }

    /**
     * A version was published with this gating metric; its series stays for the model-quality
     * dashboard.
     */
    public void published(String model, int version, String metricName, double value) {
        AtomicReference<Double> holder = new AtomicReference<>(value);
        Gauge g =
                Gauge.builder(PUBLISHED_METRIC, holder, AtomicReference::get)
                        .tags(
                                "model",
                                model,
                                "version",
                                Integer.toString(version),
                                "metric",
                                metricName)
                        .description("Validation metric of a published version")
                        .register(registry);
        // one series per version would grow for ever: keep the latest few per model
        java.util.Deque<Published> kept =
                publishedGauges.computeIfAbsent(model, k -> new java.util.ArrayDeque<>());
        synchronized (kept) {
            kept.addLast(new Published(g, holder));
            while (kept.size() > PUBLISHED_VERSIONS_KEPT) {
                registry.remove(kept.removeFirst().gauge());
            }
        }
    }

    /** Published versions per model whose metric gauge is kept. */
    public static final int PUBLISHED_VERSIONS_KEPT = 10;

    /** A published-metric gauge and the value it reads (gauges hold weak references). */
    private record Published(Gauge gauge, AtomicReference<Double> value) {}

    private final Map<String, java.util.Deque<Published>> publishedGauges =
            new ConcurrentHashMap<>();

    public void productionVersion(String model, int version) {
        of(model).version.set(version);
    }

    /** A rollout decision: {@code promoted}, {@code shadow_rejected} or {@code rolled_back}. */
    public void rollout(String model, String decision) {
        Counter.builder(ROLLOUTS)
                .tag("model", model)
                .tag("decision", decision)
                .description("Shadow promotions, shadow rejections and automatic rollbacks")
                .register(registry)
                .increment();
    }

    public void runFinished(RunOutcome outcome, Duration duration) {
        registry.counter(RUNS, "outcome", outcome.tag()).increment();
        registry.timer(RUN_DURATION, "outcome", outcome.tag()).record(duration);
    }
}
