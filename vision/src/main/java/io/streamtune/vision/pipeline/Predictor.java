package io.streamtune.vision.pipeline;

import io.streamtune.vision.decode.ClassificationDecoder;
import io.streamtune.vision.decode.SemanticSegmentationDecoder;
import io.streamtune.vision.decode.StylizationDecoder;
import io.streamtune.vision.decode.YoloDetectionDecoder;
import io.streamtune.vision.decode.YoloSegmentationDecoder;
import io.streamtune.vision.image.RgbImage;
import io.streamtune.vision.model.FloatTensor;
import io.streamtune.vision.model.ModelRunner;
import io.streamtune.vision.model.ModelSpec;
import io.streamtune.vision.preprocess.Preprocessor;
import io.streamtune.vision.preprocess.Preprocessor.PreprocessedBatch;
import io.streamtune.vision.preprocess.ResizeTransform;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Preprocesses images for one model, runs it and decodes its outputs by the model's task — the one
 * path that inference serves and evaluation measures.
 *
 * <p>The three stages are public so callers can time them separately; {@link #predict} chains them.
 * The predictor does not own the runner: whoever opened the runner closes it. Thread-safe when the
 * runner is.
 *
 * <p>Outputs are chosen by name when the usual names exist, otherwise by position: detection reads
 * the first output; classification the first of rank 2 (else the first); semantic segmentation the
 * first of rank 3 or 4; instance segmentation {@code output0} and {@code output1} (else the first
 * two). The embedding summary ({@link Embeddings}) is never one of them.
 */
public final class Predictor {

    private final ModelRunner runner;
    private final ModelSpec spec;
    private final Preprocessor preprocessor;
    private final PredictorOptions options;
    private final YoloDetectionDecoder detections;
    private final YoloSegmentationDecoder instances;

    public Predictor(ModelRunner runner, PredictorOptions options) {
        this.runner = Objects.requireNonNull(runner, "runner");
        this.options = Objects.requireNonNull(options, "options");
        this.spec = runner.spec();
        this.preprocessor = new Preprocessor(spec.preprocess());
        this.detections = new YoloDetectionDecoder(options.detection());
        this.instances = new YoloSegmentationDecoder(options.detection(), options.maskThreshold());
    }

    public ModelSpec spec() {
        return spec;
    }

    /** Stage 1: images to model inputs, each with its transform back to source pixels. */
    public PreprocessedBatch preprocess(List<RgbImage> images) {
        return preprocessor.applyAll(images);
    }

    /** Stage 2: the model. */
    public Map<String, FloatTensor> run(PreprocessedBatch batch) {
        return runner.run(batch.inputs());
    }

    /**
     * Stage 3: raw outputs to one prediction per image, in batch order. The embedding summary
     * output, when the model has one, is not a task output ({@link Embeddings}).
     */
    public List<Prediction> decode(Map<String, FloatTensor> all, PreprocessedBatch batch) {
        Map<String, FloatTensor> outputs = Embeddings.taskOutputs(all);
        List<String> names = Embeddings.taskOutputNames(runner.outputNames());
        List<Prediction> out = new ArrayList<>(batch.transforms().size());
        for (int i = 0; i < batch.transforms().size(); i++) {
            ResizeTransform t = batch.transforms().get(i);
            out.add(
                    switch (spec.task()) {
                        case CLASSIFICATION -> {
                            FloatTensor scores = classScores(outputs, names);
                            float[] p =
                                    ClassificationDecoder.probabilities(
                                            scores.data(),
                                            scores.shape(),
                                            i,
                                            spec.outputProbabilities());
                            yield new Prediction.Classified(
                                    ClassificationDecoder.topK(
                                            p, options.topK(), spec.classNames()),
                                    p);
                        }
                        case DETECTION -> {
                            DetectionOutput o = DetectionOutput.of(outputs, spec);
                            yield new Prediction.Detected(
                                    detections.decode(
                                            o.tensor().data(),
                                            o.tensor().shape(),
                                            i,
                                            spec.classNames(),
                                            t,
                                            o.endToEnd()));
                        }
                        case SEGMENTATION -> {
                            FloatTensor logits = firstOfRank(outputs, names);
                            yield new Prediction.Segmented(
                                    SemanticSegmentationDecoder.decode(
                                            logits.data(),
                                            logits.shape(),
                                            i,
                                            t,
                                            spec.classNames()));
                        }
                        case STYLIZATION -> {
                            FloatTensor image = firstOfRank(outputs, names);
                            yield new Prediction.Stylized(
                                    StylizationDecoder.decode(image.data(), image.shape(), i, t));
                        }
                        case INSTANCE_SEGMENTATION -> {
                            FloatTensor perInstance = outputs.get("masks");
                            if (perInstance != null) {
                                FloatTensor finals = DetectionOutput.of(outputs, spec).tensor();
                                yield new Prediction.InstancesSegmented(
                                        instances.decodePerInstance(
                                                finals.data(),
                                                finals.shape(),
                                                perInstance.data(),
                                                perInstance.shape(),
                                                i,
                                                spec.classNames(),
                                                t));
                            }
                            if (names.size() < 2) {
                                throw new IllegalStateException(
                                        "instance segmentation needs boxes and prototypes, model"
                                                + " has "
                                                + names);
                            }
                            FloatTensor boxes =
                                    outputs.getOrDefault("output0", outputs.get(names.get(0)));
                            FloatTensor protos =
                                    outputs.getOrDefault("output1", outputs.get(names.get(1)));
                            yield new Prediction.InstancesSegmented(
                                    instances.decode(
                                            boxes.data(),
                                            boxes.shape(),
                                            protos.data(),
                                            protos.shape(),
                                            i,
                                            spec.classNames(),
                                            t,
                                            spec.endToEnd()));
                        }
                    });
        }
        return out;
    }

    /** All three stages. */
    public List<Prediction> predict(List<RgbImage> images) {
        PreprocessedBatch batch = preprocess(images);
        return decode(run(batch), batch);
    }

    private static FloatTensor classScores(Map<String, FloatTensor> outputs, List<String> names) {
        for (String name : names) {
            if (outputs.get(name).shape().length == 2) {
                return outputs.get(name);
            }
        }
        return outputs.get(names.get(0));
    }

    private static FloatTensor firstOfRank(Map<String, FloatTensor> outputs, List<String> names) {
        for (String name : names) {
            int rank = outputs.get(name).shape().length;
            if (rank == 3 || rank == 4) {
                return outputs.get(name);
            }
        }
        throw new IllegalStateException("no [N, C, H, W] or [N, H, W] output among " + names);
    }
}
