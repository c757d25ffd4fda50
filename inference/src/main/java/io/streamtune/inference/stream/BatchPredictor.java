package io.streamtune.inference.stream;

import io.streamtune.contracts.FrameRef;
import io.streamtune.contracts.Task;
import io.streamtune.inference.InferenceMetrics;
import io.streamtune.inference.InferenceMetrics.Stage;
import io.streamtune.inference.model.ServingModel;
import io.streamtune.vision.decode.ClassificationDecoder;
import io.streamtune.vision.decode.DetectionOptions;
import io.streamtune.vision.decode.InstanceMask;
import io.streamtune.vision.decode.SemanticSegmentationDecoder;
import io.streamtune.vision.decode.StylizationDecoder;
import io.streamtune.vision.decode.YoloDetectionDecoder;
import io.streamtune.vision.decode.YoloSegmentationDecoder;
import io.streamtune.vision.image.ImageDecoder;
import io.streamtune.vision.image.ImageRejectedException;
import io.streamtune.vision.image.Jpeg;
import io.streamtune.vision.image.RgbImage;
import io.streamtune.vision.model.FloatTensor;
import io.streamtune.vision.model.ModelSpec;
import io.streamtune.vision.pipeline.DetectionOutput;
import io.streamtune.vision.pipeline.Embeddings;
import io.streamtune.vision.preprocess.ResizeTransform;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * Runs one batch of frames through a serving model: decode, preprocess, one model run, decode the
 * outputs per task. A frame that fails on its own (bad image, odd output) becomes a rejection while
 * the rest of the batch completes; a failing model run rejects the frames it carried. No Kafka
 * here: the pipeline produces what this returns.
 */
public final class BatchPredictor {

    /** DLQ reason: bytes that do not decode as a complete JPEG/PNG. */
    public static final String CORRUPT_IMAGE = "corrupt_image";

    /** DLQ reason: an image format other than JPEG/PNG. */
    public static final String UNSUPPORTED_IMAGE = "unsupported_image";

    /** DLQ reason: more bytes or pixels than the configured limits. */
    public static final String OVERSIZED_IMAGE = "oversized_image";

    /** DLQ reason: the model run failed. */
    public static final String MODEL_FAILED = "model_failed";

    /** DLQ reason: the model's output could not be decoded for this frame. */
    public static final String POSTPROCESS_FAILED = "postprocess_failed";

    private final ImageDecoder images;
    private final YoloDetectionDecoder detections;
    private final YoloSegmentationDecoder instances;
    private final int topK;
    private final InferenceMetrics metrics;
    private final Clock clock;
    private final ExecutorService frameWorkers;
    private final int stylizationSize;

    /** A predictor that decodes and preprocesses on the calling thread. */
    public BatchPredictor(
            ImageDecoder images,
            DetectionOptions detection,
            int topK,
            InferenceMetrics metrics,
            Clock clock) {
        this(images, detection, topK, metrics, clock, null);
    }

    /**
     * @param frameWorkers threads that decode and preprocess the frames of a batch in parallel, or
     *     null to do it on the calling thread
     */
    public BatchPredictor(
            ImageDecoder images,
            DetectionOptions detection,
            int topK,
            InferenceMetrics metrics,
            Clock clock,
            ExecutorService frameWorkers) {
        this(images, detection, topK, metrics, clock, frameWorkers, 0);
    }

    /**
     * @param stylizationSize longest side of emitted stylized frames, 0 for the model's resolution
     */
    public BatchPredictor(
            ImageDecoder images,
            DetectionOptions detection,
            int topK,
            InferenceMetrics metrics,
            Clock clock,
            ExecutorService frameWorkers,
            int stylizationSize) {
        this.stylizationSize = stylizationSize;
        this.frameWorkers = frameWorkers;
        this.images = Objects.requireNonNull(images, "images");
        this.detections = new YoloDetectionDecoder(detection);
        this.instances = new YoloSegmentationDecoder(detection);
        this.topK = topK;
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * One outcome per frame, in frame order: {@link #prepare}, {@link #run} and {@link #complete}
     * in a row.
     */
    public List<FrameOutcome> predict(ServingModel model, List<Frame> frames) {
        Prepared prepared = prepare(model, frames);
        return complete(prepared, run(prepared));
    }

    /**
     * A batch between its stages: frames decoded and preprocessed for one model version, the
     * rejections so far, and (after {@link #run}) the model's outputs.
     */
    public static final class Prepared {
        private final ServingModel model;
        private final List<Frame> frames;
        private final FrameOutcome[] outcomes;
        private final List<Integer> valid;
        private final List<int[]> sizes;
        private final float[][] inputs;
        private final List<ResizeTransform> transforms;

        private Prepared(
                ServingModel model,
                List<Frame> frames,
                FrameOutcome[] outcomes,
                List<Integer> valid,
                List<int[]> sizes,
                float[][] inputs,
                List<ResizeTransform> transforms) {
            this.model = model;
            this.frames = frames;
            this.outcomes = outcomes;
            this.valid = valid;
            this.sizes = sizes;
            this.inputs = inputs;
            this.transforms = transforms;
        }

        public ServingModel model() {
            return model;
        }

        public List<Frame> frames() {
            return frames;
        }
    }

    /** The model's outputs for a prepared batch, or why the run failed. */
    public record Ran(Map<String, FloatTensor> outputs, RuntimeException failure) {}

    /**
     * Decodes and preprocesses the frames for {@code model}; undecodable frames become rejections.
     */
    public Prepared prepare(ServingModel model, List<Frame> frames) {
        FrameOutcome[] outcomes = new FrameOutcome[frames.size()];
        float[][] prepared = new float[frames.size()][];
        ResizeTransform[] resized = new ResizeTransform[frames.size()];
        int[][] sourceSizes = new int[frames.size()][];
        // JPEGs may decode at a reduced scale (never below what the model's resize maps them to):
        // the costliest stage of a detector's frame at a quarter of the work. The trainer decodes
        // the same way (Preprocessor.decode), so what is measured is what is served.
        // Each frame is decoded and preprocessed in one go and its decoded pixels dropped at once:
        // however large the batch, at most one decoded image per worker is held (each within the
        // decoder's per-image budget), not a whole batch of them.
        java.util.concurrent.atomic.AtomicLong decodeNanos =
                new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong preprocessNanos =
                new java.util.concurrent.atomic.AtomicLong();
        long t0 = System.nanoTime();
        forEach(
                frames.size(),
                i -> {
                    Frame f = frames.get(i);
                    long d0 = System.nanoTime();
                    ImageDecoder.Decoded decoded;
                    try {
                        byte[] value = f.record().value();
                        if (value == null) {
                            throw new ImageRejectedException(
                                    ImageRejectedException.Reason.EMPTY, "frame has no value");
                        }
                        decoded = model.preprocessor().decode(images, value);
                    } catch (ImageRejectedException e) {
                        outcomes[i] =
                                new FrameOutcome.Rejected(
                                        f,
                                        reasonOf(e.reason()),
                                        e.reason().tag() + ": " + e.getMessage());
                        return;
                    } catch (RuntimeException | StackOverflowError e) {
                        // a decoder tripped over bytes it did not foresee: this frame's fault
                        outcomes[i] =
                                new FrameOutcome.Rejected(f, CORRUPT_IMAGE, "decoder failed: " + e);
                        return;
                    }
                    long d1 = System.nanoTime();
                    decodeNanos.addAndGet(d1 - d0);
                    try {
                        float[] input = new float[model.preprocessor().inputSize()];
                        resized[i] = model.preprocessor().apply(decoded, input, 0);
                        prepared[i] = input;
                        sourceSizes[i] =
                                new int[] {decoded.source().width(), decoded.source().height()};
                    } catch (RuntimeException e) {
                        outcomes[i] =
                                new FrameOutcome.Rejected(
                                        f, CORRUPT_IMAGE, "preprocessing failed: " + e);
                    }
                    preprocessNanos.addAndGet(System.nanoTime() - d1);
                });
        // the stage's wall time, split between decoding and preprocessing by their summed times
        long wall = System.nanoTime() - t0;
        long dec = decodeNanos.get(), pre = preprocessNanos.get();
        long decodeWall = dec + pre == 0 ? wall : (long) ((double) wall * dec / (dec + pre));
        metrics.stage(Stage.DECODE, decodeWall);
        // frames whose decoding or preprocessing failed leave the batch; the rest run
        List<Integer> valid = new ArrayList<>(frames.size());
        for (int i = 0; i < frames.size(); i++) {
            if (prepared[i] != null) {
                valid.add(i);
            }
        }
        float[][] inputs = new float[valid.size()][];
        ResizeTransform[] transforms = new ResizeTransform[valid.size()];
        List<int[]> sizes = new ArrayList<>(valid.size());
        for (int k = 0; k < valid.size(); k++) {
            inputs[k] = prepared[valid.get(k)];
            transforms[k] = resized[valid.get(k)];
            sizes.add(sourceSizes[valid.get(k)]);
        }
        if (!valid.isEmpty()) {
            metrics.stage(Stage.PREPROCESS, wall - decodeWall);
        }
        return new Prepared(model, frames, outcomes, valid, sizes, inputs, List.of(transforms));
    }

    /** Runs {@code task(0..n-1)} on the frame workers when there are any, else on this thread. */
    private void forEach(int n, IntConsumer task) {
        if (frameWorkers == null || n < 2) {
            for (int i = 0; i < n; i++) {
                task.accept(i);
            }
            return;
        }
        List<Future<?>> futures = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int index = i;
            futures.add(frameWorkers.submit(() -> task.accept(index)));
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while preparing a batch", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r
                        ? r
                        : new IllegalStateException(e.getCause());
            }
        }
    }

    /**
     * Runs the model on a prepared batch; thread-safe, so it may run beside the next batch's
     * preparation.
     */
    public Ran run(Prepared prepared) {
        if (prepared.valid.isEmpty()) {
            return new Ran(Map.of(), null);
        }
        long t0 = System.nanoTime();
        try {
            return new Ran(prepared.model.runner().run(prepared.inputs), null);
        } catch (RuntimeException e) {
            return new Ran(null, e);
        } finally {
            metrics.stage(Stage.MODEL, System.nanoTime() - t0);
            metrics.batch(prepared.valid.size());
        }
    }

    /** Decodes the outputs per task into one outcome per frame, in frame order. */
    public List<FrameOutcome> complete(Prepared prepared, Ran ran) {
        FrameOutcome[] outcomes = prepared.outcomes.clone();
        List<Frame> frames = prepared.frames;
        ServingModel model = prepared.model;
        if (ran.failure() != null) {
            for (int i : prepared.valid) {
                outcomes[i] =
                        new FrameOutcome.Rejected(
                                frames.get(i),
                                MODEL_FAILED,
                                model + ": " + ran.failure().getMessage());
            }
            return List.of(outcomes);
        }
        long t0 = System.nanoTime();
        Instant now = clock.instant();
        for (int j = 0; j < prepared.valid.size(); j++) {
            int i = prepared.valid.get(j);
            Frame f = frames.get(i);
            int[] size = prepared.sizes.get(j);
            try {
                FrameRef ref =
                        new FrameRef(
                                f.frameId(),
                                f.cameraId(),
                                f.capturedAt(),
                                size[0],
                                size[1],
                                model.model(),
                                model.version(),
                                Embeddings.of(ran.outputs(), j));
                double novelty =
                        model.embeddingReference() == null
                                ? Double.NaN
                                : model.embeddingReference().novelty(ref.embedding());
                outcomes[i] =
                        novel(
                                decode(
                                        model.spec(),
                                        Embeddings.taskOutputs(ran.outputs()),
                                        j,
                                        prepared.transforms.get(j),
                                        ref,
                                        f,
                                        now),
                                novelty);
            } catch (RuntimeException e) {
                outcomes[i] =
                        new FrameOutcome.Rejected(
                                f, POSTPROCESS_FAILED, model + ": " + e.getMessage());
            }
        }
        if (!prepared.valid.isEmpty()) {
            metrics.stage(Stage.POSTPROCESS, System.nanoTime() - t0);
        }
        return List.of(outcomes);
    }

    /** The outcome with the frame's novelty, when it is a prediction. */
    private static FrameOutcome novel(FrameOutcome o, double novelty) {
        return o instanceof FrameOutcome.Predicted p && !Double.isNaN(novelty)
                ? new FrameOutcome.Predicted(p.frame(), p.task(), p.value(), novelty)
                : o;
    }

    private FrameOutcome decode(
            ModelSpec spec,
            Map<String, FloatTensor> outputs,
            int index,
            ResizeTransform transform,
            FrameRef ref,
            Frame frame,
            Instant now) {
        Iterator<FloatTensor> it = outputs.values().iterator();
        FloatTensor first = it.next();
        return switch (spec.task()) {
            case DETECTION -> {
                DetectionOutput o = DetectionOutput.of(outputs, spec);
                yield new FrameOutcome.Predicted(
                        frame,
                        Task.DETECTION,
                        Predictions.detections(
                                ref,
                                detections.decode(
                                        o.tensor().data(),
                                        o.tensor().shape(),
                                        index,
                                        spec.classNames(),
                                        transform,
                                        o.endToEnd()),
                                now));
            }
            case INSTANCE_SEGMENTATION -> {
                FloatTensor perInstance = outputs.get("masks");
                if (perInstance != null) {
                    // torchvision's Mask R-CNN: one probability mask per detection
                    FloatTensor finals = DetectionOutput.of(outputs, spec).tensor();
                    yield new FrameOutcome.Predicted(
                            frame,
                            Task.DETECTION,
                            Predictions.instances(
                                    ref,
                                    instances.decodePerInstance(
                                            finals.data(),
                                            finals.shape(),
                                            perInstance.data(),
                                            perInstance.shape(),
                                            index,
                                            spec.classNames(),
                                            transform),
                                    now));
                }
                if (!it.hasNext()) {
                    throw new IllegalStateException(
                            "instance segmentation model has no prototype output");
                }
                FloatTensor protos = it.next();
                List<InstanceMask> masks =
                        instances.decode(
                                first.data(),
                                first.shape(),
                                protos.data(),
                                protos.shape(),
                                index,
                                spec.classNames(),
                                transform,
                                spec.endToEnd());
                yield new FrameOutcome.Predicted(
                        frame, Task.DETECTION, Predictions.instances(ref, masks, now));
            }
            case SEGMENTATION ->
                    new FrameOutcome.Predicted(
                            frame,
                            Task.SEGMENTATION,
                            Predictions.segmentation(
                                    ref,
                                    SemanticSegmentationDecoder.decode(
                                            first.data(),
                                            first.shape(),
                                            index,
                                            transform,
                                            spec.classNames()),
                                    now));
            case STYLIZATION ->
                    new FrameOutcome.Predicted(
                            frame,
                            Task.STYLIZATION,
                            stylized(
                                    ref,
                                    StylizationDecoder.decode(
                                            first.data(), first.shape(), index, transform)));
            case CLASSIFICATION ->
                    new FrameOutcome.Predicted(
                            frame,
                            Task.CLASSIFICATION,
                            Predictions.classification(
                                    ref,
                                    ClassificationDecoder.decode(
                                            first.data(),
                                            first.shape(),
                                            index,
                                            spec.outputProbabilities(),
                                            topK,
                                            spec.classNames()),
                                    now));
        };
    }

    /**
     * The stylized frame at {@code stylizationSize} (longest side; 0 = the model's own), as JPEG.
     */
    private io.streamtune.contracts.StylizedFrame stylized(FrameRef ref, RgbImage image) {
        RgbImage out = image;
        int longest = Math.max(image.width(), image.height());
        if (stylizationSize > 0 && stylizationSize != longest) {
            double f = (double) stylizationSize / longest;
            out =
                    io.streamtune.vision.preprocess.ImageOps.resize(
                            image,
                            Math.max(1, (int) Math.round(image.width() * f)),
                            Math.max(1, (int) Math.round(image.height() * f)));
        }
        return new io.streamtune.contracts.StylizedFrame(
                ref, Jpeg.encode(out, 0.9f), out.width(), out.height());
    }

    static String reasonOf(ImageRejectedException.Reason reason) {
        return switch (reason) {
            case UNSUPPORTED_FORMAT -> UNSUPPORTED_IMAGE;
            case TOO_LARGE_BYTES, TOO_MANY_PIXELS -> OVERSIZED_IMAGE;
            default -> CORRUPT_IMAGE;
        };
    }
}
