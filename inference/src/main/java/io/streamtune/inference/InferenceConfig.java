package io.streamtune.inference;

import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.Names;
import io.streamtune.contracts.Task;
import io.streamtune.contracts.Topics;
import io.streamtune.runtime.ConfigDef;
import io.streamtune.runtime.ConfigDef.Setting;
import io.streamtune.runtime.ConfigException;
import io.streamtune.runtime.ConfigSource;
import io.streamtune.runtime.ServiceConfig;
import io.streamtune.vision.decode.DetectionOptions;
import io.streamtune.vision.image.ImageFormat;
import io.streamtune.vision.image.ImageLimits;
import io.streamtune.vision.model.ModelSpecOverrides;
import io.streamtune.vision.model.RunnerOptions;
import io.streamtune.vision.preprocess.ChannelOrder;
import io.streamtune.vision.preprocess.Normalization;
import io.streamtune.vision.preprocess.ResizeMode;
import io.streamtune.zoo.Zoo;
import io.streamtune.zoo.ZooException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting of the inference service, read once at start-up; a bad value fails start-up naming
 * its key. Each key, its default, range and meaning is declared once in {@link #DEF}; the README's
 * table is generated from it.
 *
 * @param modelFile {@code inference.model.file}, resolved ({@code zoo:NAME} fetched)
 * @param modelFileVersion {@code inference.model.file.version}; empty: the file's metadata, else 1
 * @param overrides {@code inference.model.task|classes|input.*|resize|pad|mean|std|channels|
 *     probabilities}: settings for the file model when its metadata lacks them
 * @param signer {@code models.signing.key}: when set, announcements not signed with it are refused
 *     before their artifact is fetched; null when unset
 * @param framesTopic {@code inference.frames.topic}: the frames topic, without the prefix
 * @param labelling {@code inference.labelling.*}; null when {@code
 *     inference.labelling.enabled=false}
 */
public record InferenceConfig(
        ServiceConfig service,
        String model,
        Optional<Path> modelFile,
        Optional<Integer> modelFileVersion,
        ModelSpecOverrides overrides,
        boolean followPublished,
        String groupId,
        io.streamtune.inference.stream.CameraRoutes cameras,
        String framesTopic,
        int maxBatch,
        Duration maxWait,
        RunnerOptions runner,
        int decodeThreads,
        Delivery delivery,
        NoModelPolicy noModelPolicy,
        Duration noModelMaxWait,
        DetectionOptions detection,
        int topK,
        int stylizationSize,
        ImageLimits imageLimits,
        Path artifactsDir,
        Duration artifactTimeout,
        io.streamtune.inference.shadow.LiveSignals.Settings live,
        io.streamtune.runtime.AnnouncementSigner signer,
        io.streamtune.inference.labelling.LabellingSampler.Settings labelling) {

    /**
     * Key prefixes this service owns: a key under them that it does not read is reported at start
     * (a mistyped setting would otherwise be ignored without a word).
     */
    public static final java.util.List<String> OWNED_PREFIXES = java.util.List.of("inference.");

    /** Every inference key, declared once: the README's table is generated from it. */
    public static final ConfigDef DEF = new ConfigDef("inference");

    private static final Setting<String> MODEL =
            DEF.string(
                    "inference.model",
                    "default",
                    "model name followed on `models.published` and named in predictions");
    private static final Setting<String> MODELS_LIST =
            DEF.string(
                    "inference.models",
                    null,
                    "several models in one instance, comma-separated (below); replaces"
                            + " `inference.model`");
    private static final Setting<Void> MODELS_OVERLAY =
            DEF.family(
                    "inference.models.<name>.<key>",
                    "as `inference.<key>`",
                    "stands in for `inference.<key>` for that model alone");
    private static final Setting<Boolean> FOLLOW =
            DEF.bool(
                    "inference.model.follow", true, "hot-swap to versions published for that name");
    private static final Setting<String> MODEL_FILE =
            DEF.string(
                    "inference.model.file",
                    null,
                    "an ONNX file or `zoo:NAME` (fetched and converted once per machine) served"
                            + " from start (until a published version differs); `zoo:centernet`"
                            + " serves COCO detections with no training");
    private static final Setting<Integer> MODEL_FILE_VERSION =
            DEF.integer(
                            "inference.model.file.version",
                            1,
                            1,
                            Integer.MAX_VALUE,
                            "version the file's predictions carry")
                    .shownAs("metadata, else 1");
    private static final Setting<String> OVERRIDE_TASK =
            DEF.string(
                            "inference.model.task",
                            null,
                            "overrides for a file model without (or with wrong) metadata: its task")
                    .shownAs("from metadata");
    private static final Setting<String> OVERRIDE_CLASSES =
            DEF.string("inference.model.classes", null, "its classes: a JSON array or comma list")
                    .shownAs("from metadata");
    private static final Setting<Integer> OVERRIDE_WIDTH =
            DEF.integer("inference.model.input.width", -1, 1, 16384, "its input width")
                    .shownAs("from metadata");
    private static final Setting<Integer> OVERRIDE_HEIGHT =
            DEF.integer(
                            "inference.model.input.height",
                            -1,
                            1,
                            16384,
                            "its input height (default: the width)")
                    .shownAs("from metadata");
    private static final Setting<String> OVERRIDE_RESIZE =
            DEF.string("inference.model.resize", null, "`stretch` or `letterbox`")
                    .shownAs("from metadata");
    private static final Setting<Integer> OVERRIDE_PAD =
            DEF.integer("inference.model.pad", 114, 0, 255, "letterbox padding value")
                    .shownAs("from metadata");
    private static final Setting<String> OVERRIDE_MEAN =
            DEF.string("inference.model.mean", null, "per-channel mean, e.g. `0.485,0.456,0.406`")
                    .shownAs("from metadata");
    private static final Setting<String> OVERRIDE_STD =
            DEF.string("inference.model.std", null, "per-channel standard deviation")
                    .shownAs("from metadata");
    private static final Setting<String> OVERRIDE_CHANNELS =
            DEF.string("inference.model.channels", null, "`rgb` or `bgr`").shownAs("from metadata");
    private static final Setting<Boolean> OVERRIDE_PROBABILITIES =
            DEF.bool(
                            "inference.model.probabilities",
                            false,
                            "whether the classifier's output is already probabilities")
                    .shownAs("from metadata");
    private static final Setting<String> GROUP_ID =
            DEF.string(
                            "inference.group.id",
                            null,
                            "consumer group: instances with the same group share the frame"
                                    + " partitions")
                    .shownAs("inference-<model>");
    private static final Setting<String> CAMERAS =
            DEF.string(
                    "inference.cameras",
                    "*",
                    "the cameras (frame keys) this model serves: comma-separated globs (`*`, `?`),"
                            + " `!` excludes (`lobby-*,gate-?,!lobby-test*`); other frames are"
                            + " passed over (`inference_frames_unrouted_total`), their offsets"
                            + " committed in order with the served ones, never ahead of a served"
                            + " frame still in flight");
    private static final Setting<String> FRAMES_TOPIC =
            DEF.string(
                    "inference.frames.topic",
                    Topics.FRAMES.name(),
                    "the topic (under `topic.prefix`) this model reads frames from, its dead"
                            + " letters going to `<topic>.dlq`: with `inference.models`, cameras"
                            + " on their own topic per model (`inference.models.<m>.frames.topic"
                            + "=frames.lobby`); created like `frames` when missing");
    private static final Setting<Integer> BATCH_MAX_SIZE =
            DEF.integer("inference.batch.max.size", 8, 1, 1024, "frames per model run");
    private static final Setting<Duration> BATCH_MAX_WAIT =
            DEF.duration(
                    "inference.batch.max.wait",
                    Duration.ofMillis(20),
                    "how long the first frame of a batch waits for others");
    private static final Setting<Integer> INTRA_OP =
            DEF.integer(
                            "inference.threads.intra.op",
                            1,
                            1,
                            1024,
                            "ONNX Runtime intra-op threads; one core is left for decoding the next"
                                    + " batch")
                    .shownAs("cores − 1 (min 1)");
    private static final Setting<Integer> INTER_OP =
            DEF.integer("inference.threads.inter.op", 1, 1, 1024, "ONNX Runtime inter-op threads");
    private static final Setting<Boolean> MEMORY_ARENA =
            DEF.bool(
                    "inference.memory.arena",
                    true,
                    "keep ONNX Runtime's CPU memory arena and memory-pattern plans between"
                            + " batches (faster); `false` returns activation memory after each"
                            + " batch, so a model that is idle holds little more than its weights"
                            + " (for many models in one instance)");
    private static final Setting<Long> MODEL_MAX_BYTES =
            DEF.size(
                    "inference.model.max.bytes",
                    RunnerOptions.ONNX_MAX_BYTES,
                    1,
                    RunnerOptions.ONNX_MAX_BYTES,
                    "the largest model (ONNX file or published artifact) this model slot"
                            + " loads: a larger version is refused before it is fetched"
                            + " (`load_failed`, the previous version keeps serving), a larger"
                            + " file fails start-up");
    private static final Setting<Integer> DECODE_THREADS =
            DEF.integer(
                            "inference.decode.threads",
                            1,
                            1,
                            256,
                            "threads decoding and preprocessing a batch's frames in parallel; 1 ="
                                    + " the pipeline thread alone")
                    .shownAs("cores / 4 (min 1)");
    private static final Setting<Delivery> DELIVERY =
            DEF.choice(
                    "inference.delivery",
                    Delivery.AT_LEAST_ONCE,
                    "at-least-once: offsets committed after the predictions are acknowledged;"
                            + " exactly-once: predictions and offsets in one transaction");
    private static final Setting<NoModelPolicy> NO_MODEL_POLICY =
            DEF.choice(
                    "inference.no.model.policy",
                    NoModelPolicy.WAIT,
                    "`wait` (pause, bounded) or `dlq` (reason `no_model`) while no model is"
                            + " loaded");
    private static final Setting<Duration> NO_MODEL_MAX_WAIT =
            DEF.duration(
                    "inference.no.model.max.wait",
                    Duration.ofMinutes(5),
                    "frames held longer go to the DLQ with reason `no_model`");
    private static final Setting<Double> SCORE_THRESHOLD =
            DEF.decimal(
                    "inference.detection.score.threshold",
                    0.25,
                    0,
                    1,
                    "detections scoring less are dropped");
    private static final Setting<Double> IOU_THRESHOLD =
            DEF.decimal(
                    "inference.detection.iou.threshold",
                    0.7,
                    0,
                    1,
                    "class-aware non-maximum suppression overlap");
    private static final Setting<Integer> MAX_DETECTIONS =
            DEF.integer("inference.detection.max.detections", 300, 1, 100_000, "objects per frame");
    private static final Setting<Integer> TOP_K =
            DEF.integer("inference.classification.top.k", 5, 1, 1000, "classes per classification");
    private static final Setting<Integer> STYLIZATION_SIZE =
            DEF.integer(
                    "inference.stylization.size",
                    0,
                    0,
                    8192,
                    "longest side in pixels of the stylized frames a stylization model emits on"
                            + " `predictions.stylizations` (JPEG, source aspect ratio); 0 = the"
                            + " model's resolution");
    private static final Setting<Long> IMAGE_MAX_BYTES =
            DEF.size(
                    "inference.image.max.bytes",
                    ImageLimits.DEFAULT_MAX_BYTES,
                    1,
                    1L << 30,
                    "larger frames go to the DLQ (`oversized_image`)");
    private static final Setting<Long> IMAGE_MAX_PIXELS =
            DEF.count(
                    "inference.image.max.pixels",
                    ImageLimits.DEFAULT_MAX_PIXELS,
                    1,
                    1L << 32,
                    "likewise, checked from the header");
    private static final Setting<Path> ARTIFACTS_DIR =
            DEF.path(
                    "inference.artifacts.dir",
                    Path.of("artifacts"),
                    "artifacts",
                    "root of the filesystem artifact store (`file:` URIs): only regular files under"
                            + " it (links resolved), of the announced size, are read — an"
                            + " announcement naming `/dev/zero`, a FIFO or `/proc/...` is refused"
                            + " before a byte is read");
    private static final Setting<Duration> ARTIFACTS_TIMEOUT =
            DEF.duration(
                    "inference.artifacts.timeout",
                    Duration.ofMinutes(2),
                    "longest fetch of one artifact");
    private static final Setting<Double> SHADOW_SHARE =
            DEF.decimal(
                    "inference.shadow.share",
                    0.5,
                    0,
                    1,
                    "share of batches a candidate from `models.candidates` runs on in shadow (0 ="
                            + " no shadow serving on this instance)");
    private static final Setting<Duration> LIVE_REPORT_INTERVAL =
            DEF.duration(
                    "inference.live.report.interval",
                    Duration.ofSeconds(5),
                    "how often `LiveReport`s go to `models.live`");

    private static final io.streamtune.inference.labelling.LabellingSampler.Settings L =
            io.streamtune.inference.labelling.LabellingSampler.Settings.defaults();
    private static final Setting<Boolean> LABELLING_ENABLED =
            DEF.bool(
                    "inference.labelling.enabled",
                    true,
                    "send frames worth labelling to `labelling.requests` (below)");
    private static final Setting<Double> LABELLING_CONFIDENCE_MIN =
            DEF.decimal(
                    "inference.labelling.confidence.min",
                    L.confidenceMin(),
                    0,
                    1,
                    "low-confidence band, lower end: top-1 probability, or any object's score");
    private static final Setting<Double> LABELLING_CONFIDENCE_MAX =
            DEF.decimal(
                    "inference.labelling.confidence.max",
                    L.confidenceMax(),
                    0,
                    1,
                    "its upper end (0 turns the band off)");
    private static final Setting<Double> LABELLING_MARGIN_MAX =
            DEF.decimal(
                    "inference.labelling.margin.max",
                    L.marginMax(),
                    0,
                    1,
                    "classification: top-two probabilities closer than this (0 = off)");
    private static final Setting<Double> LABELLING_RARE_SHARE =
            DEF.decimal(
                    "inference.labelling.rare.share",
                    L.rareShare(),
                    0,
                    1,
                    "a predicted class seen in under this share of frames (0 = off)");
    private static final Setting<Integer> LABELLING_RARE_AFTER =
            DEF.integer(
                    "inference.labelling.rare.after",
                    L.rareAfter(),
                    1,
                    Integer.MAX_VALUE,
                    "… once this many frames were seen");
    private static final Setting<Double> LABELLING_RANDOM_SHARE =
            DEF.decimal(
                    "inference.labelling.random.share",
                    L.randomShare(),
                    0,
                    1,
                    "random baseline share of all frames (0 = off)");
    private static final Setting<Double> LABELLING_DISAGREEMENT_MAX =
            DEF.decimal(
                    "inference.labelling.disagreement.max",
                    L.disagreementMax(),
                    0,
                    1,
                    "while a candidate runs in shadow: frames on which it and production agree"
                            + " less than this (0 = off)");
    private static final Setting<Double> LABELLING_NOVELTY_MIN =
            DEF.decimal(
                    "inference.labelling.novelty.min",
                    L.noveltyMin(),
                    0,
                    1,
                    "frames whose embedding summary lies outside the central 80 % of the version's"
                            + " gate images in at least this share of its dimensions (0 = off)");
    private static final Setting<Double> LABELLING_DUPLICATE_DISTANCE =
            DEF.decimal(
                    "inference.labelling.duplicate.distance",
                    L.duplicateDistance(),
                    0,
                    1,
                    "a picked frame this close to one of its camera's last 16 requests (relative"
                            + " distance of the embedding summaries, else of the scores) is passed"
                            + " over: a view held for seconds is requested once (0 = off)");
    private static final Setting<Integer> LABELLING_PER_MINUTE =
            DEF.integer(
                    "inference.labelling.per.minute",
                    L.perMinute(),
                    0,
                    1_000_000,
                    "cap on requests per minute");
    private static final Setting<Integer> LABELLING_PER_HOUR =
            DEF.integer(
                    "inference.labelling.per.hour",
                    L.perHour(),
                    0,
                    1_000_000,
                    "cap on requests per hour");
    private static final Setting<Integer> LABELLING_PER_DAY =
            DEF.integer(
                    "inference.labelling.per.day",
                    L.perDay(),
                    0,
                    10_000_000,
                    "cap on requests per day");
    private static final Setting<Integer> LABELLING_PER_CAMERA_PER_HOUR =
            DEF.integer(
                    "inference.labelling.per.camera.per.hour",
                    L.perCameraPerHour(),
                    0,
                    1_000_000,
                    "cap per camera (the frame key)");
    private static final Setting<Duration> LABELLING_CAMERA_PAUSE =
            DEF.durationOrZero(
                    "inference.labelling.per.camera.pause",
                    Duration.ofMillis(L.cameraPauseMs()),
                    "after a request from a camera, the wait before its next one: a scene held for"
                            + " seconds is not sent as a burst of views (0 = none)");

    private static final org.slf4j.Logger LOG =
            org.slf4j.LoggerFactory.getLogger(InferenceConfig.class);

    /** Default HTTP port of the inference service. */
    public static final int DEFAULT_HTTP_PORT = 8083;

    /** How predictions and consumed offsets reach Kafka together. */
    public enum Delivery {
        /**
         * Offsets are committed after the batch's predictions are acknowledged; a crash may repeat
         * a batch.
         */
        AT_LEAST_ONCE,
        /** Predictions and offsets commit in one Kafka transaction; readers use read_committed. */
        EXACTLY_ONCE
    }

    /** What happens to frames while no model is loaded. */
    public enum NoModelPolicy {
        /**
         * Consumption pauses; after {@code inference.no.model.max.wait} the held frames go to the
         * DLQ.
         */
        WAIT,
        /** Frames go to the DLQ at once with reason {@code no_model}. */
        DLQ
    }

    public InferenceConfig {
        Names.requireModelName(model);
    }

    /** The key listing the models one instance serves. */
    public static final String MODELS = "inference.models";

    /**
     * The configuration of every model this instance serves: {@code inference.models} (a
     * comma-separated list of model names), each read as {@link #from} reads one with {@code
     * inference.model} set to its name and any {@code inference.models.<name>.<key>} standing in
     * for {@code inference.<key>} (e.g. {@code inference.models.coco.model.file=zoo:centernet},
     * {@code inference.models.coco.threads.intra.op=1}); without it, the one model of {@link
     * #from}.
     */
    public static List<InferenceConfig> all(ConfigSource config) {
        String list = MODELS_LIST.get(config);
        if (list == null || list.isBlank()) {
            return List.of(from(config));
        }
        java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
        for (String n : list.split(",")) {
            String name = n.strip();
            if (name.isEmpty()) {
                continue;
            }
            try {
                Names.requireModelName(name);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(MODELS, e.getMessage());
            }
            if (!names.add(name)) {
                throw new ConfigException(MODELS, "model '" + name + "' is listed twice");
            }
        }
        if (names.isEmpty()) {
            throw new ConfigException(MODELS, "names no model");
        }
        List<InferenceConfig> out = new java.util.ArrayList<>();
        for (String name : names) {
            String prefix = MODELS + "." + name + ".";
            Map<String, String> own = config.withPrefix(prefix);
            Map<String, String> overlay = new java.util.HashMap<>();
            own.forEach((k, v) -> overlay.put("inference." + k, v));
            overlay.put("inference.model", name);
            ConfigSource view = config.with(overlay);
            InferenceConfig c;
            try {
                c = from(view);
            } catch (ConfigException e) {
                if (e.key().startsWith("inference.")
                        && own.containsKey(e.key().substring("inference.".length()))) {
                    throw new ConfigException(
                            prefix + e.key().substring("inference.".length()), e.problem());
                }
                throw e;
            }
            for (String k : own.keySet()) {
                if (!view.wasRead("inference." + k)) {
                    String near = view.closestKnown("inference." + k);
                    LOG.warn(
                            "unknown setting '{}' is ignored{}",
                            prefix + k,
                            near == null || !near.startsWith("inference.")
                                    ? ""
                                    : "; did you mean '"
                                            + prefix
                                            + near.substring("inference.".length())
                                            + "'?");
                }
            }
            out.add(c);
        }
        return List.copyOf(out);
    }

    /** Reads and checks the configuration. */
    public static InferenceConfig from(ConfigSource config) {
        String model = MODEL.get(config);
        try {
            Names.requireModelName(model);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(MODEL.name(), e.getMessage());
        }
        // One core is left to the pipeline thread, which decodes the next batch while the model
        // runs.
        int intraOp = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
        String fileValue = MODEL_FILE.get(config);
        Optional<Path> file = Optional.empty();
        if (fileValue != null) {
            try {
                // a path, or zoo:NAME fetched and converted once per machine
                file = Optional.of(Zoo.modelFile(fileValue, LOG::info));
            } catch (ZooException e) {
                throw new ConfigException(MODEL_FILE.name(), e.getMessage());
            }
        }
        return new InferenceConfig(
                ServiceConfig.from(config, "inference", DEFAULT_HTTP_PORT),
                model,
                file,
                MODEL_FILE_VERSION.ifSet(config),
                overrides(config),
                FOLLOW.get(config),
                GROUP_ID.get(config, "inference-" + model),
                cameras(config),
                framesTopic(config),
                BATCH_MAX_SIZE.get(config),
                BATCH_MAX_WAIT.get(config),
                new RunnerOptions(
                        INTRA_OP.get(config, intraOp),
                        INTER_OP.get(config),
                        MEMORY_ARENA.get(config),
                        MODEL_MAX_BYTES.get(config)),
                DECODE_THREADS.get(
                        config, Math.max(1, Runtime.getRuntime().availableProcessors() / 4)),
                DELIVERY.get(config),
                NO_MODEL_POLICY.get(config),
                NO_MODEL_MAX_WAIT.get(config),
                new DetectionOptions(
                        (float) (double) SCORE_THRESHOLD.get(config),
                        (float) (double) IOU_THRESHOLD.get(config),
                        MAX_DETECTIONS.get(config)),
                TOP_K.get(config),
                STYLIZATION_SIZE.get(config),
                new ImageLimits(
                        IMAGE_MAX_BYTES.get(config),
                        IMAGE_MAX_PIXELS.get(config),
                        EnumSet.of(ImageFormat.JPEG, ImageFormat.PNG, ImageFormat.WEBP)),
                ARTIFACTS_DIR.get(config),
                ARTIFACTS_TIMEOUT.get(config),
                new io.streamtune.inference.shadow.LiveSignals.Settings(
                        SHADOW_SHARE.get(config), LIVE_REPORT_INTERVAL.get(config)),
                io.streamtune.runtime.AnnouncementSigner.from(config).orElse(null),
                labelling(config));
    }

    /**
     * The active-learning sampler's settings, or null when {@code
     * inference.labelling.enabled=false}.
     */
    private static io.streamtune.inference.labelling.LabellingSampler.Settings labelling(
            ConfigSource config) {
        if (!LABELLING_ENABLED.get(config)) {
            return null;
        }
        String key = LABELLING_CONFIDENCE_MIN.name();
        try {
            double min = LABELLING_CONFIDENCE_MIN.get(config);
            key = LABELLING_CONFIDENCE_MAX.name();
            double max = LABELLING_CONFIDENCE_MAX.get(config);
            if (max > 0 && min > max) {
                throw new ConfigException(
                        key, "must be >= " + LABELLING_CONFIDENCE_MIN.name() + " (" + min + ")");
            }
            return new io.streamtune.inference.labelling.LabellingSampler.Settings(
                    min,
                    Math.max(min, max),
                    LABELLING_MARGIN_MAX.get(config),
                    LABELLING_RARE_SHARE.get(config),
                    LABELLING_RARE_AFTER.get(config),
                    LABELLING_RANDOM_SHARE.get(config),
                    LABELLING_PER_MINUTE.get(config),
                    LABELLING_PER_HOUR.get(config),
                    LABELLING_PER_DAY.get(config),
                    LABELLING_PER_CAMERA_PER_HOUR.get(config),
                    L.remembered(),
                    LABELLING_DISAGREEMENT_MAX.get(config),
                    LABELLING_NOVELTY_MIN.get(config),
                    LABELLING_DUPLICATE_DISTANCE.get(config),
                    LABELLING_CAMERA_PAUSE.get(config).toMillis());
        } catch (IllegalArgumentException e) {
            if (e instanceof ConfigException) {
                throw e;
            }
            throw new ConfigException(key, e.getMessage());
        }
    }

    private static String framesTopic(ConfigSource config) {
        try {
            return Names.requireTopicName(FRAMES_TOPIC.get(config).strip());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(FRAMES_TOPIC.name(), e.getMessage());
        }
    }

    private static io.streamtune.inference.stream.CameraRoutes cameras(ConfigSource config) {
        try {
            return io.streamtune.inference.stream.CameraRoutes.parse(CAMERAS.get(config));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(CAMERAS.name(), e.getMessage());
        }
    }

    private static ModelSpecOverrides overrides(ConfigSource config) {
        var b = ModelSpecOverrides.builder();
        String key = null;
        try {
            key = OVERRIDE_TASK.name();
            String task = OVERRIDE_TASK.get(config);
            if (task != null) {
                b.task(Task.parse(task));
            }
            key = OVERRIDE_CLASSES.name();
            String classes = OVERRIDE_CLASSES.get(config);
            if (classes != null) {
                b.classNames(
                        classes.startsWith("[")
                                ? List.of(JsonSerde.MAPPER.readValue(classes, String[].class))
                                : List.of(classes.split("\\s*,\\s*")));
            }
            key = OVERRIDE_WIDTH.name();
            Optional<Integer> width = OVERRIDE_WIDTH.ifSet(config);
            Optional<Integer> height = OVERRIDE_HEIGHT.ifSet(config);
            if (height.isPresent() && width.isEmpty()) {
                throw new ConfigException(
                        OVERRIDE_WIDTH.name(), "is required with " + OVERRIDE_HEIGHT.name());
            }
            width.ifPresent(w -> b.inputSize(w, height.orElse(w)));
            key = OVERRIDE_RESIZE.name();
            String resize = OVERRIDE_RESIZE.get(config);
            if (resize != null) {
                b.resize(ResizeMode.parse(resize));
            }
            key = OVERRIDE_PAD.name();
            OVERRIDE_PAD.ifSet(config).ifPresent(b::padValue);
            key = OVERRIDE_MEAN.name();
            String mean = OVERRIDE_MEAN.get(config);
            String std = OVERRIDE_STD.get(config);
            if (mean != null || std != null) {
                b.normalization(
                        Normalization.parse(
                                mean == null ? "0,0,0" : mean, std == null ? "1,1,1" : std));
            }
            key = OVERRIDE_CHANNELS.name();
            String channels = OVERRIDE_CHANNELS.get(config);
            if (channels != null) {
                b.channels(ChannelOrder.parse(channels));
            }
            key = OVERRIDE_PROBABILITIES.name();
            OVERRIDE_PROBABILITIES.ifSet(config).ifPresent(b::outputProbabilities);
        } catch (ConfigException e) {
            throw e;
        } catch (RuntimeException | java.io.IOException e) {
            throw new ConfigException(key, e.getMessage());
        }
        return b.build();
    }
}
