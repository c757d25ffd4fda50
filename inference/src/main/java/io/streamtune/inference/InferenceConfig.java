package io.streamtune.inference;

import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.Names;
import io.streamtune.contracts.Task;
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
 * its key.
 *
 * @param service shared service settings (HTTP, Kafka, topics)
 * @param model {@code inference.model}: the model name followed on the models topic and named in
 *     predictions
 * @param modelFile {@code inference.model.file}: an ONNX file served from start until a published
 *     version arrives
 * @param modelFileVersion {@code inference.model.file.version}: version the file's predictions
 *     carry (default: its metadata, else 1)
 * @param overrides {@code
 *     inference.model.task|classes|input.width|input.height|resize|pad|mean|std|channels|probabilities}:
 *     settings for the file model when its metadata lacks them
 * @param followPublished {@code inference.model.follow}: hot-swap to versions published on the
 *     models topic
 * @param groupId {@code inference.group.id}: consumer group of the frames topic; instances sharing
 *     it share partitions
 * @param cameras {@code inference.cameras} (default {@code *}): the cameras (frame keys) this model
 *     serves, comma-separated globs, {@code !} to exclude ({@link
 *     io.streamtune.inference.stream.CameraRoutes}); other frames are passed over
 * @param maxBatch {@code inference.batch.max.size}: frames per model run
 * @param maxWait {@code inference.batch.max.wait}: how long the first frame of a batch waits for
 *     others
 * @param runner {@code inference.threads.intra.op} / {@code inference.threads.inter.op}: ONNX
 *     Runtime threads
 * @param decodeThreads {@code inference.decode.threads}: threads decoding and preprocessing a
 *     batch's frames; 1 = the pipeline thread alone (default cores / 4, at least 1)
 * @param delivery {@code inference.delivery}: {@code at-least-once} or {@code exactly-once}
 * @param noModelPolicy {@code inference.no.model.policy}: {@code wait} or {@code dlq}
 * @param noModelMaxWait {@code inference.no.model.max.wait}: how long frames wait for a first model
 *     before the DLQ
 * @param detection {@code inference.detection.score.threshold|iou.threshold|max.detections}
 * @param topK {@code inference.classification.top.k}
 * @param stylizationSize {@code inference.stylization.size} (0): longest side in pixels of the
 *     stylized frames a stylization model emits; 0 keeps the model's own resolution
 * @param imageLimits {@code inference.image.max.bytes} / {@code inference.image.max.pixels}
 * @param artifactsDir {@code inference.artifacts.dir}: root of the filesystem artifact store
 *     ({@code file:} URIs)
 * @param artifactTimeout {@code inference.artifacts.timeout}: longest fetch of one artifact
 * @param live {@code inference.shadow.share} (default 0.5): share of batches a candidate in shadow
 *     runs on beside production (0 turns shadow serving off on this instance); {@code
 *     inference.live.report.interval} (default 5s): how often live reports go to {@code
 *     models.live}
 * @param signer {@code models.signing.key}: when set, announcements not signed with it are refused
 *     before their artifact is fetched; null when unset
 * @param labelling {@code inference.labelling.*}: which production frames go to {@code
 *     labelling.requests} (see {@link io.streamtune.inference.labelling.LabellingSampler}); null
 *     when {@code inference.labelling.enabled=false}
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
        String list = config.string(MODELS, null);
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
        String model = config.string("inference.model", "default");
        try {
            Names.requireModelName(model);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("inference.model", e.getMessage());
        }
        // One core is left to the pipeline thread, which decodes the next batch while the model
        // runs.
        int intraOp = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
        String fileValue = config.string("inference.model.file", null);
        Optional<Path> file = Optional.empty();
        if (fileValue != null) {
            try {
                // a path, or zoo:NAME fetched and converted once per machine
                file = Optional.of(Zoo.modelFile(fileValue, LOG::info));
            } catch (ZooException e) {
                throw new ConfigException("inference.model.file", e.getMessage());
            }
        }
        String fileVersion = config.string("inference.model.file.version", null);
        return new InferenceConfig(
                ServiceConfig.from(config, "inference", DEFAULT_HTTP_PORT),
                model,
                file,
                fileVersion == null
                        ? Optional.empty()
                        : Optional.of(
                                config.integer(
                                        "inference.model.file.version", 1, 1, Integer.MAX_VALUE)),
                overrides(config),
                config.bool("inference.model.follow", true),
                config.string("inference.group.id", "inference-" + model),
                cameras(config),
                config.integer("inference.batch.max.size", 8, 1, 1024),
                positive(config, "inference.batch.max.wait", Duration.ofMillis(20)),
                new RunnerOptions(
                        config.integer("inference.threads.intra.op", intraOp, 1, 1024),
                        config.integer("inference.threads.inter.op", 1, 1, 1024)),
                config.integer(
                        "inference.decode.threads",
                        Math.max(1, Runtime.getRuntime().availableProcessors() / 4),
                        1,
                        256),
                config.choice("inference.delivery", Delivery.AT_LEAST_ONCE),
                config.choice("inference.no.model.policy", NoModelPolicy.WAIT),
                positive(config, "inference.no.model.max.wait", Duration.ofMinutes(5)),
                new DetectionOptions(
                        (float) config.decimal("inference.detection.score.threshold", 0.25, 0, 1),
                        (float) config.decimal("inference.detection.iou.threshold", 0.7, 0, 1),
                        config.integer("inference.detection.max.detections", 300, 1, 100_000)),
                config.integer("inference.classification.top.k", 5, 1, 1000),
                config.integer("inference.stylization.size", 0, 0, 8192),
                new ImageLimits(
                        config.size(
                                "inference.image.max.bytes",
                                ImageLimits.DEFAULT_MAX_BYTES,
                                1,
                                1L << 30),
                        config.size(
                                "inference.image.max.pixels",
                                ImageLimits.DEFAULT_MAX_PIXELS,
                                1,
                                1L << 32),
                        EnumSet.of(ImageFormat.JPEG, ImageFormat.PNG)),
                config.path("inference.artifacts.dir", Path.of("artifacts")),
                positive(config, "inference.artifacts.timeout", Duration.ofMinutes(2)),
                new io.streamtune.inference.shadow.LiveSignals.Settings(
                        config.decimal("inference.shadow.share", 0.5, 0, 1),
                        positive(config, "inference.live.report.interval", Duration.ofSeconds(5))),
                io.streamtune.runtime.AnnouncementSigner.from(config).orElse(null),
                labelling(config));
    }

    /**
     * The active-learning sampler's settings, or null when {@code
     * inference.labelling.enabled=false}.
     */
    private static io.streamtune.inference.labelling.LabellingSampler.Settings labelling(
            ConfigSource config) {
        if (!config.bool("inference.labelling.enabled", true)) {
            return null;
        }
        var d = io.streamtune.inference.labelling.LabellingSampler.Settings.defaults();
        String key = "inference.labelling.confidence.min";
        try {
            double min = config.decimal(key, d.confidenceMin(), 0, 1);
            key = "inference.labelling.confidence.max";
            double max = config.decimal(key, d.confidenceMax(), 0, 1);
            if (max > 0 && min > max) {
                throw new ConfigException(
                        key, "must be >= inference.labelling.confidence.min (" + min + ")");
            }
            return new io.streamtune.inference.labelling.LabellingSampler.Settings(
                    min,
                    Math.max(min, max),
                    config.decimal("inference.labelling.margin.max", d.marginMax(), 0, 1),
                    config.decimal("inference.labelling.rare.share", d.rareShare(), 0, 1),
                    config.integer(
                            "inference.labelling.rare.after", d.rareAfter(), 1, Integer.MAX_VALUE),
                    config.decimal("inference.labelling.random.share", d.randomShare(), 0, 1),
                    config.integer("inference.labelling.per.minute", d.perMinute(), 0, 1_000_000),
                    config.integer("inference.labelling.per.hour", d.perHour(), 0, 1_000_000),
                    config.integer("inference.labelling.per.day", d.perDay(), 0, 10_000_000),
                    config.integer(
                            "inference.labelling.per.camera.per.hour",
                            d.perCameraPerHour(),
                            0,
                            1_000_000),
                    d.remembered(),
                    config.decimal(
                            "inference.labelling.disagreement.max", d.disagreementMax(), 0, 1));
        } catch (IllegalArgumentException e) {
            if (e instanceof ConfigException) {
                throw e;
            }
            throw new ConfigException(key, e.getMessage());
        }
    }

    private static io.streamtune.inference.stream.CameraRoutes cameras(ConfigSource config) {
        try {
            return io.streamtune.inference.stream.CameraRoutes.parse(
                    config.string("inference.cameras", "*"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("inference.cameras", e.getMessage());
        }
    }

    private static Duration positive(ConfigSource config, String key, Duration defaultValue) {
        Duration d = config.duration(key, defaultValue);
        if (d.isNegative() || d.isZero()) {
            throw new ConfigException(key, "must be positive, was " + d);
        }
        return d;
    }

    private static ModelSpecOverrides overrides(ConfigSource config) {
        var b = ModelSpecOverrides.builder();
        String key = null;
        try {
            key = "inference.model.task";
            String task = config.string(key, null);
            if (task != null) {
                b.task(Task.parse(task));
            }
            key = "inference.model.classes";
            String classes = config.string(key, null);
            if (classes != null) {
                b.classNames(
                        classes.startsWith("[")
                                ? List.of(JsonSerde.MAPPER.readValue(classes, String[].class))
                                : List.of(classes.split("\\s*,\\s*")));
            }
            key = "inference.model.input.width";
            String width = config.string(key, null);
            String height = config.string("inference.model.input.height", null);
            if (width != null || height != null) {
                int w = config.integer("inference.model.input.width", -1, 1, 16384);
                int h = config.integer("inference.model.input.height", w, 1, 16384);
                if (w < 1) {
                    throw new ConfigException(
                            "inference.model.input.width",
                            "is required with inference.model.input.height");
                }
                b.inputSize(w, h);
            }
            key = "inference.model.resize";
            String resize = config.string(key, null);
            if (resize != null) {
                b.resize(ResizeMode.parse(resize));
            }
            key = "inference.model.pad";
            if (config.string(key, null) != null) {
                b.padValue(config.integer(key, 114, 0, 255));
            }
            key = "inference.model.mean";
            String mean = config.string(key, null);
            String std = config.string("inference.model.std", null);
            if (mean != null || std != null) {
                b.normalization(
                        Normalization.parse(
                                mean == null ? "0,0,0" : mean, std == null ? "1,1,1" : std));
            }
            key = "inference.model.channels";
            String channels = config.string(key, null);
            if (channels != null) {
                b.channels(ChannelOrder.parse(channels));
            }
            key = "inference.model.probabilities";
            if (config.string(key, null) != null) {
                b.outputProbabilities(config.bool(key, false));
            }
        } catch (ConfigException e) {
            throw e;
        } catch (RuntimeException | java.io.IOException e) {
            throw new ConfigException(key, e.getMessage());
        }
        return b.build();
    }
}
