package io.streamtune.contracts;

import java.util.List;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Every topic of the system with its serdes and layout. Names are the defaults; a deployment may
 * put a prefix in front of all of them ({@link Topic#withPrefix}).
 */
public final class Topics {

    private static final long DAY_MS = 24L * 3600 * 1000;

    /**
     * Labelled images from producers in any language, before validation. Key: anything (ignored).
     */
    public static final Topic<String, LabelledImageSubmitted> IMAGES_INTAKE =
            new Topic<>(
                    "images.intake",
                    Serdes.String(),
                    JsonSerde.of(LabelledImageSubmitted.class),
                    TopicSpec.log(3, 7 * DAY_MS));

    /**
     * Validated samples, compacted. Key: {@code <model>/<sha256>}; a null value deletes a sample.
     */
    public static final Topic<String, LabelledImageAccepted> IMAGES_LABELLED =
            new Topic<>(
                    "images.labelled",
                    Serdes.String(),
                    JsonSerde.of(LabelledImageAccepted.class),
                    TopicSpec.compacted(3));

    /** Manual "train now" requests. Key: model. */
    public static final Topic<String, TrainingRequested> TRAINING_REQUESTS =
            new Topic<>(
                    "training.requests",
                    Serdes.String(),
                    JsonSerde.of(TrainingRequested.class),
                    TopicSpec.log(3, 7 * DAY_MS));

    /** Decisions to train. Key: model, so one trainer owns a model through partition assignment. */
    public static final Topic<String, TrainingTriggered> TRAINING_TRIGGERS =
            new Topic<>(
                    "training.triggers",
                    Serdes.String(),
                    JsonSerde.of(TrainingTriggered.class),
                    TopicSpec.log(3, 30 * DAY_MS));

    /** Progress of training runs. Key: model. */
    public static final Topic<String, TrainingProgress> TRAINING_PROGRESS =
            new Topic<>(
                    "training.progress",
                    Serdes.String(),
                    JsonSerde.of(TrainingProgress.class),
                    TopicSpec.log(3, 7 * DAY_MS));

    /** The production version of each model, compacted. Key: model. */
    public static final Topic<String, ModelPublished> MODELS_PUBLISHED =
            new Topic<>(
                    "models.published",
                    Serdes.String(),
                    JsonSerde.of(ModelPublished.class),
                    TopicSpec.compacted(1));

    /** Candidates that did not pass their gate. Key: model. */
    public static final Topic<String, ModelRejected> MODELS_REJECTED =
            new Topic<>(
                    "models.rejected",
                    Serdes.String(),
                    JsonSerde.of(ModelRejected.class),
                    TopicSpec.log(1, 90 * DAY_MS));

    /**
     * ONNX files in chunks, compacted. Key: {@code <model>/<version>/<chunk>}; value: raw bytes.
     */
    public static final Topic<String, byte[]> MODELS_ARTIFACTS =
            new Topic<>(
                    "models.artifacts",
                    Serdes.String(),
                    Serdes.ByteArray(),
                    TopicSpec.compacted(1));

    /**
     * Camera frames. Key: camera id; value: raw JPEG/PNG bytes; headers see {@link FrameHeaders}.
     */
    public static final Topic<String, byte[]> FRAMES =
            new Topic<>("frames", Serdes.String(), Serdes.ByteArray(), TopicSpec.log(6, DAY_MS));

    /** Detection results. Key: camera id. */
    public static final Topic<String, DetectionsEmitted> PREDICTIONS_DETECTIONS =
            new Topic<>(
                    "predictions.detections",
                    Serdes.String(),
                    JsonSerde.of(DetectionsEmitted.class),
                    TopicSpec.log(6, 3 * DAY_MS));

    /** Semantic segmentation results. Key: camera id. */
    public static final Topic<String, SegmentationsEmitted> PREDICTIONS_SEGMENTATIONS =
            new Topic<>(
                    "predictions.segmentations",
                    Serdes.String(),
                    JsonSerde.of(SegmentationsEmitted.class),
                    TopicSpec.log(6, 3 * DAY_MS));

    /**
     * Stylized frames: value the JPEG, key the camera id, the rest in headers ({@link
     * StylizedFrame}).
     */
    public static final Topic<String, byte[]> PREDICTIONS_STYLIZATIONS =
            new Topic<>(
                    "predictions.stylizations",
                    Serdes.String(),
                    Serdes.ByteArray(),
                    TopicSpec.log(6, DAY_MS));

    /** Classification results. Key: camera id. */
    public static final Topic<String, ClassificationsEmitted> PREDICTIONS_CLASSIFICATIONS =
            new Topic<>(
                    "predictions.classifications",
                    Serdes.String(),
                    JsonSerde.of(ClassificationsEmitted.class),
                    TopicSpec.log(6, 3 * DAY_MS));

    /** Model swaps and swap failures of inference instances. Key: instance id. */
    public static final Topic<String, ModelSwapReported> INFERENCE_EVENTS =
            new Topic<>(
                    "inference.events",
                    Serdes.String(),
                    JsonSerde.of(ModelSwapReported.class),
                    TopicSpec.log(1, 30 * DAY_MS));

    /**
     * Versions that passed the offline gate and serve in shadow beside production until the trainer
     * promotes or rejects them, compacted; a tombstone ends the shadow phase. Key: model.
     */
    public static final Topic<String, ModelPublished> MODELS_CANDIDATES =
            new Topic<>(
                    "models.candidates",
                    Serdes.String(),
                    JsonSerde.of(ModelPublished.class),
                    TopicSpec.compacted(1));

    /**
     * Live signals of the versions inference instances serve (production) or run in shadow:
     * cumulative per instance and version. Key: model.
     */
    public static final Topic<String, LiveReport> MODELS_LIVE =
            new Topic<>(
                    "models.live",
                    Serdes.String(),
                    JsonSerde.of(LiveReport.class),
                    TopicSpec.log(1, 7 * DAY_MS));

    /** Detections of a candidate in shadow; never read as production output. Key: camera id. */
    public static final Topic<String, DetectionsEmitted> SHADOW_DETECTIONS =
            new Topic<>(
                    "predictions.shadow.detections",
                    Serdes.String(),
                    JsonSerde.of(DetectionsEmitted.class),
                    TopicSpec.log(3, DAY_MS));

    /** Segmentations of a candidate in shadow. Key: camera id. */
    public static final Topic<String, SegmentationsEmitted> SHADOW_SEGMENTATIONS =
            new Topic<>(
                    "predictions.shadow.segmentations",
                    Serdes.String(),
                    JsonSerde.of(SegmentationsEmitted.class),
                    TopicSpec.log(3, DAY_MS));

    /** Classifications of a candidate in shadow. Key: camera id. */
    public static final Topic<String, ClassificationsEmitted> SHADOW_CLASSIFICATIONS =
            new Topic<>(
                    "predictions.shadow.classifications",
                    Serdes.String(),
                    JsonSerde.of(ClassificationsEmitted.class),
                    TopicSpec.log(3, DAY_MS));

    /**
     * Production frames picked for labelling, with the serving model's predictions as
     * pre-annotations; compacted (a frame requested twice stays one request) and kept 30 days. Key:
     * {@code <model>/<frameId>}.
     */
    public static final Topic<String, LabellingRequested> LABELLING_REQUESTS =
            new Topic<>(
                    "labelling.requests",
                    Serdes.String(),
                    JsonSerde.of(LabellingRequested.class),
                    TopicSpec.compactedFor(3, 30 * DAY_MS));

    /**
     * Each model's live predictions per window against its version's reference ({@link
     * DriftDetected}), drifted or not. Key: model.
     */
    public static final Topic<String, DriftDetected> MODELS_DRIFT =
            new Topic<>(
                    "models.drift",
                    Serdes.String(),
                    JsonSerde.of(DriftDetected.class),
                    TopicSpec.log(1, 30 * DAY_MS));

    private Topics() {}

    /** Every topic, dead-letter topics included. */
    public static List<Topic<?, ?>> all() {
        return List.of(
                IMAGES_INTAKE,
                IMAGES_INTAKE.deadLetters(),
                IMAGES_LABELLED,
                TRAINING_REQUESTS,
                TRAINING_TRIGGERS,
                TRAINING_PROGRESS,
                MODELS_PUBLISHED,
                MODELS_REJECTED,
                MODELS_ARTIFACTS,
                FRAMES,
                FRAMES.deadLetters(),
                PREDICTIONS_DETECTIONS,
                PREDICTIONS_SEGMENTATIONS,
                PREDICTIONS_CLASSIFICATIONS,
                PREDICTIONS_STYLIZATIONS,
                INFERENCE_EVENTS,
                MODELS_CANDIDATES,
                MODELS_LIVE,
                SHADOW_DETECTIONS,
                SHADOW_SEGMENTATIONS,
                SHADOW_CLASSIFICATIONS,
                LABELLING_REQUESTS,
                MODELS_DRIFT);
    }
}
