package io.streamtune.trainer;

import io.streamtune.runtime.ConfigException;
import io.streamtune.runtime.ConfigSource;
import io.streamtune.runtime.ServiceConfig;
import io.streamtune.trainer.gate.Gate;
import io.streamtune.trainer.pretrain.Pretrainer;
import io.streamtune.trainer.train.Augmentation;
import io.streamtune.trainer.train.Schedule;
import io.streamtune.zoo.Zoo;
import io.streamtune.zoo.ZooCatalog;
import io.streamtune.zoo.ZooException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Every setting of the trainer service, read once at start-up; a bad value fails start-up naming
 * its key.
 *
 * @param service shared service settings (HTTP, Kafka, topics)
 * @param dataDir {@code data.dir} (default {@code .streamtune}): datasets under {@code
 *     trainer/<model>/}, version manifests, the pre-trained backbone cache, the file artifact store
 * @param groupId {@code trainer.group.id} (default {@code streamtune-trainer}): consumer group of
 *     the trigger consumers; trainers in one group split the models between them by partition
 * @param inputSize {@code trainer.input.size} (default 32): input size of models built on the
 *     default backbone
 * @param gatePercent {@code trainer.split.gate.percent} (default 20): share of samples, by id hash,
 *     that only the gate sees
 * @param selectionPercent {@code trainer.split.selection.percent} (default 15): share of samples,
 *     by id hash, that choose the epoch (early stopping); the rest train
 * @param minSamples {@code trainer.min.samples} (default 10): fewer labelled samples fail the run
 * @param maxTrainSamples {@code trainer.train.max.samples} (default 3000; 0 = all): most training
 *     samples a run decodes and holds; beyond it, every sample new since production plus a
 *     class-balanced replay of older ones (at least half of the cap when there are that many)
 * @param schedule {@code trainer.epochs.head} (8), {@code trainer.epochs.finetune} (8), {@code
 *     trainer.batch.size} (32), {@code trainer.lr} (0.003), {@code trainer.finetune.lr.factor}
 *     (0.1), {@code trainer.finetune.blocks} (2), {@code trainer.early.stopping.patience} (3),
 *     {@code trainer.seed} (7), and augmentation {@code trainer.augment.flip} (true), {@code
 *     trainer.augment.crop.min.scale} (0.7), {@code trainer.augment.rotation.degrees} (10), {@code
 *     trainer.augment.colour.jitter} (0.2)
 * @param labelSmoothing {@code trainer.label.smoothing} (default 0.05), classification only
 * @param classificationHidden {@code trainer.classification.hidden} (default 0 = none): width of a
 *     hidden ReLU layer in the classification head
 * @param headHidden {@code trainer.head.hidden} (default 32): channels of the segmentation and
 *     detection heads
 * @param gate {@code trainer.gate.min.delta} (default 0.0, at least 0): the lower end of the
 *     interval of candidate minus production must exceed this; {@code trainer.gate.floor} (0.5):
 *     the lower end of a first model's interval must reach this; {@code trainer.gate.confidence}
 *     (0.95): the intervals' confidence; {@code trainer.gate.resamples} (2000): bootstrap
 *     resamples; {@code trainer.gate.min.samples} (20): fewer gate samples is not enough evidence
 *     to judge; {@code trainer.gate.min.per.class} (3): likewise for any class (classification);
 *     {@code trainer.gate.class.max.drop} (0.2; 1 = off): a candidate confidently worse than
 *     production on some class by more than this (recall, IoU or AP) is rejected, naming it
 * @param rollout {@code trainer.shadow.frames} (default 200; 0 = no shadow phase, the gate
 *     publishes directly): shadow frames, over all inference instances, before a candidate that
 *     passed the gate is promoted; {@code trainer.shadow.min.agreement} (0.5) and {@code
 *     trainer.shadow.max.failure.rate} (0.01, above production's): what rejects it; {@code
 *     trainer.rollback.auto} (true), {@code trainer.rollback.min.frames} (100), {@code
 *     trainer.rollback.max.failure.rate} (0.05), {@code trainer.rollback.max.confidence.shift}
 *     (0.25): when production is rolled back by itself
 * @param retainVersions {@code trainer.retain.versions} (default 5): stored versions per model;
 *     older ones are deleted
 * @param artifactStore {@code trainer.artifact.store}: {@code kafka} (default, chunks on the
 *     artifacts topic) or {@code file}
 * @param artifactDir {@code trainer.artifact.dir} (default {@code <data.dir>/artifacts}): root of
 *     the file store
 * @param pretrain {@code trainer.pretrain.source} ({@code synthetic}, the default, or {@code
 *     fashion_mnist}), {@code trainer.pretrain.samples} (4000), {@code trainer.pretrain.epochs} (6)
 * @param pretrainEagerly {@code trainer.pretrain.eager} (false; the demo turns it on): pre-train
 *     the default backbone in the background at start-up, so the first run finds it ready
 * @param style {@code trainer.style.*}: how stylization models are built and trained ({@link
 *     io.streamtune.trainer.style.StyleSettings})
 * @param baseModels {@code trainer.model.<name>.base}: a user ONNX file to start model {@code
 *     <name>} from; {@code trainer.base.model} for every model without one. Otherwise: the previous
 *     version, else the default backbone.
 * @param defaultBaseModel {@code trainer.base.model}, null when unset
 * @param fallbackBase {@code trainer.base.default} (default {@code zoo:centernet}): the base of a
 *     model with no configured base and no production version: a zoo network, or {@code synthetic}
 *     for the synthetic-shapes backbone, which is also what a zoo network that cannot be fetched
 *     falls back to
 * @param zooInputSize {@code trainer.base.input.size} (default 0 = by task: classification 224,
 *     detection 320, segmentation 256): input size when training on a zoo network
 * @param threads {@code trainer.threads} (default 2): ONNX Runtime threads for caching and
 *     evaluation
 * @param detectionHead {@code trainer.detection.head} (default {@code reuse}): a detector
 *     fine-tuned from a CenterNet base (the zoo's COCO network or a version trained from it) keeps
 *     its neck and box heads and rebuilds only the class heatmap, keeping the pretrained channel of
 *     classes the base knows by name; {@code fresh} grafts a new head on the backbone instead
 * @param resize {@code trainer.resize} (default {@code auto}: letterbox for detection and
 *     segmentation, stretch for classification): how an image is fitted to the square input, the
 *     same way in training, evaluation and serving (the exported model carries it)
 * @param featureCacheBytes {@code trainer.feature.cache.mb} (default 1024): most memory phase 1
 *     holds as cached frozen-backbone outputs of the training images; a larger dataset (a CenterNet
 *     neck at stride 4 takes 3.3 MB per 320 px image) runs the frozen part per batch instead
 * @param signer {@code models.signing.key}: when set, every announcement this trainer writes is
 *     signed with it (HMAC-SHA256), for inference instances to verify; null when unset
 * @param torchThreads {@code trainer.torch.threads} (default 1): PyTorch intra-op threads for
 *     training; more threads than free cores make PyTorch spin and run many times slower
 */
public record TrainerConfig(
        ServiceConfig service,
        Path dataDir,
        String groupId,
        int inputSize,
        int gatePercent,
        int selectionPercent,
        int minSamples,
        int maxTrainSamples,
        Schedule schedule,
        double labelSmoothing,
        int classificationHidden,
        int headHidden,
        DetectionHeadKind detectionHead,
        InputFit resize,
        long featureCacheBytes,
        Gate.Settings gate,
        io.streamtune.trainer.publish.Rollout.Settings rollout,
        int retainVersions,
        ArtifactStoreKind artifactStore,
        Path artifactDir,
        Pretrainer.Options pretrain,
        Map<String, Path> baseModels,
        Path defaultBaseModel,
        String fallbackBase,
        int zooInputSize,
        int threads,
        int torchThreads,
        boolean pretrainEagerly,
        io.streamtune.trainer.style.StyleSettings style,
        io.streamtune.runtime.AnnouncementSigner signer) {

    /**
     * Key prefixes this service owns: a key under them that it does not read is reported at start
     * (a mistyped setting would otherwise be ignored without a word).
     */
    public static final java.util.List<String> OWNED_PREFIXES = java.util.List.of("trainer.");

    private static final org.slf4j.Logger LOG =
            org.slf4j.LoggerFactory.getLogger(TrainerConfig.class);

    /** Default HTTP port of the trainer service. */
    public static final int DEFAULT_HTTP_PORT = 8082;

    /** How a detector is fine-tuned from a base network that has detection heads of its own. */
    public enum DetectionHeadKind {
        /** Keep its neck and box heads, rebuild only the class heatmap (CenterNet bases). */
        REUSE,
        /** Graft a fresh head on its backbone's feature map. */
        FRESH
    }

    /** How images are fitted to a trained model's square input. */
    public enum InputFit {
        /** Letterbox for detection and segmentation, stretch for classification. */
        AUTO,
        /** Plain resize; the aspect ratio is not kept. */
        STRETCH,
        /** Aspect kept, centred, padded with grey 114. */
        LETTERBOX;

        /** The resize a model of the task is trained, evaluated and served with. */
        public io.streamtune.vision.preprocess.ResizeMode mode(io.streamtune.contracts.Task task) {
            return switch (this) {
                case STRETCH -> io.streamtune.vision.preprocess.ResizeMode.STRETCH;
                case LETTERBOX -> io.streamtune.vision.preprocess.ResizeMode.LETTERBOX;
                case AUTO ->
                        task == io.streamtune.contracts.Task.CLASSIFICATION
                                ? io.streamtune.vision.preprocess.ResizeMode.STRETCH
                                : io.streamtune.vision.preprocess.ResizeMode.LETTERBOX;
            };
        }
    }

    /** Where published artifacts are stored. */
    public enum ArtifactStoreKind {
        KAFKA,
        FILE
    }

    public TrainerConfig {
        baseModels = Map.copyOf(baseModels);
    }

    /** Reads and checks the configuration. */
    public static TrainerConfig from(ConfigSource config) {
        ServiceConfig service = ServiceConfig.from(config, "trainer", DEFAULT_HTTP_PORT);
        Path dataDir = ServiceConfig.DATA_DIR.get(config);
        int inputSize = config.integer("trainer.input.size", 32, 8, 1024);
        if (inputSize % 4 != 0) {
            throw new ConfigException(
                    "trainer.input.size", "must be a multiple of 4, was " + inputSize);
        }
        Augmentation augmentation =
                new Augmentation(
                        config.bool("trainer.augment.flip", true),
                        config.decimal("trainer.augment.crop.min.scale", 0.7, 0.05, 1.0),
                        config.decimal("trainer.augment.rotation.degrees", 10, 0, 180),
                        config.decimal("trainer.augment.colour.jitter", 0.2, 0, 1));
        Schedule schedule =
                new Schedule(
                        config.integer("trainer.epochs.head", 8, 1, 10_000),
                        config.integer("trainer.epochs.finetune", 8, 0, 10_000),
                        config.integer("trainer.batch.size", 32, 2, 4096),
                        config.decimal("trainer.lr", 3e-3, 1e-7, 10),
                        config.decimal("trainer.finetune.lr.factor", 0.1, 1e-4, 1),
                        config.integer("trainer.finetune.blocks", 2, 0, 1000),
                        config.integer("trainer.early.stopping.patience", 3, 1, 1000),
                        augmentation,
                        config.integer("trainer.seed", 7, 0, Integer.MAX_VALUE));
        Pretrainer.Options pretrain =
                new Pretrainer.Options(
                        config.choice("trainer.pretrain.source", Pretrainer.Source.SYNTHETIC),
                        inputSize,
                        config.integer("trainer.pretrain.samples", 4000, 10, 60_000),
                        config.integer("trainer.pretrain.epochs", 6, 1, 1000),
                        Set.of(),
                        1L);
        Map<String, Path> bases = new LinkedHashMap<>();
        config.withPrefix("trainer.model.")
                .forEach(
                        (k, v) -> {
                            if (!k.endsWith(".base")) {
                                throw new ConfigException(
                                        "trainer.model." + k,
                                        "unknown key (only trainer.model.<name>.base)");
                            }
                            bases.put(
                                    k.substring(0, k.length() - 5),
                                    modelFile("trainer.model." + k, v));
                        });
        if (config.string("trainer.validation.percent", null) != null) {
            throw new ConfigException(
                    "trainer.validation.percent",
                    "replaced by trainer.split.gate.percent (samples only the gate sees, default 20)"
                            + " and trainer.split.selection.percent (early stopping, default 15)");
        }
        int gatePercent = config.integer("trainer.split.gate.percent", 20, 1, 80);
        int selectionPercent = config.integer("trainer.split.selection.percent", 15, 1, 80);
        if (gatePercent + selectionPercent > 90) {
            throw new ConfigException(
                    "trainer.split.selection.percent",
                    "gate "
                            + gatePercent
                            + "% + selection "
                            + selectionPercent
                            + "% leave less than 10% to train on");
        }
        String base = config.string("trainer.base.model", null);
        Path defaultBase = base == null ? null : modelFile("trainer.base.model", base);
        return new TrainerConfig(
                service,
                dataDir,
                config.string("trainer.group.id", "streamtune-trainer"),
                inputSize,
                gatePercent,
                selectionPercent,
                config.integer("trainer.min.samples", 10, 2, Integer.MAX_VALUE),
                config.integer("trainer.train.max.samples", 3000, 0, Integer.MAX_VALUE),
                schedule,
                config.decimal("trainer.label.smoothing", 0.05, 0, 0.99),
                config.integer("trainer.classification.hidden", 0, 0, 65_536),
                config.integer("trainer.head.hidden", 32, 4, 4096),
                config.choice("trainer.detection.head", DetectionHeadKind.REUSE),
                config.choice("trainer.resize", InputFit.AUTO),
                config.integer("trainer.feature.cache.mb", 1024, 0, 1 << 20) * (1L << 20),
                new Gate.Settings(
                        config.decimal("trainer.gate.min.delta", 0.0, 0, 0.99),
                        config.decimal("trainer.gate.floor", 0.5, 0, 1),
                        config.decimal("trainer.gate.confidence", 0.95, 0.5, 0.999),
                        config.integer("trainer.gate.resamples", 2000, 100, 1_000_000),
                        config.integer("trainer.gate.min.samples", 20, 1, Integer.MAX_VALUE),
                        config.integer("trainer.gate.min.per.class", 3, 0, Integer.MAX_VALUE),
                        config.decimal("trainer.gate.class.max.drop", 0.2, 0, 1)),
                new io.streamtune.trainer.publish.Rollout.Settings(
                        config.integer("trainer.shadow.frames", 200, 0, Integer.MAX_VALUE),
                        config.decimal("trainer.shadow.min.agreement", 0.5, 0, 1),
                        config.decimal("trainer.shadow.max.failure.rate", 0.01, 0, 1),
                        config.bool("trainer.rollback.auto", true),
                        config.integer("trainer.rollback.min.frames", 100, 1, Integer.MAX_VALUE),
                        config.decimal("trainer.rollback.max.failure.rate", 0.05, 0, 1),
                        config.decimal("trainer.rollback.max.confidence.shift", 0.25, 0, 1)),
                config.integer("trainer.retain.versions", 5, 1, 10_000),
                config.choice("trainer.artifact.store", ArtifactStoreKind.KAFKA),
                config.path("trainer.artifact.dir", dataDir.resolve("artifacts")),
                pretrain,
                bases,
                defaultBase,
                fallbackBase(config.string("trainer.base.default", "zoo:centernet")),
                zooInputSize(config.integer("trainer.base.input.size", 0, 0, 1024)),
                config.integer("trainer.threads", 2, 1, 256),
                config.integer("trainer.torch.threads", 1, 1, 256),
                config.bool("trainer.pretrain.eager", false),
                io.streamtune.trainer.style.StyleSettings.from(config),
                io.streamtune.runtime.AnnouncementSigner.from(config).orElse(null));
    }

    /**
     * Applies {@link #torchThreads} to DJL's PyTorch engine; call before the engine loads (first
     * training).
     */
    public void applyTorchThreads() {
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(torchThreads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    }

    private static String fallbackBase(String value) {
        String v = value.strip();
        if (v.equals("synthetic")) {
            return v;
        }
        if (!Zoo.isReference(v) || ZooCatalog.find(v.substring(Zoo.PREFIX.length())).isEmpty()) {
            throw new ConfigException(
                    "trainer.base.default",
                    "must be 'synthetic' or zoo:NAME with a name from ./streamtune zoo list, was '"
                            + v
                            + "'");
        }
        return v;
    }

    private static int zooInputSize(int size) {
        if (size % 32 != 0) {
            throw new ConfigException(
                    "trainer.base.input.size", "must be 0 or a multiple of 32, was " + size);
        }
        return size;
    }

    /** The input size to train a zoo network at for a task. */
    public int zooInputSize(io.streamtune.contracts.Task task) {
        if (zooInputSize > 0) {
            return zooInputSize;
        }
        return switch (task) {
            case CLASSIFICATION -> 224;
            case DETECTION, INSTANCE_SEGMENTATION -> 320;
            case SEGMENTATION, STYLIZATION -> 256;
        };
    }

    /** {@code p} signed with {@code models.signing.key}, or as is when no key is set. */
    public io.streamtune.contracts.ModelPublished sign(io.streamtune.contracts.ModelPublished p) {
        return signer == null ? p : signer.sign(p);
    }

    /** The base ONNX file configured for a model, null when none. */
    public Path baseModelFor(String model) {
        return baseModels.getOrDefault(model, defaultBaseModel);
    }

    /** Directory of one model's dataset and versions. */
    public Path modelDir(String model) {
        return dataDir.resolve("trainer").resolve(model);
    }

    /** Cache directory of pre-trained backbones. */
    public Path backboneCache() {
        return dataDir.resolve("trainer").resolve("backbones");
    }

    /** An ONNX file, or {@code zoo:NAME} fetched and converted once (see {@link Zoo}). */
    private static Path modelFile(String key, String value) {
        try {
            return Zoo.modelFile(value, LOG::info);
        } catch (ZooException e) {
            throw new ConfigException(key, e.getMessage());
        }
    }
}
