package io.streamtune.vision.model;

import io.streamtune.contracts.ModelMetadataKeys;
import io.streamtune.contracts.Task;
import io.streamtune.vision.preprocess.ChannelOrder;
import io.streamtune.vision.preprocess.Normalization;
import io.streamtune.vision.preprocess.PreprocessConfig;
import io.streamtune.vision.preprocess.ResizeMode;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds a {@link ModelSpec} from ONNX {@code metadata_props}, the model's input shape and
 * overrides.
 *
 * <p>Sources, in increasing priority: defaults; Ultralytics metadata ({@code names}, {@code imgsz}
 * as {@code [height, width]}, {@code task}; letterbox with pad 114, scale to 0..1, RGB; classify
 * models output probabilities); streamtune metadata ({@link ModelMetadataKeys}); fixed spatial
 * dimensions of the model input (which metadata must not contradict); then explicit overrides. A
 * model whose task cannot be determined, or whose input size is unknown, is refused.
 */
public final class ModelSpecParser {

    private ModelSpecParser() {}

    /** The task a model's outputs alone show, or null when they do not. */
    private static Task taskOfOutputs(Map<String, long[]> outputs, InputShape input) {
        if (detectionOutputs(outputs.keySet())) {
            return outputs.containsKey("masks") ? Task.INSTANCE_SEGMENTATION : Task.DETECTION;
        }
        if (outputs.size() != 1) {
            return null;
        }
        long[] s = outputs.values().iterator().next();
        if (s == null) {
            return null;
        }
        boolean pooled = s.length == 4 && s[2] == 1 && s[3] == 1;
        if ((s.length == 2 || pooled) && s[1] > 1) {
            return Task.CLASSIFICATION;
        }
        if (s.length == 4
                && s[1] > 1
                && s[1] != 3
                && input.height() > 0
                && s[2] == input.height()
                && s[3] == input.width()) {
            return Task.SEGMENTATION;
        }
        return null;
    }

    private static boolean detectionOutputs(java.util.Set<String> names) {
        java.util.Set<String> plain = new java.util.HashSet<>();
        for (String n : names) {
            plain.add(n.endsWith(":0") ? n.substring(0, n.length() - 2) : n);
        }
        return plain.containsAll(List.of("boxes", "scores", "labels"))
                || plain.containsAll(
                        List.of("detection_boxes", "detection_scores", "detection_classes"));
    }

    /**
     * @param metadata the model's {@code metadata_props}
     * @param input the model's first input, as declared in the graph
     * @param overrides explicit settings
     * @param defaultName name to use when neither metadata nor overrides give one
     */
    public static ModelSpec parse(
            Map<String, String> metadata,
            InputShape input,
            ModelSpecOverrides overrides,
            String defaultName) {
        return parse(metadata, input, overrides, defaultName, Map.of());
    }

    /**
     * Like {@link #parse(Map, InputShape, ModelSpecOverrides, String)}; a model whose metadata and
     * overrides name no task is a detector when its outputs are named as detectors with NMS inside
     * answer ({@code boxes}, {@code scores}, {@code labels} — torchvision; {@code detection_boxes},
     * {@code detection_scores}, {@code detection_classes} — TensorFlow object detection), and an
     * instance segmenter when they also carry {@code masks} (torchvision's Mask R-CNN); else, with
     * one output, a classifier when it is {@code [N, C]} (or {@code [N, C, 1, 1]}), a semantic
     * segmenter when it is {@code [N, C, H, W]} at the input's size with C other than 3 (three
     * channels could be an image: a stylizer). Any other model must be told its task.
     *
     * @param outputs the model's outputs and their shapes (-1 for a dynamic dimension)
     */
    public static ModelSpec parse(
            Map<String, String> metadata,
            InputShape input,
            ModelSpecOverrides overrides,
            String defaultName,
            Map<String, long[]> outputs) {
        Task task = null;
        List<String> classes = List.of();
        Integer width = null;
        Integer height = null;
        ResizeMode resize = ResizeMode.STRETCH;
        int pad = PreprocessConfig.ULTRALYTICS_PAD;
        // an 8-bit input reads pixel values; a float one 0..1 unless its metadata says otherwise
        Normalization normalization = input.uint8() ? Normalization.RAW : Normalization.UNIT;
        ChannelOrder channels = input.channels() == 1 ? ChannelOrder.GRAY : ChannelOrder.RGB;
        boolean probabilities = false;
        String name = defaultName;
        long version = 0;
        long parent = 0;
        int stride = 0;

        String ultralyticsTask = metadata.get(ModelMetadataKeys.ULTRALYTICS_TASK);
        // An explicit task override also covers Ultralytics tasks this module cannot decode (pose,
        // obb).
        if (ultralyticsTask != null && overrides.task().isEmpty()) {
            task = Task.parseUltralytics(ultralyticsTask);
            resize = task == Task.CLASSIFICATION ? ResizeMode.STRETCH : ResizeMode.LETTERBOX;
            probabilities = task == Task.CLASSIFICATION;
            String description = metadata.get(ModelMetadataKeys.ULTRALYTICS_DESCRIPTION);
            if (description != null && description.toLowerCase(Locale.ROOT).contains("rtdetr")) {
                // RT-DETR is trained and run on a plain resize (Ultralytics' scaleFill)
                resize = ResizeMode.STRETCH;
            }
        }
        String ultralyticsNames = metadata.get(ModelMetadataKeys.ULTRALYTICS_NAMES);
        if (ultralyticsNames != null
                && ultralyticsTask == null
                && metadata.get(ModelMetadataKeys.TASK) == null
                && metadata.get(ModelMetadataKeys.ULTRALYTICS_STRIDE) != null
                && overrides.task().isEmpty()) {
            // YOLOv5's export writes names and stride but no task: its detectors letterbox
            task = Task.DETECTION;
            resize = ResizeMode.LETTERBOX;
        }
        if (ultralyticsNames != null) {
            classes = Literals.indexedNames(ultralyticsNames);
        }
        String imgsz = metadata.get(ModelMetadataKeys.ULTRALYTICS_IMGSZ);
        if (imgsz != null) {
            List<Integer> size = Literals.intList(imgsz);
            if (size.size() == 1) {
                height = size.get(0);
                width = size.get(0);
            } else if (size.size() == 2) {
                height = size.get(0);
                width = size.get(1);
            } else {
                throw new IllegalArgumentException("imgsz must have 1 or 2 values: " + imgsz);
            }
        }

        String strideValue = metadata.get(ModelMetadataKeys.ULTRALYTICS_STRIDE);
        if (strideValue != null) {
            stride =
                    Literals.intList(strideValue).stream()
                            .mapToInt(Integer::intValue)
                            .max()
                            .orElse(0);
        }

        String ours = metadata.get(ModelMetadataKeys.TASK);
        if (ours != null) {
            task = Task.parse(ours);
        }
        String value;
        if ((value = metadata.get(ModelMetadataKeys.CLASSES)) != null) {
            classes = Literals.stringList(value);
        }
        if ((value = metadata.get(ModelMetadataKeys.INPUT_WIDTH)) != null) {
            width = parseInt(ModelMetadataKeys.INPUT_WIDTH, value);
        }
        if ((value = metadata.get(ModelMetadataKeys.INPUT_HEIGHT)) != null) {
            height = parseInt(ModelMetadataKeys.INPUT_HEIGHT, value);
        }
        if ((value = metadata.get(ModelMetadataKeys.RESIZE)) != null) {
            resize = ResizeMode.parse(value);
        }
        if ((value = metadata.get(ModelMetadataKeys.PAD_VALUE)) != null) {
            pad = parseInt(ModelMetadataKeys.PAD_VALUE, value);
        }
        String mean = metadata.get(ModelMetadataKeys.MEAN);
        String std = metadata.get(ModelMetadataKeys.STD);
        if (mean != null || std != null) {
            normalization =
                    Normalization.parse(mean != null ? mean : "0,0,0", std != null ? std : "1,1,1");
        }
        if ((value = metadata.get(ModelMetadataKeys.CHANNEL_ORDER)) != null) {
            channels = ChannelOrder.parse(value);
        }
        if ((value = metadata.get(ModelMetadataKeys.OUTPUT_PROBABILITIES)) != null) {
            probabilities = Boolean.parseBoolean(value.trim());
        }
        if ((value = metadata.get(ModelMetadataKeys.MODEL_NAME)) != null && !value.isBlank()) {
            name = value.trim();
        }
        if ((value = metadata.get(ModelMetadataKeys.MODEL_VERSION)) != null) {
            version = parseLong(ModelMetadataKeys.MODEL_VERSION, value);
        }
        if ((value = metadata.get(ModelMetadataKeys.PARENT_VERSION)) != null && !value.isBlank()) {
            parent = parseLong(ModelMetadataKeys.PARENT_VERSION, value);
        }

        if (input.height() > 0 && input.width() > 0) {
            if ((height != null && height != input.height())
                    || (width != null && width != input.width())) {
                throw new IllegalArgumentException(
                        "metadata says input "
                                + width
                                + "x"
                                + height
                                + " but the model's input is "
                                + input.width()
                                + "x"
                                + input.height());
            }
            height = input.height();
            width = input.width();
        }

        task = overrides.task().orElse(task);
        classes = overrides.classNames().orElse(classes);
        width = overrides.inputWidth().orElse(width);
        height = overrides.inputHeight().orElse(height);
        resize = overrides.resize().orElse(resize);
        pad = overrides.padValue().orElse(pad);
        normalization = overrides.normalization().orElse(normalization);
        channels = overrides.channels().orElse(channels);
        probabilities = overrides.outputProbabilities().orElse(probabilities);
        name = overrides.name().orElse(name);
        version = overrides.version().orElse(version);

        if (task == null) {
            task = taskOfOutputs(outputs, input);
        }
        if (task == null) {
            throw new IllegalArgumentException(
                    "model metadata names no task (neither "
                            + ModelMetadataKeys.TASK
                            + " nor Ultralytics '"
                            + ModelMetadataKeys.ULTRALYTICS_TASK
                            + "'); configure one explicitly");
        }
        if (width == null || height == null) {
            throw new IllegalArgumentException(
                    "model input size is dynamic and metadata gives none; configure it explicitly");
        }
        if (width <= 0 || height <= 0 || width > MAX_INPUT_SIDE || height > MAX_INPUT_SIDE) {
            // a 20000x20000 input would make every batch buffer gigabytes
            throw new IllegalArgumentException(
                    "model input "
                            + width
                            + "x"
                            + height
                            + " is outside 1.."
                            + MAX_INPUT_SIDE
                            + " per side");
        }
        if (input.channels() > 0 && input.channels() != channels.planes()) {
            throw new IllegalArgumentException(
                    "model input has "
                            + input.channels()
                            + " channels but channel order is "
                            + channels);
        }
        return new ModelSpec(
                task,
                classes,
                new PreprocessConfig(width, height, resize, pad, channels, normalization),
                probabilities,
                name,
                version,
                parent,
                stride,
                metadata);
    }

    /** Largest input side a served model may ask for. */
    public static final int MAX_INPUT_SIDE = 4096;

    private static int parseInt(String key, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer: " + value, e);
        }
    }

    private static long parseLong(String key, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer: " + value, e);
        }
    }
}
