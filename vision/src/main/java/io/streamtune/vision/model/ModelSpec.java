package io.streamtune.vision.model;

import io.streamtune.contracts.ModelMetadataKeys;
import io.streamtune.contracts.Task;
import io.streamtune.vision.preprocess.PreprocessConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
            throw new IllegalArgumentException(
                    "versions must not be negative: " + version + ", " + parentVersion);
        }
        metadata = Map.copyOf(metadata);
    }

    /**
     * The streamtune {@code metadata_props} that describe this spec ({@link ModelMetadataKeys}),
     * for writing into an exported model; parsing them back with {@link ModelSpecParser} gives this
     * spec's task, classes, pre-processing, flags, name and versions again. Keys it does not cover
     * (metrics, creation time) are the caller's to add.
     */
    public Map<String, String> toMetadata() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(ModelMetadataKeys.TASK, task.wireName());
        out.put(ModelMetadataKeys.CLASSES, Literals.toJsonStringList(classNames));
        out.put(ModelMetadataKeys.INPUT_WIDTH, Integer.toString(preprocess.width()));
        out.put(ModelMetadataKeys.INPUT_HEIGHT, Integer.toString(preprocess.height()));
        out.put(ModelMetadataKeys.RESIZE, preprocess.resize().name().toLowerCase(Locale.ROOT));
        out.put(ModelMetadataKeys.PAD_VALUE, Integer.toString(preprocess.padValue()));
        out.put(ModelMetadataKeys.MEAN, csv(preprocess.normalization().mean()));
        out.put(ModelMetadataKeys.STD, csv(preprocess.normalization().std()));
        out.put(ModelMetadataKeys.CHANNEL_ORDER, preprocess.channels().name());
        out.put(ModelMetadataKeys.OUTPUT_PROBABILITIES, Boolean.toString(outputProbabilities));
        out.put(ModelMetadataKeys.MODEL_NAME, name);
        out.put(ModelMetadataKeys.MODEL_VERSION, Long.toString(version));
        if (parentVersion > 0) {
            out.put(ModelMetadataKeys.PARENT_VERSION, Long.toString(parentVersion));
        }
        return out;
    }

    private static String csv(List<Double> values) {
        StringBuilder out = new StringBuilder();
        for (double v : values) {
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(v);
        }
        return out.toString();
    }

    /**
     * Whether a detection model's output is already final detections, one row per detection ({@code
     * [B, N, 6]}: x1, y1, x2, y2, score, class in input pixels), as Ultralytics writes for
     * YOLOv10/YOLO26 ({@code end2end}) and for exports with NMS in the graph ({@code 'nms': True}
     * in its {@code args}).
     */
    public boolean endToEnd() {
        String e2e = metadata.get(ModelMetadataKeys.ULTRALYTICS_END2END);
        if (e2e != null && e2e.strip().equalsIgnoreCase("true")) {
            return true;
        }
        String args = metadata.get(ModelMetadataKeys.ULTRALYTICS_ARGS);
        return args != null && args.replace(" ", "").contains("'nms':True");
    }

    public int inputWidth() {
        return preprocess.width();
    }

    public int inputHeight() {
        return preprocess.height();
    }
}
