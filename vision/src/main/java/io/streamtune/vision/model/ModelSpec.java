package io.streamtune.vision.model;

import io.streamtune.vision.preprocess.PreprocessConfig;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to feed a model and read its outputs, as parsed from its ONNX metadata and overrides.
 *
 * @param task what the model predicts
 * @param classNames class names by id; empty when unknown (labels are then class ids as text)
 * @param preprocess input size and pre-processing
 * @param outputProbabilities true when a classification model already applies softmax
 * @param name model name (the file name stem when the metadata has none)
 * @param version model version, 0 when unknown
 * @param parentVersion version it was fine-tuned from, 0 when none or unknown
 * @param stride largest output stride (Ultralytics {@code stride}), 0 when unknown
 * @param metadata the raw {@code metadata_props}
 */
public record ModelSpec(
        Task task,
        List<String> classNames,
        PreprocessConfig preprocess,
        boolean outputProbabilities,
        String name,
        long version,
        long parentVersion,
        int stride,
        Map<String, String> metadata) {

    public ModelSpec {
        Objects.requireNonNull(task, "task");
        classNames = List.copyOf(classNames);
        Objects.requireNonNull(preprocess, "preprocess");
        Objects.requireNonNull(name, "name");
        if (stride < 0) {
            throw new IllegalArgumentException("stride must not be negative: " + stride);
        }
        if (version < 0 || parentVersion < 0) {
            throw new IllegalArgumentException("versions must not be negative: " + version + ", " + parentVersion);
        }
        metadata = Map.copyOf(metadata);
    }

    public int inputWidth() {
        return preprocess.width();
    }

    public int inputHeight() {
        return preprocess.height();
    }
}
