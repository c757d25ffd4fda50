package io.streamtune.inference.labelling;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamtune.contracts.ClassificationsEmitted;
import io.streamtune.contracts.DetectionsEmitted;
import io.streamtune.contracts.FrameRef;
import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.LabellingRequested;
import io.streamtune.contracts.SegmentationsEmitted;
import io.streamtune.contracts.Task;
import io.streamtune.contracts.Topic;
import io.streamtune.inference.model.ServingModel;
import io.streamtune.inference.stream.Frame;
import io.streamtune.inference.stream.FrameOutcome;
import io.streamtune.inference.stream.FramePipeline;
import io.streamtune.runtime.LogThrottle;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the production frames the {@link LabellingSampler} picks to {@code labelling.requests},
 * each with the serving model's prediction as its pre-annotation. Runs after a batch is delivered
 * (it never delays or fails a frame's prediction); a request Kafka refuses is logged and counted,
 * not retried — a sample missed is not data lost.
 */
public final class LabellingRequests
        implements FramePipeline.Observer,
                io.streamtune.inference.shadow.LiveSignals.Disagreements {

    private static final Logger log = LoggerFactory.getLogger(LabellingRequests.class);
    private static final LogThrottle LOG_THROTTLE =
            new LogThrottle(java.time.Duration.ofSeconds(10), 5);

    private final LabellingSampler sampler;
    private final Producer<byte[], byte[]> producer;
    private final Topic<String, LabellingRequested> topic;
    private final Clock clock;
    private final Map<LabellingSampler.Reason, Counter> requested =
            new EnumMap<>(LabellingSampler.Reason.class);
    private final Counter failed;

    public LabellingRequests(
            LabellingSampler sampler,
            Producer<byte[], byte[]> producer,
            Topic<String, LabellingRequested> topic,
            Clock clock,
            MeterRegistry registry) {
        this(sampler, producer, topic, clock, registry, "");
    }

    /** As above, the meters tagged with {@code model} (several models in one instance). */
    public LabellingRequests(
            LabellingSampler sampler,
            Producer<byte[], byte[]> producer,
            Topic<String, LabellingRequested> topic,
            Clock clock,
            MeterRegistry registry,
            String model) {
        this.sampler = sampler;
        this.producer = producer;
        this.topic = topic;
        this.clock = clock;
        for (LabellingSampler.Reason r : LabellingSampler.Reason.values()) {
            requested.put(
                    r,
                    Counter.builder("inference.labelling.requests")
                            .description("Frames sent to labelling.requests, by why")
                            .tag("reason", r.tag())
                            .tag("model", model)
                            .register(registry));
        }
        failed =
                Counter.builder("inference.labelling.requests.failed")
                        .description("Labelling requests Kafka did not take")
                        .tag("model", model)
                        .register(registry);
        held(
                "capped",
                "Frames a strategy picked but a cap held back",
                LabellingSampler::capped,
                registry,
                model);
        held(
                "paused",
                "Frames a strategy picked during their camera's pause after a request",
                LabellingSampler::paused,
                registry,
                model);
        held(
                "duplicates",
                "Frames a strategy picked that were near-duplicates of a request",
                LabellingSampler::duplicates,
                registry,
                model);
    }

    private void held(
            String what,
            String description,
            java.util.function.ToDoubleFunction<LabellingSampler> count,
            MeterRegistry registry,
            String model) {
        io.micrometer.core.instrument.FunctionCounter.builder(
                        "inference.labelling." + what, sampler, count)
                .description(description)
                .tag("model", model)
                .register(registry);
    }

    @Override
    public void delivered(ServingModel model, List<Frame> frames, List<FrameOutcome> outcomes) {
        for (FrameOutcome o : outcomes) {
            if (!(o instanceof FrameOutcome.Predicted p)
                    || p.value() instanceof io.streamtune.contracts.StylizedFrame) {
                // a stylized frame has nothing a labeller could correct
                continue;
            }
            guarded(p.frame(), () -> offer(p));
        }
    }

    /** An observer must not throw: a bad request costs the request, not the pipeline. */
    private void guarded(Frame frame, Runnable request) {
        try {
            request.run();
        } catch (RuntimeException e) {
            failed.increment();
            long leftOut = LOG_THROTTLE.admit("build");
            if (leftOut >= 0) {
                log.warn(
                        "labelling request for frame {} not made: {}{}",
                        frame.frameId(),
                        e.toString(),
                        LogThrottle.note(leftOut));
            }
        }
    }

    /**
     * A frame production and the candidate in shadow both predicted: requested, with production's
     * prediction as pre-annotation, when they disagree enough ({@link
     * LabellingSampler#decideDisagreement}).
     */
    @Override
    public void compared(
            FrameOutcome.Predicted production, FrameOutcome.Predicted candidate, double agreement) {
        if (production.value() instanceof io.streamtune.contracts.StylizedFrame) {
            return;
        }
        Frame frame = production.frame();
        guarded(
                frame,
                () ->
                        send(
                                production,
                                sampler.decideDisagreement(
                                        frame.frameId(), frame.cameraId(), agreement)));
    }

    private void offer(FrameOutcome.Predicted p) {
        Frame frame = p.frame();
        LabellingSampler.Prediction seen = prediction(p.task(), p.value());
        send(
                p,
                sampler.decide(
                        frame.frameId(),
                        frame.cameraId(),
                        new LabellingSampler.Prediction(
                                seen.scores(),
                                seen.margins(),
                                seen.classes(),
                                p.novelty(),
                                frameRef(p.value()).embedding())));
    }

    private void send(FrameOutcome.Predicted p, Optional<LabellingSampler.Pick> pick) {
        Frame frame = p.frame();
        if (pick.isEmpty()) {
            return;
        }
        LabellingRequested request =
                new LabellingRequested(
                        frameRef(p.value()),
                        p.task(),
                        frame.record().value(),
                        pick.get().reason().tag(),
                        pick.get().score(),
                        JsonSerde.MAPPER.valueToTree(p.value()),
                        clock.instant());
        producer.send(
                topic.record(request.key(), request),
                (metadata, error) -> {
                    if (error != null) {
                        failed.increment();
                        long leftOut = LOG_THROTTLE.admit("send");
                        if (leftOut >= 0) {
                            log.warn(
                                    "labelling request for frame {} not delivered to {}: {}{}",
                                    frame.frameId(),
                                    topic.name(),
                                    error.toString(),
                                    LogThrottle.note(leftOut));
                        }
                    } else {
                        requested.get(pick.get().reason()).increment();
                    }
                });
    }

    /** What the sampler needs from an emitted prediction. */
    static LabellingSampler.Prediction prediction(Task task, Object value) {
        if (value instanceof ClassificationsEmitted c) {
            return new LabellingSampler.Prediction(
                    c.top().stream().map(ClassificationsEmitted.ClassScore::probability).toList(),
                    true,
                    c.top().isEmpty() ? List.of() : List.of(c.top().get(0).label()));
        }
        if (value instanceof DetectionsEmitted d) {
            return new LabellingSampler.Prediction(
                    d.detections().stream().map(DetectionsEmitted.Detection::score).toList(),
                    false,
                    d.detections().stream()
                            .map(DetectionsEmitted.Detection::label)
                            .distinct()
                            .toList());
        }
        if (value instanceof SegmentationsEmitted s) {
            return new LabellingSampler.Prediction(
                    List.of(),
                    false,
                    s.classAreas().stream().map(SegmentationsEmitted.ClassArea::label).toList());
        }
        throw new IllegalArgumentException(
                "no labelling sampling for " + task + " value " + value.getClass());
    }

    private static FrameRef frameRef(Object value) {
        if (value instanceof ClassificationsEmitted c) {
            return c.frame();
        }
        if (value instanceof DetectionsEmitted d) {
            return d.frame();
        }
        if (value instanceof SegmentationsEmitted s) {
            return s.frame();
        }
        throw new IllegalArgumentException("unknown prediction " + value.getClass());
    }
}
