package io.streamtune.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.streamtune.ingest.accept.LabelIndex;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Every meter the ingest service exports, with its name and tags. Tags are low-cardinality: {@code
 * source} (http, kafka, import), {@code reason} (a {@link
 * io.streamtune.ingest.validate.RejectReason} tag or trigger reason), {@code model} and {@code
 * class} (bounded by {@code label.classes.max}).
 */
public final class IngestMetrics {

    /** Samples written to the labelled topic (new or relabelled). */
    public static final String ACCEPTED = "ingest.accepted";

    /** Samples whose image was already in with another label, replaced. */
    public static final String RELABELLED = "ingest.relabelled";

    /** Samples already in with the same label: nothing written. */
    public static final String UNCHANGED = "ingest.unchanged";

    /** Samples refused, by reason; each also went to the dead-letter topic. */
    public static final String REJECTED = "ingest.rejected";

    /** Time from receiving a sample to its Kafka acknowledgement. */
    public static final String ACCEPT_LATENCY = "ingest.accept.latency";

    /** Training triggers emitted, by reason (threshold, schedule, manual). */
    public static final String TRIGGERS = "ingest.triggers";

    /** Samples per model and class, from the trigger topology's state store. */
    public static final String DATASET_SAMPLES = "ingest.dataset.samples";

    /** Samples per model. */
    public static final String DATASET_TOTAL = "ingest.dataset.size";

    /** Samples accepted since the model's last trigger. */
    public static final String DATASET_PENDING = "ingest.dataset.pending";

    /** Manual training requests answered without a trigger because no new data had arrived. */
    public static final String TRIGGERS_SUPPRESSED = "ingest.triggers.suppressed";

    /**
     * Gauge: the last judged window's drift score (PSI over its threshold, the larger of the two
     * statistics; above 1 is drift), tag {@code model}.
     */
    public static final String DRIFT_SCORE = "ingest.drift.score";

    /** Counter: windows judged for drift, tags {@code model} and {@code drifted}. */
    public static final String DRIFT_WINDOWS = "ingest.drift.windows";

    private final java.util.Map<String, java.util.concurrent.atomic.AtomicReference<Double>>
            driftScores = new java.util.concurrent.ConcurrentHashMap<>();

    /** One judged drift window of {@code model}. */
    public void drift(String model, io.streamtune.contracts.DriftDetected d) {
        driftScores
                .computeIfAbsent(
                        model,
                        m -> {
                            var ref = new java.util.concurrent.atomic.AtomicReference<>(Double.NaN);
                            io.micrometer.core.instrument.Gauge.builder(
                                            DRIFT_SCORE,
                                            ref,
                                            java.util.concurrent.atomic.AtomicReference::get)
                                    .description(
                                            "Last judged window's drift score (above 1 is drift)")
                                    .tag("model", m)
                                    .register(registry);
                            return ref;
                        })
                .set(d.score());
        // both series exist from the first judged window, so "drifted windows" reads 0, not absent
        Counter drifted = driftWindows(model, true);
        Counter clear = driftWindows(model, false);
        (d.drifted() ? drifted : clear).increment();
    }

    private Counter driftWindows(String model, boolean drifted) {
        return Counter.builder(DRIFT_WINDOWS)
                .description("Windows of live predictions judged for drift")
                .tag("model", model)
                .tag("drifted", Boolean.toString(drifted))
                .register(registry);
    }

    /**
     * Records of the labelled topic the label-index follower passed, by {@code kind}: {@code
     * own_skipped} (this instance's writes, passed without fetching them), {@code own_read} (its
     * writes fetched anyway, written while a read was under way) and {@code applied} (others'
     * writes, and own ones fetched before their acknowledgement was reported).
     */
    public static final String INDEX_FOLLOW = "ingest.index.follow.records";

    private final MeterRegistry registry;
    private final Timer acceptLatency;
    private final MultiGauge datasetSamples;
    private final MultiGauge datasetTotal;
    private final MultiGauge datasetPending;

    public IngestMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.acceptLatency =
                Timer.builder(ACCEPT_LATENCY)
                        .description("Time from receiving a sample to its acknowledgement by Kafka")
                        .publishPercentiles(0.5, 0.99)
                        .register(registry);
        this.datasetSamples =
                MultiGauge.builder(DATASET_SAMPLES)
                        .description("Samples per model and class in the labelled dataset")
                        .register(registry);
        this.datasetTotal =
                MultiGauge.builder(DATASET_TOTAL)
                        .description("Samples per model in the labelled dataset")
                        .register(registry);
        this.datasetPending =
                MultiGauge.builder(DATASET_PENDING)
                        .description("Samples accepted since the model's last training trigger")
                        .register(registry);
        // Every channel's outcome counters exist from the start, so rates read 0 rather than
        // nothing.
        for (String channel : List.of("http", "kafka", "import")) {
            counter(ACCEPTED, "Samples written to the labelled topic", "source", channel);
            counter(RELABELLED, "Samples relabelled (same image, new label)", "source", channel);
            counter(UNCHANGED, "Samples already present with the same label", "source", channel);
        }
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Exports what the follower of {@code index} did ({@link #INDEX_FOLLOW}). */
    public void labelIndex(LabelIndex index) {
        FunctionCounter.builder(INDEX_FOLLOW, index, i -> i.followStats().ownSkipped())
                .tag("kind", "own_skipped")
                .register(registry);
        FunctionCounter.builder(INDEX_FOLLOW, index, i -> i.followStats().ownRead())
                .tag("kind", "own_read")
                .register(registry);
        FunctionCounter.builder(INDEX_FOLLOW, index, i -> i.followStats().othersRead())
                .tag("kind", "applied")
                .register(registry);
    }

    public void accepted(String source) {
        counter(ACCEPTED, "Samples written to the labelled topic", "source", source).increment();
    }

    public void relabelled(String source) {
        counter(RELABELLED, "Samples relabelled (same image, new label)", "source", source)
                .increment();
    }

    public void unchanged(String source) {
        counter(UNCHANGED, "Samples already present with the same label", "source", source)
                .increment();
    }

    public void rejected(String reason, String source) {
        Counter.builder(REJECTED)
                .description("Samples refused and sent to the dead-letter topic")
                .tags("reason", reason, "source", source)
                .register(registry)
                .increment();
    }

    public void acceptLatency(Duration d) {
        acceptLatency.record(d);
    }

    public void trigger(String reason) {
        counter(TRIGGERS, "Training triggers emitted", "reason", reason).increment();
    }

    public void triggerSuppressed(String reason) {
        counter(TRIGGERS_SUPPRESSED, "Manual training requests without new data", "reason", reason)
                .increment();
    }

    /** Current counts of one model, for the dataset gauges. */
    public record DatasetCounts(
            String model, long total, long pending, Map<String, Long> perClass) {}

    /**
     * Most per-class series the dataset gauge exports; model and class names come from clients, so
     * the smallest classes beyond this are summed into {@code class="_other"} of their model.
     */
    public static final int MAX_CLASS_SERIES = 2000;

    /** Replaces the dataset gauges with the given counts. */
    public void dataset(Collection<DatasetCounts> models) {
        List<MultiGauge.Row<?>> classes = new ArrayList<>();
        List<MultiGauge.Row<?>> totals = new ArrayList<>();
        List<MultiGauge.Row<?>> pending = new ArrayList<>();
        record Series(String model, String cls, long n) {}
        List<Series> all = new ArrayList<>();
        for (DatasetCounts m : models) {
            m.perClass().forEach((c, n) -> all.add(new Series(m.model(), c, n)));
            totals.add(MultiGauge.Row.of(Tags.of("model", m.model()), m.total()));
            pending.add(MultiGauge.Row.of(Tags.of("model", m.model()), m.pending()));
        }
        all.sort((a, b) -> Long.compare(b.n(), a.n()));
        Map<String, Long> other = new java.util.TreeMap<>();
        for (int i = 0; i < all.size(); i++) {
            Series x = all.get(i);
            if (i < MAX_CLASS_SERIES) {
                classes.add(
                        MultiGauge.Row.of(Tags.of("model", x.model(), "class", x.cls()), x.n()));
            } else {
                other.merge(x.model(), x.n(), Long::sum);
            }
        }
        other.forEach(
                (model, n) ->
                        classes.add(
                                MultiGauge.Row.of(Tags.of("model", model, "class", "_other"), n)));
        datasetSamples.register(classes, true);
        datasetTotal.register(totals, true);
        datasetPending.register(pending, true);
    }

    private Counter counter(String name, String description, String tag, String value) {
        return Counter.builder(name).description(description).tag(tag, value).register(registry);
    }
}
