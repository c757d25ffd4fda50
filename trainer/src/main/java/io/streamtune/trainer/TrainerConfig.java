package io.streamtune.trainer;

import io.streamtune.contracts.Task;
import io.streamtune.runtime.ConfigDef;
import io.streamtune.runtime.ConfigDef.Setting;
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
 * its key. Each key, its default, range and meaning is declared once in {@link #DEF} (the style
 * keys in {@link io.streamtune.trainer.style.StyleSettings#DEF}); the README's tables are generated
 * from those declarations.
 *
 * @param dataDir datasets under {@code trainer/<model>/}, version manifests, the pre-trained
 *     backbone cache, the file artifact store
 * @param featureCacheBytes {@code trainer.feature.cache.mb} in bytes
 * @param baseModels {@code trainer.model.<name>.base}, by model name
 * @param defaultBaseModel {@code trainer.base.model}, null when unset
 * @param fallbackBase {@code trainer.base.default}: {@code zoo:NAME} or {@code synthetic}
 * @param zooInputSize {@code trainer.base.input.size}; 0 = by task ({@link #zooInputSize(Task)})
 * @param signer {@code models.signing.key}: when set, every announcement this trainer writes is
 *     signed with it (HMAC-SHA256); null when unset
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

    /** Every trainer key, declared once: the README's table is generated from it. */
    public static final ConfigDef DEF = new ConfigDef("trainer");

    private static final Setting<String> GROUP_ID =
            DEF.string(
                    "trainer.group.id",
                    "streamtune-trainer",
                    "consumer group of the trigger consumers; trainers in a group split the models"
                            + " by partition");
    private static final Setting<Integer> INPUT_SIZE =
            DEF.integer(
                    "trainer.input.size",
                    32,
                    8,
                    1024,
                    "input size of models built on the synthetic backbone (multiple of 4)");
    private static final Setting<Integer> GATE_PERCENT =
            DEF.integer(
                    "trainer.split.gate.percent",
                    20,
                    1,
                    80,
                    "share of samples only the gate sees, chosen by a hash of the sample id (a"
                            + " sample never changes split as data grows; changing this moves"
                            + " samples)");
    private static final Setting<Integer> SELECTION_PERCENT =
            DEF.integer(
                    "trainer.split.selection.percent",
                    15,
                    1,
                    80,
                    "share that chooses the epoch (early stopping) and nothing else; the rest"
                            + " trains (gate + selection at most 90)");
    private static final Setting<Integer> MIN_SAMPLES =
            DEF.integer(
                    "trainer.min.samples",
                    10,
                    2,
                    Integer.MAX_VALUE,
                    "fewer usable samples fail the run");
    private static final Setting<Integer> MAX_TRAIN_SAMPLES =
            DEF.integer(
                    "trainer.train.max.samples",
                    3000,
                    0,
                    Integer.MAX_VALUE,
                    "most training samples one run decodes and holds in memory (0 = all; ~0.6 MB"
                            + " each at 224 px, 1.2 MB at 320 px); beyond it the run trains on the"
                            + " samples accepted since production was published plus a"
                            + " class-balanced replay of older ones (at least half of the cap when"
                            + " there are that many), so a fine-tuned version keeps seeing what"
                            + " production knew; selection and gate samples are always all used");
    private static final Setting<Integer> EPOCHS_HEAD =
            DEF.integer(
                    "trainer.epochs.head",
                    8,
                    1,
                    10_000,
                    "phase 1 epochs (on cached backbone outputs: cheap)");
    private static final Setting<Integer> EPOCHS_FINETUNE =
            DEF.integer(
                    "trainer.epochs.finetune",
                    8,
                    0,
                    10_000,
                    "phase 2 epochs at most (0 = feature extraction only)");
    private static final Setting<Integer> BATCH_SIZE =
            DEF.integer("trainer.batch.size", 32, 2, 4096, "samples per training step");
    private static final Setting<Double> LR =
            DEF.decimal("trainer.lr", 3e-3, 1e-7, 10, "Adam learning rate of the head");
    private static final Setting<Double> FINETUNE_LR_FACTOR =
            DEF.decimal(
                    "trainer.finetune.lr.factor",
                    0.1,
                    1e-4,
                    1,
                    "learning rate factor of the unfrozen backbone blocks");
    private static final Setting<Integer> FINETUNE_BLOCKS =
            DEF.integer(
                    "trainer.finetune.blocks",
                    2,
                    0,
                    1000,
                    "K, backbone blocks unfrozen in phase 2 (a block ends at a residual Add, else"
                            + " at each Conv)");
    private static final Setting<Integer> PATIENCE =
            DEF.integer(
                    "trainer.early.stopping.patience",
                    3,
                    1,
                    1000,
                    "phase 2 epochs without improvement on the selection split before stopping");
    private static final Setting<Integer> SEED =
            DEF.integer(
                    "trainer.seed",
                    7,
                    0,
                    Integer.MAX_VALUE,
                    "head initialisation, shuffling, augmentation");
    private static final Setting<Boolean> AUGMENT_FLIP =
            DEF.bool("trainer.augment.flip", true, "horizontal flip");
    private static final Setting<Double> AUGMENT_CROP =
            DEF.decimal(
                    "trainer.augment.crop.min.scale",
                    0.7,
                    0.05,
                    1,
                    "random resized crop keeps an area share in [min, 1] (1 disables)");
    private static final Setting<Double> AUGMENT_ROTATION =
            DEF.decimal("trainer.augment.rotation.degrees", 10, 0, 180, "rotation in [-d, d]");
    private static final Setting<Double> AUGMENT_JITTER =
            DEF.decimal("trainer.augment.colour.jitter", 0.2, 0, 1, "brightness/contrast jitter");
    private static final Setting<Double> LABEL_SMOOTHING =
            DEF.decimal("trainer.label.smoothing", 0.05, 0, 0.99, "classification only");
    private static final Setting<Integer> CLASSIFICATION_HIDDEN =
            DEF.integer(
                    "trainer.classification.hidden",
                    0,
                    0,
                    65_536,
                    "width of a hidden ReLU layer between pooling and the classifier (0 = none)");
    private static final Setting<Integer> HEAD_HIDDEN =
            DEF.integer(
                    "trainer.head.hidden",
                    32,
                    4,
                    4096,
                    "channels of the segmentation and detection heads grafted on a backbone");
    private static final Setting<DetectionHeadKind> DETECTION_HEAD =
            DEF.choice(
                    "trainer.detection.head",
                    DetectionHeadKind.REUSE,
                    "a detector trained from a CenterNet base (`zoo:centernet`, or a version"
                            + " trained from it) keeps its neck and box heads and rebuilds only"
                            + " the class heatmap, keeping the pretrained channel of every class"
                            + " the base knows by name (`person`, `car`…; VOC spellings such as"
                            + " `motorbike`, `tvmonitor` too); `fresh` grafts a new head on its"
                            + " backbone instead");
    private static final Setting<Integer> FEATURE_CACHE_MB =
            DEF.integer(
                    "trainer.feature.cache.mb",
                    1024,
                    0,
                    1 << 20,
                    "most memory (MiB) phase 1 (and phase 2 without augmentation) holds as"
                            + " cached frozen-part outputs of the training images (a CenterNet"
                            + " neck at 320 px: 3.3 MB per image); beyond it the frozen part runs"
                            + " again for each batch");
    private static final Setting<Double> GATE_MIN_DELTA =
            DEF.decimal(
                    "trainer.gate.min.delta",
                    0.0,
                    0,
                    0.99,
                    "the lower end of the interval of candidate − production must exceed this (a"
                            + " tie never publishes)");
    private static final Setting<Double> GATE_FLOOR =
            DEF.decimal(
                    "trainer.gate.floor",
                    0.5,
                    0,
                    1,
                    "the lower end of a first model's interval must reach this");
    private static final Setting<Double> GATE_CONFIDENCE =
            DEF.decimal(
                    "trainer.gate.confidence",
                    0.95,
                    0.5,
                    0.999,
                    "two-sided confidence level of the gate's intervals");
    private static final Setting<Integer> GATE_RESAMPLES =
            DEF.integer(
                    "trainer.gate.resamples", 2000, 100, 1_000_000, "paired bootstrap resamples");
    private static final Setting<Integer> GATE_MIN_SAMPLES =
            DEF.integer(
                    "trainer.gate.min.samples",
                    20,
                    1,
                    Integer.MAX_VALUE,
                    "fewer gate samples is \"not enough evidence to judge\" (checked before"
                            + " training)");
    private static final Setting<Integer> GATE_MIN_PER_CLASS =
            DEF.integer(
                    "trainer.gate.min.per.class",
                    3,
                    0,
                    Integer.MAX_VALUE,
                    "likewise for any class of a classifier");
    private static final Setting<Double> GATE_CLASS_MAX_DROP =
            DEF.decimal(
                    "trainer.gate.class.max.drop",
                    0.2,
                    0,
                    1,
                    "a candidate confidently worse than production on some class by more than"
                            + " this (recall, IoU or AP, paired bootstrap at"
                            + " `trainer.gate.confidence`) is rejected `FORGETS_CLASS`, naming the"
                            + " class; 1 = no per-class check");
    private static final Setting<Integer> SHADOW_FRAMES =
            DEF.integer(
                    "trainer.shadow.frames",
                    200,
                    0,
                    Integer.MAX_VALUE,
                    "shadow frames, over all inference instances, before a candidate is promoted;"
                            + " 0 = the gate publishes directly");
    private static final Setting<Double> SHADOW_MIN_AGREEMENT =
            DEF.decimal(
                    "trainer.shadow.min.agreement",
                    0.5,
                    0,
                    1,
                    "a candidate agreeing less with production in shadow is rejected; capped at"
                            + " production's own metric at the gate (a better candidate must"
                            + " disagree where production is wrong)");
    private static final Setting<Double> SHADOW_MAX_FAILURE_RATE =
            DEF.decimal(
                    "trainer.shadow.max.failure.rate",
                    0.01,
                    0,
                    1,
                    "a candidate failing this much more often than production in shadow is"
                            + " rejected");
    private static final Setting<Boolean> ROLLBACK_AUTO =
            DEF.bool(
                    "trainer.rollback.auto",
                    true,
                    "roll production back by itself on a live regression");
    private static final Setting<Integer> ROLLBACK_MIN_FRAMES =
            DEF.integer(
                    "trainer.rollback.min.frames",
                    100,
                    1,
                    Integer.MAX_VALUE,
                    "live frames of the production version before it is judged");
    private static final Setting<Double> ROLLBACK_MAX_FAILURE_RATE =
            DEF.decimal(
                    "trainer.rollback.max.failure.rate",
                    0.05,
                    0,
                    1,
                    "live failure rate that rolls it back");
    private static final Setting<Double> ROLLBACK_MAX_CONFIDENCE_SHIFT =
            DEF.decimal(
                    "trainer.rollback.max.confidence.shift",
                    0.25,
                    0,
                    1,
                    "change of mean confidence from its shadow phase that rolls it back");
    private static final Setting<Integer> RETAIN_VERSIONS =
            DEF.integer(
                    "trainer.retain.versions",
                    5,
                    1,
                    10_000,
                    "stored versions per model; older artifacts and manifests are deleted (never"
                            + " production's)");
    private static final Setting<ArtifactStoreKind> ARTIFACT_STORE =
            DEF.choice(
                    "trainer.artifact.store",
                    ArtifactStoreKind.KAFKA,
                    "`kafka` (chunked, compacted `models.artifacts`) or `file`");
    private static final Setting<Path> ARTIFACT_DIR =
            DEF.path(
                    "trainer.artifact.dir", null, "<data.dir>/artifacts", "root of the file store");
    private static final Setting<Pretrainer.Source> PRETRAIN_SOURCE =
            DEF.choice(
                    "trainer.pretrain.source",
                    Pretrainer.Source.SYNTHETIC,
                    "the synthetic backbone's pre-training data: generated one-shape scenes, or"
                            + " Fashion-MNIST (falls back to `synthetic` when the Debian package"
                            + " is missing)");
    private static final Setting<Integer> PRETRAIN_SAMPLES =
            DEF.integer(
                    "trainer.pretrain.samples",
                    4000,
                    10,
                    60_000,
                    "images the synthetic backbone is pre-trained on");
    private static final Setting<Integer> PRETRAIN_EPOCHS =
            DEF.integer("trainer.pretrain.epochs", 6, 1, 1000, "its pre-training epochs");
    private static final Setting<Boolean> PRETRAIN_EAGER =
            DEF.bool(
                    "trainer.pretrain.eager",
                    false,
                    "pre-train the synthetic backbone in the background at start-up, so the first"
                            + " run finds it ready (the demo turns it on)");
    private static final Setting<Void> MODEL_BASE =
            DEF.family(
                    "trainer.model.<name>.base",
                    "path",
                    "a user ONNX file (or `zoo:NAME`) to start model `<name>` from");
    private static final Setting<String> BASE_MODEL =
            DEF.string(
                    "trainer.base.model",
                    null,
                    "the same for every model without its own (`zoo:NAME` accepted everywhere an"
                            + " ONNX file is)");
    private static final Setting<String> BASE_DEFAULT =
            DEF.string(
                    "trainer.base.default",
                    "zoo:centernet",
                    "base of a model with no configured base and no production version:"
                            + " `zoo:NAME` or `synthetic`; an unavailable zoo model falls back to"
                            + " `synthetic` with one WARN line");
    private static final Setting<InputFit> RESIZE =
            DEF.choice(
                    "trainer.resize",
                    InputFit.AUTO,
                    "how an image is fitted to the square input, in training, evaluation and"
                            + " serving alike (the exported model's metadata carries it): `auto`"
                            + " letterboxes detection and segmentation (aspect kept, centred, grey"
                            + " 114 padding; boxes and masks mapped through the same transform,"
                            + " padding ignored by the loss) and stretches classification;"
                            + " `stretch` or `letterbox` for every task");
    private static final Setting<Integer> BASE_INPUT_SIZE =
            DEF.integer(
                    "trainer.base.input.size",
                    0,
                    0,
                    1024,
                    "input size on a zoo base; 0 = 224 classification, 320 detection, 256"
                            + " segmentation (multiple of 32)");
    private static final Setting<Integer> THREADS =
            DEF.integer(
                    "trainer.threads",
                    2,
                    1,
                    256,
                    "ONNX Runtime threads (feature caching, evaluation)");
    private static final Setting<Integer> TORCH_THREADS =
            DEF.integer(
                    "trainer.torch.threads",
                    1,
                    1,
                    256,
                    "PyTorch intra-op threads. On a loaded 2-core machine, 2 threads ran the same"
                            + " training **13× slower** than 1 (spinning workers); raise it only on"
                            + " idle cores");
    private static final Setting<Void> STYLE =
            DEF.family(
                    "trainer.style.*",
                    "see below",
                    "how stylization models are built and trained: [style transfer](#style-transfer)");

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
        int inputSize = INPUT_SIZE.get(config);
        if (inputSize % 4 != 0) {
            throw new ConfigException(
                    INPUT_SIZE.name(), "must be a multiple of 4, was " + inputSize);
        }
        Augmentation augmentation =
                new Augmentation(
                        AUGMENT_FLIP.get(config),
                        AUGMENT_CROP.get(config),
                        AUGMENT_ROTATION.get(config),
                        AUGMENT_JITTER.get(config));
        Schedule schedule =
                new Schedule(
                        EPOCHS_HEAD.get(config),
                        EPOCHS_FINETUNE.get(config),
                        BATCH_SIZE.get(config),
                        LR.get(config),
                        FINETUNE_LR_FACTOR.get(config),
                        FINETUNE_BLOCKS.get(config),
                        PATIENCE.get(config),
                        augmentation,
                        SEED.get(config));
        Pretrainer.Options pretrain =
                new Pretrainer.Options(
                        PRETRAIN_SOURCE.get(config),
                        inputSize,
                        PRETRAIN_SAMPLES.get(config),
                        PRETRAIN_EPOCHS.get(config),
                        Set.of(),
                        1L);
        Map<String, Path> bases = new LinkedHashMap<>();
        config.withPrefix("trainer.model.")
                .forEach(
                        (k, v) -> {
                            if (!k.endsWith(".base")) {
                                throw new ConfigException(
                                        "trainer.model." + k,
                                        "unknown key (only " + MODEL_BASE.name() + ")");
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
        int gatePercent = GATE_PERCENT.get(config);
        int selectionPercent = SELECTION_PERCENT.get(config);
        if (gatePercent + selectionPercent > 90) {
            throw new ConfigException(
                    SELECTION_PERCENT.name(),
                    "gate "
                            + gatePercent
                            + "% + selection "
                            + selectionPercent
                            + "% leave less than 10% to train on");
        }
        String base = BASE_MODEL.get(config);
        Path defaultBase = base == null ? null : modelFile(BASE_MODEL.name(), base);
        return new TrainerConfig(
                service,
                dataDir,
                GROUP_ID.get(config),
                inputSize,
                gatePercent,
                selectionPercent,
                MIN_SAMPLES.get(config),
                MAX_TRAIN_SAMPLES.get(config),
                schedule,
                LABEL_SMOOTHING.get(config),
                CLASSIFICATION_HIDDEN.get(config),
                HEAD_HIDDEN.get(config),
                DETECTION_HEAD.get(config),
                RESIZE.get(config),
                FEATURE_CACHE_MB.get(config) * (1L << 20),
                new Gate.Settings(
                        GATE_MIN_DELTA.get(config),
                        GATE_FLOOR.get(config),
                        GATE_CONFIDENCE.get(config),
                        GATE_RESAMPLES.get(config),
                        GATE_MIN_SAMPLES.get(config),
                        GATE_MIN_PER_CLASS.get(config),
                        GATE_CLASS_MAX_DROP.get(config)),
                new io.streamtune.trainer.publish.Rollout.Settings(
                        SHADOW_FRAMES.get(config),
                        SHADOW_MIN_AGREEMENT.get(config),
                        SHADOW_MAX_FAILURE_RATE.get(config),
                        ROLLBACK_AUTO.get(config),
                        ROLLBACK_MIN_FRAMES.get(config),
                        ROLLBACK_MAX_FAILURE_RATE.get(config),
                        ROLLBACK_MAX_CONFIDENCE_SHIFT.get(config)),
                RETAIN_VERSIONS.get(config),
                ARTIFACT_STORE.get(config),
                ARTIFACT_DIR.get(config, dataDir.resolve("artifacts")),
                pretrain,
                bases,
                defaultBase,
                fallbackBase(BASE_DEFAULT.get(config)),
                zooInputSize(BASE_INPUT_SIZE.get(config)),
                THREADS.get(config),
                TORCH_THREADS.get(config),
                PRETRAIN_EAGER.get(config),
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
    public int zooInputSize(Task task) {
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
