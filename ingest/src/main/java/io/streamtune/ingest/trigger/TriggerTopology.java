package io.streamtune.ingest.trigger;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.streamtune.contracts.ClassificationsEmitted;
import io.streamtune.contracts.DetectionsEmitted;
import io.streamtune.contracts.DriftDetected;
import io.streamtune.contracts.DriftReference;
import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.Label;
import io.streamtune.contracts.ModelPublished;
import io.streamtune.contracts.SegmentationsEmitted;
import io.streamtune.contracts.Topic;
import io.streamtune.contracts.Topics;
import io.streamtune.contracts.TrainingRequested;
import io.streamtune.contracts.TrainingTriggered;
import io.streamtune.ingest.IngestMetrics;
import io.streamtune.ingest.validate.Digests;
import io.streamtune.runtime.LogThrottle;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts each model's samples and decides when to train.
 *
 * <pre>
 * images.labelled (key model/sha256) ─► [samples store: key → label hash + classes] ─► model events
 *     ─► repartition by model ─┐
 * training.requests (key model) ─┴► [models store: counts, pending, last trigger] ─► training.triggers
 * </pre>
 *
 * <p>A repeat of a sample with the same label changes nothing; a relabel moves its class counts and
 * counts as new data; a tombstone uncounts it. A trigger is emitted when pending (new) samples
 * reach {@link TriggerPolicy#threshold()}, when the oldest pending sample is {@link
 * TriggerPolicy#interval()} old (wall-clock punctuation every {@link TriggerPolicy#checkEvery()}),
 * or on a manual request if anything is pending (or nothing was ever triggered for a non-empty
 * dataset). Emitting resets pending to zero in the same step, so no data is triggered twice; both
 * stores are changelogged, and with {@code exactly_once_v2} the trigger and the state change commit
 * together. Trigger ids are {@code <model>-<n>}, so even a replay under at-least-once repeats the
 * same id.
 */
public final class TriggerTopology {

    /** Sample key → {@link SampleState}. */
    public static final String SAMPLES_STORE = "samples";

    /** Model → {@link ModelStats}; queried over HTTP. */
    public static final String MODELS_STORE = "models";

    /** Model → {@link Drift.State}: the window of live predictions being counted. */
    public static final String DRIFT_STORE = "drift";

    private static final JsonSerde<Drift.State> DRIFT_STATE_SERDE = JsonSerde.of(Drift.State.class);
    private static final JsonSerde<DriftInput> DRIFT_INPUT_SERDE = JsonSerde.of(DriftInput.class);

    private static final Logger log = LoggerFactory.getLogger(TriggerTopology.class);

    /** Ignored records: at most 5 lines per kind per 10 s. */
    private static final LogThrottle LOG_THROTTLE = new LogThrottle(Duration.ofSeconds(10), 5);

    private static final JsonSerde<SampleState> SAMPLE_SERDE = JsonSerde.of(SampleState.class);
    private static final JsonSerde<ModelStats> STATS_SERDE = JsonSerde.of(ModelStats.class);
    private static final JsonSerde<ModelEvent> EVENT_SERDE = JsonSerde.of(ModelEvent.class);

    private TriggerTopology() {}

    /**
     * The topology, not started.
     *
     * @param topicPrefix prefix of every topic name
     * @param metrics where trigger counts go
     */
    public static Topology build(TriggerPolicy policy, String topicPrefix, IngestMetrics metrics) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(
                Stores.keyValueStoreBuilder(
                                Stores.persistentKeyValueStore(SAMPLES_STORE),
                                Serdes.String(),
                                SAMPLE_SERDE)
                        .withCachingDisabled());
        builder.addStateStore(
                Stores.keyValueStoreBuilder(
                                Stores.persistentKeyValueStore(MODELS_STORE),
                                Serdes.String(),
                                STATS_SERDE)
                        .withCachingDisabled());

        KStream<String, ModelEvent> sampleEvents =
                builder.stream(
                                Topics.IMAGES_LABELLED.withPrefix(topicPrefix).name(),
                                Consumed.with(Serdes.String(), Serdes.ByteArray()))
                        .process(SampleProcessor::new, SAMPLES_STORE)
                        .repartition(
                                Repartitioned.<String, ModelEvent>as("model-events")
                                        .withKeySerde(Serdes.String())
                                        .withValueSerde(EVENT_SERDE)
                                        .withNumberOfPartitions(
                                                Topics.TRAINING_REQUESTS.spec().partitions()));

        Topic<String, TrainingRequested> requestTopic =
                Topics.TRAINING_REQUESTS.withPrefix(topicPrefix);
        KStream<String, ModelEvent> requests =
                builder.stream(
                                requestTopic.name(),
                                Consumed.with(Serdes.String(), Serdes.ByteArray()))
                        .flatMapValues(
                                (key, bytes) -> {
                                    try {
                                        TrainingRequested r = requestTopic.value(bytes);
                                        if (r == null || !r.model().equals(key)) {
                                            log.warn(
                                                    "ignoring training request keyed '{}' for model {}: key must be the model",
                                                    key,
                                                    r == null ? null : r.model());
                                            return List.of();
                                        }
                                        return List.of(ModelEvent.manual(r.requestedBy()));
                                    } catch (RuntimeException e) {
                                        log.warn(
                                                "ignoring malformed training request keyed '{}': {}",
                                                key,
                                                e.getMessage());
                                        return List.of();
                                    }
                                });

        KStream<String, ModelEvent> driftEvents = drift(builder, policy, topicPrefix, metrics);
        Topic<String, TrainingTriggered> triggers =
                Topics.TRAINING_TRIGGERS.withPrefix(topicPrefix);

        sampleEvents
                .merge(requests)
                .merge(driftEvents)
                .process(() -> new ModelProcessor(policy, metrics), MODELS_STORE)
                .to(triggers.name(), Produced.with(triggers.keySerde(), triggers.valueSerde()));
        return builder.build();
    }

    /**
     * One input of the drift processor: a version's reference (from {@code models.published}) or
     * one live prediction reduced to an observation.
     */
    record DriftInput(
            int version, DriftReference reference, DriftReference.Observation observation) {}

    /**
     * The drift sub-topology: every prediction topic and {@code models.published}, re-keyed by
     * model, into {@link DriftProcessor}; its judged windows go to {@code models.drift} and, as
     * {@link ModelEvent#drift} events, to the trigger policy.
     */
    private static KStream<String, ModelEvent> drift(
            StreamsBuilder builder, TriggerPolicy policy, String prefix, IngestMetrics metrics) {
        builder.addStateStore(
                Stores.keyValueStoreBuilder(
                                Stores.persistentKeyValueStore(DRIFT_STORE),
                                Serdes.String(),
                                DRIFT_STATE_SERDE)
                        .withCachingDisabled());
        Topic<String, ModelPublished> published = Topics.MODELS_PUBLISHED.withPrefix(prefix);
        KStream<String, DriftInput> inputs =
                observations(
                                builder,
                                Topics.PREDICTIONS_CLASSIFICATIONS.withPrefix(prefix),
                                ClassificationsEmitted::frame,
                                DriftReference.Observation::of)
                        .merge(
                                observations(
                                        builder,
                                        Topics.PREDICTIONS_DETECTIONS.withPrefix(prefix),
                                        DetectionsEmitted::frame,
                                        DriftReference.Observation::of))
                        .merge(
                                observations(
                                        builder,
                                        Topics.PREDICTIONS_SEGMENTATIONS.withPrefix(prefix),
                                        SegmentationsEmitted::frame,
                                        DriftReference.Observation::of))
                        .merge(
                                predictions(
                                        builder,
                                        published.name(),
                                        b -> {
                                            ModelPublished p = published.value(b);
                                            return new KeyValue<>(
                                                    p.model(),
                                                    new DriftInput(
                                                            p.version(),
                                                            p.lineage() == null
                                                                    ? null
                                                                    : p.lineage().drift(),
                                                            null));
                                        }));
        KStream<String, DriftDetected> windows =
                inputs.repartition(
                                Repartitioned.<String, DriftInput>as("drift-inputs")
                                        .withKeySerde(Serdes.String())
                                        .withValueSerde(DRIFT_INPUT_SERDE)
                                        .withNumberOfPartitions(
                                                Topics.TRAINING_REQUESTS.spec().partitions()))
                        .process(() -> new DriftProcessor(policy.drift(), metrics), DRIFT_STORE);
        Topic<String, DriftDetected> driftTopic = Topics.MODELS_DRIFT.withPrefix(prefix);
        windows.to(
                driftTopic.name(), Produced.with(driftTopic.keySerde(), driftTopic.valueSerde()));
        return windows.mapValues(d -> ModelEvent.drift(d.consecutive()));
    }

    /** A prediction topic's records as observations of their model and version. */
    private static <T> KStream<String, DriftInput> observations(
            StreamsBuilder builder,
            Topic<String, T> topic,
            java.util.function.Function<T, io.streamtune.contracts.FrameRef> frame,
            java.util.function.Function<T, DriftReference.Observation> observe) {
        return predictions(
                builder,
                topic.name(),
                b -> {
                    T value = topic.value(b);
                    var f = frame.apply(value);
                    return new KeyValue<>(
                            f.model(),
                            new DriftInput(f.modelVersion(), null, observe.apply(value)));
                });
    }

    /** A topic's records parsed by {@code parse}; records it cannot read are passed over. */
    private static <V> KStream<String, V> predictions(
            StreamsBuilder builder,
            String topic,
            java.util.function.Function<byte[], KeyValue<String, V>> parse) {
        return builder.stream(topic, Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .flatMap(
                        (key, bytes) -> {
                            if (bytes == null) {
                                return List.of();
                            }
                            try {
                                KeyValue<String, V> kv = parse.apply(bytes);
                                return kv.key == null ? List.of() : List.of(kv);
                            } catch (RuntimeException e) {
                                long leftOut = LOG_THROTTLE.admit("drift-" + topic);
                                if (leftOut >= 0) {
                                    log.warn(
                                            "drift: passing over an unreadable record on {}: {}{}",
                                            topic,
                                            e.getMessage(),
                                            LogThrottle.note(leftOut));
                                }
                                return List.of();
                            }
                        });
    }

    /**
     * Counts each model's live predictions per window (record time) and judges every closed window
     * with enough frames against the serving version's reference ({@link Drift}). Predictions of
     * other versions than the last announced one are not counted; a model whose version has no
     * reference is not judged.
     */
    static final class DriftProcessor
            implements Processor<String, DriftInput, String, DriftDetected> {

        private final Drift.Settings settings;
        private final IngestMetrics metrics;
        private final long windowMs;
        private final long graceMs;
        private ProcessorContext<String, DriftDetected> context;
        private KeyValueStore<String, Drift.State> states;

        /** Model → wall-clock time its last prediction was counted (not persisted). */
        private final Map<String, Long> lastCounted = new HashMap<>();

        private long started;

        DriftProcessor(Drift.Settings settings, IngestMetrics metrics) {
            this.settings = settings;
            this.metrics = metrics;
            this.windowMs = settings.window().toMillis();
            this.graceMs = Drift.quietGrace(settings.window()).toMillis();
        }

        @Override
        public void init(ProcessorContext<String, DriftDetected> context) {
            this.context = context;
            this.states = context.getStateStore(DRIFT_STORE);
            this.started = context.currentSystemTimeMs();
            context.schedule(
                    Drift.quietCheckEvery(settings.window()),
                    PunctuationType.WALL_CLOCK_TIME,
                    this::closeQuietWindows);
        }

        @Override
        public void process(Record<String, DriftInput> record) {
            String model = record.key();
            DriftInput in = record.value();
            if (model == null || in == null) {
                return;
            }
            if (in.observation() == null) {
                if (in.reference() == null) {
                    states.delete(model); // a version without reference: nothing to judge
                } else {
                    Drift.State current = states.get(model);
                    if (current == null || current.version() != in.version()) {
                        states.put(model, Drift.State.of(in.version(), in.reference()));
                    }
                }
                return;
            }
            Drift.State s = states.get(model);
            if (s == null || s.version() != in.version()) {
                return;
            }
            long index = Math.max(0, record.timestamp()) / windowMs;
            if (s.window() < 0) {
                s = s.next(index, s.consecutive());
            } else if (index > s.window()) {
                s = s.next(index, close(model, s, record.timestamp()));
            }
            long into = Math.max(0, record.timestamp()) - index * windowMs;
            states.put(model, s.add(in.observation(), (int) (into * Drift.BLOCKS / windowMs)));
            lastCounted.put(model, context.currentSystemTimeMs());
        }

        /**
         * Judges the window of each model whose predictions stopped (a camera switched off, a model
         * no longer served): once the window has ended by the wall clock and no prediction came for
         * {@link Drift#quietGrace}, it is closed as the next prediction would close it.
         */
        private void closeQuietWindows(long now) {
            Map<String, Drift.State> closed = new HashMap<>();
            try (KeyValueIterator<String, Drift.State> all = states.all()) {
                while (all.hasNext()) {
                    var kv = all.next();
                    Drift.State s = kv.value;
                    if (s == null || s.window() < 0) {
                        continue;
                    }
                    long end = (s.window() + 1) * windowMs;
                    long quiet = now - lastCounted.getOrDefault(kv.key, started);
                    if (now >= end + graceMs && quiet >= graceMs) {
                        closed.put(kv.key, s);
                    }
                }
            }
            closed.forEach(
                    (model, s) -> {
                        long end = (s.window() + 1) * windowMs;
                        states.put(model, s.next(-1, close(model, s, end)));
                    });
        }

        /**
         * Judges the closed window of {@code s} when it has enough frames and forwards the verdict
         * at {@code timestamp}; returns the drift streak the next window carries.
         */
        private int close(String model, Drift.State s, long timestamp) {
            if (s.frames() < settings.minFrames()) {
                return s.consecutive();
            }
            DriftDetected d =
                    Drift.judge(
                            model,
                            s,
                            settings,
                            Instant.ofEpochMilli(s.window() * windowMs),
                            Instant.ofEpochMilli((s.window() + 1) * windowMs));
            metrics.drift(model, d);
            if (d.drifted()) {
                log.info(
                        "drift: {} v{} window {} drifted from its reference ({} in a row):"
                                + " confidence PSI {} (threshold {}), class PSI {}"
                                + " (threshold {}){}, {} frames (dispersion {})",
                        model,
                        d.version(),
                        d.windowStart(),
                        d.consecutive(),
                        String.format(java.util.Locale.ROOT, "%.4f", d.confidencePsi()),
                        String.format(java.util.Locale.ROOT, "%.4f", d.confidenceThreshold()),
                        String.format(java.util.Locale.ROOT, "%.4f", d.classPsi()),
                        String.format(java.util.Locale.ROOT, "%.4f", d.classThreshold()),
                        d.embeddingPsi() == null
                                ? ""
                                : String.format(
                                        java.util.Locale.ROOT,
                                        ", embedding PSI %.4f (threshold %.4f)",
                                        d.embeddingPsi(),
                                        d.embeddingThreshold()),
                        d.frames(),
                        String.format(java.util.Locale.ROOT, "%.1f", d.dispersion()));
            }
            context.forward(new Record<>(model, d, timestamp));
            return d.consecutive();
        }
    }

    /** The label of a labelled record; the image is skipped by the parser, never materialized. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record LabelledView(String model, Label label) {}

    /** Turns labelled records into per-model events, ignoring repeats. */
    static final class SampleProcessor implements Processor<String, byte[], String, ModelEvent> {

        private ProcessorContext<String, ModelEvent> context;
        private KeyValueStore<String, SampleState> samples;

        @Override
        public void init(ProcessorContext<String, ModelEvent> context) {
            this.context = context;
            this.samples = context.getStateStore(SAMPLES_STORE);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            String key = record.key();
            int slash = key == null ? -1 : key.indexOf('/');
            if (slash <= 0) {
                long leftOut = LOG_THROTTLE.admit("bad-key");
                if (leftOut >= 0) {
                    log.warn(
                            "ignoring labelled record with key '{}': expected <model>/<sha256>{}",
                            key,
                            LogThrottle.note(leftOut));
                }
                return;
            }
            String model = key.substring(0, slash);
            SampleState previous = samples.get(key);
            if (record.value() == null) {
                if (previous != null) {
                    samples.delete(key);
                    context.forward(
                            record.withKey(model)
                                    .withValue(
                                            ModelEvent.sample(
                                                    List.of(), previous.classes(), -1, false)));
                }
                return;
            }
            LabelledView view;
            try {
                view = JsonSerde.MAPPER.readValue(record.value(), LabelledView.class);
            } catch (IOException e) {
                long leftOut = LOG_THROTTLE.admit("unreadable");
                if (leftOut >= 0) {
                    log.warn(
                            "ignoring unreadable labelled record {}: {}{}",
                            key,
                            e.getMessage(),
                            LogThrottle.note(leftOut));
                }
                return;
            }
            if (view.label() == null) {
                long leftOut = LOG_THROTTLE.admit("no-label");
                if (leftOut >= 0) {
                    log.warn(
                            "ignoring labelled record {} without label{}",
                            key,
                            LogThrottle.note(leftOut));
                }
                return;
            }
            long hash = Digests.labelHash(view.label());
            if (previous != null && previous.labelHash() == hash) {
                return;
            }
            List<String> classes = presentClasses(view.label());
            samples.put(key, new SampleState(hash, classes));
            context.forward(
                    record.withKey(model)
                            .withValue(
                                    ModelEvent.sample(
                                            classes,
                                            previous == null ? List.of() : previous.classes(),
                                            previous == null ? 1 : 0,
                                            true)));
        }
    }

    /** Classes present in a label; for masks, the classes whose index occurs in the mask. */
    static List<String> presentClasses(Label label) {
        if (label instanceof Label.ClassLabel c) {
            return List.of(c.className());
        }
        if (label instanceof Label.BoxesLabel b) {
            return List.copyOf(new TreeSet<>(b.classNames()));
        }
        if (!(label instanceof Label.MaskLabel m)) {
            return List.of(); // style and content images name no class
        }
        try (ImageInputStream in =
                new MemoryCacheImageInputStream(new ByteArrayInputStream(m.png()))) {
            ImageReader reader = ImageIO.getImageReaders(in).next();
            try {
                reader.setInput(in, true, true);
                Raster raster = reader.read(0).getRaster();
                boolean[] seen = new boolean[256];
                int[] row = new int[raster.getWidth()];
                for (int y = 0; y < raster.getHeight(); y++) {
                    raster.getSamples(0, y, row.length, 1, 0, row);
                    for (int v : row) {
                        seen[v & 0xFF] = true;
                    }
                }
                Set<String> present = new LinkedHashSet<>();
                for (int i = 0; i < m.classes().size(); i++) {
                    if (seen[i]) {
                        present.add(m.classes().get(i));
                    }
                }
                return List.copyOf(new TreeSet<>(present));
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return List.copyOf(new TreeSet<>(m.classes()));
        }
    }

    /** Keeps per-model counts and emits triggers. */
    static final class ModelProcessor
            implements Processor<String, ModelEvent, String, TrainingTriggered> {

        private final TriggerPolicy policy;
        private final IngestMetrics metrics;
        private ProcessorContext<String, TrainingTriggered> context;
        private KeyValueStore<String, ModelStats> models;

        ModelProcessor(TriggerPolicy policy, IngestMetrics metrics) {
            this.policy = policy;
            this.metrics = metrics;
        }

        @Override
        public void init(ProcessorContext<String, TrainingTriggered> context) {
            this.context = context;
            this.models = context.getStateStore(MODELS_STORE);
            context.schedule(
                    policy.checkEvery(), PunctuationType.WALL_CLOCK_TIME, this::checkSchedule);
        }

        @Override
        public void process(Record<String, ModelEvent> record) {
            String model = record.key();
            ModelEvent event = record.value();
            if (model == null || event == null) {
                return;
            }
            ModelStats stats = models.get(model);
            if (stats == null && event.kind() == ModelEvent.Kind.DRIFT) {
                return; // a served model without a dataset here: nothing to retrain
            }
            if (stats == null) {
                stats = ModelStats.empty(model);
            }
            Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
            if (event.kind() == ModelEvent.Kind.DRIFT) {
                if (event.driftWindows() >= policy.drift().windows()
                        && stats.pendingSamples() >= Math.max(1, policy.drift().minLabels())) {
                    stats = emit(stats, TrainingTriggered.Reason.DRIFT, now);
                }
            } else if (event.kind() == ModelEvent.Kind.SAMPLE) {
                stats = apply(stats, event, now);
                if (stats.pendingSamples() >= policy.threshold()) {
                    stats = emit(stats, TrainingTriggered.Reason.THRESHOLD, now);
                }
            } else if (stats.pendingSamples() > 0
                    || (stats.triggers() == 0 && stats.totalSamples() > 0)) {
                stats = emit(stats, TrainingTriggered.Reason.MANUAL, now);
            } else {
                log.warn(
                        "manual training request for {} by {} ignored: no new samples since trigger {}",
                        model,
                        event.requestedBy(),
                        stats.lastTriggerId());
                metrics.triggerSuppressed("no_new_data");
            }
            models.put(model, stats);
        }

        private void checkSchedule(long wallClockMs) {
            Instant now = Instant.ofEpochMilli(wallClockMs);
            List<ModelStats> due = new ArrayList<>();
            try (KeyValueIterator<String, ModelStats> it = models.all()) {
                while (it.hasNext()) {
                    ModelStats s = it.next().value;
                    if (s.pendingSamples() > 0
                            && s.pendingSince() != null
                            && Duration.between(s.pendingSince(), now).compareTo(policy.interval())
                                    >= 0) {
                        due.add(s);
                    }
                }
            }
            for (ModelStats s : due) {
                models.put(s.model(), emit(s, TrainingTriggered.Reason.SCHEDULE, now));
            }
        }

        private static ModelStats apply(ModelStats s, ModelEvent e, Instant now) {
            Map<String, Long> counts = new HashMap<>(s.classCounts());
            e.removed().forEach(c -> counts.computeIfPresent(c, (k, n) -> n <= 1 ? null : n - 1));
            e.added().forEach(c -> counts.merge(c, 1L, Long::sum));
            long pending = s.pendingSamples() + (e.newData() ? 1 : 0);
            Instant since = pending == 0 ? null : s.pendingSince() == null ? now : s.pendingSince();
            return new ModelStats(
                    s.model(),
                    Math.max(0, s.totalSamples() + e.totalDelta()),
                    pending,
                    counts,
                    s.triggers(),
                    since,
                    s.lastTriggerAt(),
                    s.lastTriggerId(),
                    s.lastTriggerReason());
        }

        private ModelStats emit(ModelStats s, TrainingTriggered.Reason reason, Instant now) {
            long sequence = s.triggers() + 1;
            String id = s.model() + "-" + sequence;
            var trigger =
                    new TrainingTriggered(
                            id,
                            s.model(),
                            reason,
                            Math.min(s.pendingSamples(), s.totalSamples()),
                            s.totalSamples(),
                            now);
            context.forward(new Record<>(s.model(), trigger, now.toEpochMilli()));
            metrics.trigger(reason.name().toLowerCase(java.util.Locale.ROOT));
            log.info(
                    "training triggered for {}: {} ({} new of {})",
                    s.model(),
                    reason,
                    trigger.newSamples(),
                    trigger.totalSamples());
            return new ModelStats(
                    s.model(),
                    s.totalSamples(),
                    0,
                    s.classCounts(),
                    sequence,
                    null,
                    now,
                    id,
                    reason);
        }
    }
}
