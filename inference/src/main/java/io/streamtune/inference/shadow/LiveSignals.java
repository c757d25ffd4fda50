package io.streamtune.inference.shadow;

import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.LiveReport;
import io.streamtune.contracts.Task;
import io.streamtune.inference.model.ModelSlot;
import io.streamtune.inference.model.ServingModel;
import io.streamtune.inference.stream.BatchPredictor;
import io.streamtune.inference.stream.Frame;
import io.streamtune.inference.stream.FrameOutcome;
import io.streamtune.inference.stream.FramePipeline;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's live signals. After every delivered batch it counts what the production version
 * did (frames, model failures, confidence) and, on a share of batches, hands the frames and
 * production's outcomes to the shadow worker: one low-priority thread with room for one waiting
 * batch, so a busy worker drops shadow work (counted) and production never waits. The worker runs
 * the candidate from the shadow slot, compares it with production frame by frame ({@link
 * Agreement}), and sends the candidate's predictions to the shadow topics, never the production
 * ones. A reporter sends cumulative {@link LiveReport}s per version and role to {@code
 * models.live}.
 */
public final class LiveSignals implements FramePipeline.Observer, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LiveSignals.class);

    /** DLQ reasons that are the model's fault, not the frame's. */
    public static final Set<String> MODEL_FAILURES =
            Set.of(BatchPredictor.MODEL_FAILED, BatchPredictor.POSTPROCESS_FAILED);

    /**
     * Settings.
     *
     * @param shadowShare share of batches a candidate runs on, 0..1 (0: no shadow serving)
     * @param reportInterval how often live reports are sent
     */
    public record Settings(double shadowShare, Duration reportInterval) {
        public Settings {
            if (!(shadowShare >= 0 && shadowShare <= 1)) {
                throw new IllegalArgumentException("shadowShare must be in [0, 1]");
            }
        }
    }

    /** Topic names, prefix applied. */
    public record Topics(
            String live, String classifications, String detections, String segmentations) {
        String shadow(Task task) {
            return switch (task) {
                case CLASSIFICATION -> classifications;
                case DETECTION, INSTANCE_SEGMENTATION -> detections;
                case SEGMENTATION -> segmentations;
                case STYLIZATION ->
                        throw new IllegalStateException(
                                "stylization models are promoted by the gate, never served in"
                                        + " shadow");
            };
        }
    }

    private final String instance;
    private final String model;
    private final ModelSlot shadowSlot;
    private final BatchPredictor shadowPredictor;
    private final Settings settings;
    private final Producer<byte[], byte[]> producer;
    private final Topics topics;
    private final Clock clock;
    private final io.streamtune.inference.InferenceMetrics metrics;
    private final ThreadPoolExecutor shadowWorker;
    private final ScheduledExecutorService reporter;
    private final long[] productionSent = {-1};
    private final long[] shadowSent = {-1};
    private volatile LiveStats production;
    private volatile LiveStats shadow;
    private double credit;
    private volatile boolean shadowFailureLogged;
    private volatile Disagreements disagreements = (production, candidate, agreement) -> {};

    /** Who hears how much production and the candidate agreed on each shadowed frame. */
    public interface Disagreements {
        /** Called on the shadow worker for every frame both predicted. */
        void compared(
                FrameOutcome.Predicted production,
                FrameOutcome.Predicted candidate,
                double agreement);
    }

    /** Sets who hears each shadowed frame's agreement (the labelling sampler). */
    public void onCompared(Disagreements listener) {
        this.disagreements = Objects.requireNonNull(listener, "listener");
    }

    /**
     * @param shadowSlot the candidate in shadow, null to run none
     * @param shadowPredictor the predictor for shadow runs (its own metrics, so shadow work does
     *     not show as production's)
     */
    public LiveSignals(
            String instance,
            String model,
            ModelSlot shadowSlot,
            BatchPredictor shadowPredictor,
            Settings settings,
            Producer<byte[], byte[]> producer,
            Topics topics,
            io.streamtune.inference.InferenceMetrics metrics,
            Clock clock) {
        this.metrics = Objects.requireNonNull(metrics);
        this.instance = Objects.requireNonNull(instance);
        this.model = Objects.requireNonNull(model);
        this.shadowSlot = shadowSlot;
        this.shadowPredictor = shadowPredictor;
        this.settings = Objects.requireNonNull(settings);
        this.producer = Objects.requireNonNull(producer);
        this.topics = Objects.requireNonNull(topics);
        this.clock = Objects.requireNonNull(clock);
        this.shadowWorker =
                new ThreadPoolExecutor(
                        1,
                        1,
                        0,
                        TimeUnit.MILLISECONDS,
                        new ArrayBlockingQueue<>(1),
                        r -> {
                            Thread t = new Thread(r, "shadow-" + model);
                            t.setDaemon(true);
                            t.setPriority(Thread.MIN_PRIORITY);
                            return t;
                        },
                        (r, executor) -> {
                            LiveStats s = shadow;
                            if (s != null) {
                                s.skipped();
                            }
                        });
        this.reporter =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "live-reports-" + model);
                            t.setDaemon(true);
                            return t;
                        });
        long every = Math.max(100, settings.reportInterval().toMillis());
        reporter.scheduleWithFixedDelay(this::report, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void delivered(ServingModel served, List<Frame> frames, List<FrameOutcome> outcomes) {
        LiveStats p = production;
        if (p == null || p.version() != served.version()) {
            p =
                    new LiveStats(
                            model,
                            served.version(),
                            LiveReport.Role.PRODUCTION,
                            null,
                            clock.instant());
            production = p;
        }
        for (FrameOutcome o : outcomes) {
            if (o instanceof FrameOutcome.Predicted pr) {
                p.frame(false, Agreement.confidence(pr.value()));
            } else if (o instanceof FrameOutcome.Rejected r
                    && MODEL_FAILURES.contains(r.reason())) {
                p.frame(true, Double.NaN);
            }
        }
        if (shadowSlot == null || settings.shadowShare() == 0 || shadowSlot.peek().isEmpty()) {
            return;
        }
        credit += settings.shadowShare();
        if (credit < 1) {
            return;
        }
        credit -= 1;
        int productionVersion = served.version();
        List<Frame> batch = List.copyOf(frames);
        List<FrameOutcome> prod = List.copyOf(outcomes);
        shadowWorker.execute(() -> runShadow(productionVersion, batch, prod));
    }

    private void runShadow(int productionVersion, List<Frame> frames, List<FrameOutcome> prod) {
        ServingModel candidate = shadowSlot.acquire();
        if (candidate == null) {
            return;
        }
        try {
            if (candidate.version() == productionVersion) {
                return; // promoted: nothing to shadow
            }
            LiveStats s = shadow;
            if (s == null
                    || s.version() != candidate.version()
                    || !Objects.equals(s.productionVersion(), productionVersion)) {
                s =
                        new LiveStats(
                                model,
                                candidate.version(),
                                LiveReport.Role.SHADOW,
                                productionVersion,
                                clock.instant());
                shadow = s;
                log.info(
                        "running {} v{} in shadow beside v{} on {}% of batches",
                        model,
                        candidate.version(),
                        productionVersion,
                        Math.round(settings.shadowShare() * 100));
            }
            List<FrameOutcome> out = shadowPredictor.predict(candidate, frames);
            for (int i = 0; i < frames.size(); i++) {
                FrameOutcome p = prod.get(i);
                FrameOutcome c = out.get(i);
                boolean productionFailed =
                        p instanceof FrameOutcome.Rejected r && MODEL_FAILURES.contains(r.reason());
                boolean candidateFailed =
                        c instanceof FrameOutcome.Rejected r && MODEL_FAILURES.contains(r.reason());
                if ((p instanceof FrameOutcome.Rejected && !productionFailed)
                        || (c instanceof FrameOutcome.Rejected && !candidateFailed)) {
                    continue; // the frame's fault (corrupt, too large), not a model's
                }
                s.frame(
                        candidateFailed,
                        c instanceof FrameOutcome.Predicted cp
                                ? Agreement.confidence(cp.value())
                                : Double.NaN);
                if (productionFailed) {
                    s.productionFailed();
                }
                if (p instanceof FrameOutcome.Predicted pp
                        && c instanceof FrameOutcome.Predicted cp) {
                    double agreement;
                    try {
                        agreement =
                                pp.task() == cp.task() ? Agreement.of(pp.value(), cp.value()) : 0;
                    } catch (RuntimeException e) {
                        agreement = 0;
                    }
                    s.compared(agreement, Agreement.confidence(pp.value()));
                    try {
                        disagreements.compared(pp, cp, agreement);
                    } catch (RuntimeException e) {
                        log.warn("shadow agreement listener failed: {}", e.toString());
                    }
                }
                if (c instanceof FrameOutcome.Predicted cp) {
                    producer.send(
                            new ProducerRecord<>(
                                    topics.shadow(cp.task()),
                                    null,
                                    frames.get(i).record().key(),
                                    JsonSerde.MAPPER.writeValueAsBytes(cp.value())),
                            (md, e) -> {
                                if (e != null && !shadowFailureLogged) {
                                    shadowFailureLogged = true;
                                    log.warn("shadow predictions not delivered: {}", e.toString());
                                }
                            });
                }
            }
        } catch (Exception e) {
            if (!shadowFailureLogged) {
                shadowFailureLogged = true;
                log.warn("shadow run of {} failed: {}", candidate, e.toString());
            }
        } finally {
            candidate.release();
        }
    }

    /** Sends the reports that have news; also called on close. */
    void report() {
        try {
            LiveStats p = production;
            if (p != null && p.hasNews(productionSent)) {
                LiveReport r = p.report(instance, clock.instant());
                metrics.liveConfidence(r.meanConfidence());
                send(r);
            }
            LiveStats s = shadow;
            boolean shadowing = shadowSlot != null && shadowSlot.peek().isPresent();
            if (s != null && s.hasNews(shadowSent)) {
                LiveReport r = s.report(instance, clock.instant());
                metrics.shadow(
                        r.version(),
                        r.frames(),
                        r.compared() == 0 ? Double.NaN : r.agreementSum() / r.compared(),
                        r.failureRate(),
                        r.skipped());
                send(r);
            } else if (!shadowing) {
                metrics.shadow(0, 0, Double.NaN, Double.NaN, 0);
            }
        } catch (RuntimeException e) {
            log.warn("live report not sent: {}", e.toString());
        }
    }

    private void send(LiveReport r) {
        producer.send(
                new ProducerRecord<>(
                        topics.live(),
                        model.getBytes(StandardCharsets.UTF_8),
                        io.streamtune.contracts.Topics.MODELS_LIVE.bytes(r)),
                (md, e) -> {
                    if (e != null) {
                        log.warn(
                                "live report not delivered to {}: {}", topics.live(), e.toString());
                    }
                });
    }

    @Override
    public void close() throws InterruptedException {
        shadowWorker.shutdown();
        shadowWorker.awaitTermination(10, TimeUnit.SECONDS);
        reporter.shutdown();
        reporter.awaitTermination(5, TimeUnit.SECONDS);
        productionSent[0] = -1;
        shadowSent[0] = -1;
        report();
        producer.flush();
    }
}
