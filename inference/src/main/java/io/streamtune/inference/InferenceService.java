package io.streamtune.inference;

import io.streamtune.contracts.ModelSwapReported;
import io.streamtune.contracts.Topic;
import io.streamtune.contracts.Topics;
import io.streamtune.inference.model.ModelFollower;
import io.streamtune.inference.model.ModelSlot;
import io.streamtune.inference.model.ModelSwapper;
import io.streamtune.inference.model.ServingModel;
import io.streamtune.inference.stream.BatchPredictor;
import io.streamtune.inference.stream.FramePipeline;
import io.streamtune.runtime.Health;
import io.streamtune.runtime.KafkaSettings;
import io.streamtune.runtime.ServiceShell;
import io.streamtune.vision.artifact.ArtifactStore;
import io.streamtune.vision.artifact.FileArtifactStore;
import io.streamtune.vision.artifact.KafkaArtifactStore;
import io.streamtune.vision.image.ImageDecoder;
import io.streamtune.vision.model.ModelLoadException;
import io.streamtune.vision.model.ModelRunner;
import io.streamtune.vision.model.OnnxModelRunner;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running inference service: everything it holds, created here and closed in one place. One
 * instance serves one model or several ({@code inference.models}); each has its own slot, follower,
 * shadow slot, micro-batching pipeline (its own consumer group on the frames topic), metrics tagged
 * with its name and health checks, so each is swapped, batched and scaled out on its own.
 */
public final class InferenceService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InferenceService.class);

    /**
     * One model this instance serves.
     *
     * @param model its name
     * @param slot the serving version
     * @param metrics its meters (tag {@code model})
     * @param pipeline its frames pipeline
     */
    public record Served(
            String model, ModelSlot slot, InferenceMetrics metrics, FramePipeline pipeline) {}

    private final ServiceShell shell;
    private final List<Served> served;

    private InferenceService(ServiceShell shell, List<Served> served) {
        this.shell = shell;
        this.served = List.copyOf(served);
    }

    /**
     * Starts the service: topics provisioned, the file model (if any) loaded, model follower and
     * frame pipeline running, HTTP up.
     */
    public static InferenceService start(InferenceConfig config) {
        return start(List.of(config));
    }

    /**
     * Starts one instance serving every model of {@code configs} ({@link InferenceConfig#all}); the
     * first one's service settings (HTTP, Kafka, artifact store) are the instance's.
     */
    public static InferenceService start(List<InferenceConfig> configs) {
        if (configs.isEmpty()) {
            throw new IllegalArgumentException("no model to serve");
        }
        InferenceConfig config = configs.get(0);
        List<Topic<?, ?>> owned = new java.util.ArrayList<>();
        for (String frames :
                new java.util.TreeSet<>(
                        configs.stream().map(InferenceConfig::framesTopic).toList())) {
            Topic<String, byte[]> topic = framesTopic(frames);
            owned.add(topic);
            owned.add(topic.deadLetters());
        }
        ServiceShell shell =
                ServiceShell.start(
                        config.service(),
                        concat(
                                owned,
                                Topics.FRAMES,
                                Topics.FRAMES.deadLetters(),
                                Topics.PREDICTIONS_DETECTIONS,
                                Topics.PREDICTIONS_SEGMENTATIONS,
                                Topics.PREDICTIONS_CLASSIFICATIONS,
                                Topics.PREDICTIONS_STYLIZATIONS,
                                Topics.INFERENCE_EVENTS,
                                Topics.MODELS_PUBLISHED,
                                Topics.MODELS_ARTIFACTS,
                                Topics.MODELS_CANDIDATES,
                                Topics.MODELS_PUBLISHED.deadLetters(),
                                Topics.MODELS_CANDIDATES.deadLetters(),
                                Topics.MODELS_LIVE,
                                Topics.SHADOW_DETECTIONS,
                                Topics.SHADOW_SEGMENTATIONS,
                                Topics.SHADOW_CLASSIFICATIONS,
                                Topics.LABELLING_REQUESTS));
        try {
            KafkaSettings kafka = config.service().kafka();
            String instance = config.service().instanceId();
            ArtifactStore store =
                    shell.manage(
                            ArtifactStore.routing(
                                    new KafkaArtifactStore(
                                            kafka.common(instance + "-artifacts"),
                                            kafka.topic(Topics.MODELS_ARTIFACTS.name()),
                                            KafkaArtifactStore.DEFAULT_CHUNK_BYTES,
                                            config.artifactTimeout()),
                                    new FileArtifactStore(config.artifactsDir())));
            boolean many = configs.size() > 1;
            List<Served> served = new java.util.ArrayList<>();
            for (InferenceConfig c : configs) {
                served.add(wire(c, shell, store, many));
            }
            if (many) {
                log.info(
                        "serving {} models in one instance: {}",
                        served.size(),
                        served.stream().map(Served::model).toList());
            }
            return new InferenceService(shell, served);
        } catch (RuntimeException e) {
            shell.close();
            throw e;
        }
    }

    /** A frames topic by name, made like {@link Topics#FRAMES} (partitions, retention). */
    static Topic<String, byte[]> framesTopic(String name) {
        return name.equals(Topics.FRAMES.name())
                ? Topics.FRAMES
                : new Topic<>(
                        name,
                        Topics.FRAMES.keySerde(),
                        Topics.FRAMES.valueSerde(),
                        Topics.FRAMES.spec());
    }

    /** {@code first}, then {@code rest} not already in it (by name). */
    private static List<Topic<?, ?>> concat(List<Topic<?, ?>> first, Topic<?, ?>... rest) {
        List<Topic<?, ?>> out = new java.util.ArrayList<>(first);
        for (Topic<?, ?> t : rest) {
            if (out.stream().noneMatch(o -> o.name().equals(t.name()))) {
                out.add(t);
            }
        }
        return out;
    }

    /**
     * Wires one model: with {@code many}, its Kafka clients and reports carry {@code
     * <instance>-<model>} and its health checks end in {@code :<model>}.
     */
    private static Served wire(
            InferenceConfig config, ServiceShell shell, ArtifactStore store, boolean many) {
        KafkaSettings kafka = config.service().kafka();
        String instance =
                many
                        ? config.service().instanceId() + "-" + config.model()
                        : config.service().instanceId();
        String checkSuffix = many ? ":" + config.model() : "";
        Clock clock = Clock.systemUTC();
        InferenceMetrics metrics = new InferenceMetrics(shell.registry(), config.model());
        ModelSlot slot = shell.manage(new ModelSlot());
        shell.health()
                .register(
                        "model" + checkSuffix,
                        () ->
                                slot.peek()
                                        .map(m -> Health.Status.up("serving " + m))
                                        .orElse(
                                                Health.Status.down(
                                                        "no model loaded yet for "
                                                                + config.model())));

        config.modelFile().ifPresent(file -> serveFile(config, file, slot, metrics));

        io.streamtune.inference.shadow.LiveSignals signals = null;
        if (config.followPublished()) {
            KafkaProducer<byte[], byte[]> events =
                    new KafkaProducer<>(kafka.producer(instance + "-events"));
            shell.manage(() -> events.close(Duration.ofSeconds(5)));
            Topic<String, ModelSwapReported> eventsTopic = kafka.topic(Topics.INFERENCE_EVENTS);
            ModelSwapper swapper =
                    new ModelSwapper(
                            instance,
                            store,
                            config.runner(),
                            slot,
                            metrics,
                            report ->
                                    events.send(
                                            eventsTopic.record(instance, report),
                                            (metadata, error) -> {
                                                if (error != null) {
                                                    log.warn(
                                                            "swap report for {} v{} not delivered"
                                                                    + " to {}: {}",
                                                            report.model(),
                                                            report.version(),
                                                            eventsTopic.name(),
                                                            error.toString());
                                                }
                                            }),
                            clock,
                            config.signer());
            Map<String, Object> followerProps = new HashMap<>(kafka.common(instance + "-models"));
            followerProps.put(
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                    org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName());
            followerProps.put(
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                    org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName());
            followerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            followerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            // Announcements that cannot be read are dead-lettered beside their topic.
            String publishedDlq = kafka.topic(Topics.MODELS_PUBLISHED.deadLetters().name());
            String candidatesDlq = kafka.topic(Topics.MODELS_CANDIDATES.deadLetters().name());
            ModelFollower follower =
                    shell.manage(
                            new ModelFollower(
                                            new KafkaConsumer<>(followerProps),
                                            Topics.MODELS_PUBLISHED.withPrefix(kafka.topicPrefix()),
                                            config.model(),
                                            swapper,
                                            slot,
                                            null,
                                            letter -> deadLetter(events, publishedDlq, letter))
                                    .start());
            ModelSlot shadowSlot = null;
            if (config.live().shadowShare() > 0) {
                shadowSlot = shell.manage(new ModelSlot());
                ModelSlot candidates = shadowSlot;
                ModelSwapper shadowSwapper =
                        new ModelSwapper(
                                instance + "-shadow",
                                store,
                                // one thread: shadow work never takes more than one core
                                io.streamtune.vision.model.RunnerOptions.withIntraOpThreads(1),
                                candidates,
                                new InferenceMetrics(
                                        new io.micrometer.core.instrument.simple
                                                .SimpleMeterRegistry(),
                                        config.model()),
                                report -> {},
                                clock,
                                config.signer());
                shell.manage(
                        new ModelFollower(
                                        new KafkaConsumer<>(followerProps),
                                        Topics.MODELS_CANDIDATES.withPrefix(kafka.topicPrefix()),
                                        config.model(),
                                        shadowSwapper,
                                        candidates,
                                        () -> {
                                            log.info("shadow phase of {} ended", config.model());
                                            candidates.install(null);
                                        },
                                        letter -> deadLetter(events, candidatesDlq, letter))
                                .start());
            }
            KafkaProducer<byte[], byte[]> live =
                    new KafkaProducer<>(kafka.producer(instance + "-live"));
            shell.manage(() -> live.close(Duration.ofSeconds(5)));
            signals =
                    new io.streamtune.inference.shadow.LiveSignals(
                            instance,
                            config.model(),
                            shadowSlot,
                            new BatchPredictor(
                                    new ImageDecoder(config.imageLimits()),
                                    config.detection(),
                                    config.topK(),
                                    new InferenceMetrics(
                                            new io.micrometer.core.instrument.simple
                                                    .SimpleMeterRegistry(),
                                            config.model()),
                                    clock),
                            config.live(),
                            live,
                            new io.streamtune.inference.shadow.LiveSignals.Topics(
                                    kafka.topic(Topics.MODELS_LIVE.name()),
                                    kafka.topic(Topics.SHADOW_CLASSIFICATIONS.name()),
                                    kafka.topic(Topics.SHADOW_DETECTIONS.name()),
                                    kafka.topic(Topics.SHADOW_SEGMENTATIONS.name())),
                            metrics,
                            clock);
            shell.health()
                    .registerLiveness(
                            "model-follower" + checkSuffix,
                            () ->
                                    follower.isAlive()
                                            ? Health.Status.up("following " + config.model())
                                            : Health.Status.down(
                                                    "model follower stopped; see the log"));
        }

        java.util.concurrent.ExecutorService frameWorkers = null;
        if (config.decodeThreads() > 1) {
            java.util.concurrent.atomic.AtomicInteger n =
                    new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.ExecutorService pool =
                    java.util.concurrent.Executors.newFixedThreadPool(
                            config.decodeThreads(),
                            r -> {
                                Thread t = new Thread(r, "frame-worker-" + n.incrementAndGet());
                                t.setDaemon(true);
                                return t;
                            });
            shell.manage(pool::shutdownNow);
            frameWorkers = pool;
        }
        BatchPredictor predictor =
                new BatchPredictor(
                        new ImageDecoder(config.imageLimits()),
                        config.detection(),
                        config.topK(),
                        metrics,
                        clock,
                        frameWorkers,
                        config.stylizationSize());
        Map<String, Object> producerProps = kafka.producer(instance + "-predictions");
        if (config.delivery() == InferenceConfig.Delivery.EXACTLY_ONCE) {
            producerProps.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, instance + "-predictions");
        }
        FramePipeline pipeline =
                shell.manage(
                        FramePipeline.start(
                                kafka.consumer(instance + "-frames", config.groupId()),
                                producerProps,
                                new FramePipeline.TopicNames(
                                        kafka.topic(config.framesTopic()),
                                        kafka.topic(
                                                framesTopic(config.framesTopic())
                                                        .deadLetters()
                                                        .name()),
                                        kafka.topic(Topics.PREDICTIONS_DETECTIONS.name()),
                                        kafka.topic(Topics.PREDICTIONS_SEGMENTATIONS.name()),
                                        kafka.topic(Topics.PREDICTIONS_CLASSIFICATIONS.name()),
                                        kafka.topic(Topics.PREDICTIONS_STYLIZATIONS.name())),
                                new FramePipeline.Settings(
                                        config.maxBatch(),
                                        config.maxWait(),
                                        config.delivery(),
                                        config.noModelPolicy(),
                                        config.noModelMaxWait(),
                                        config.cameras()),
                                predictor,
                                slot,
                                metrics,
                                clock));
        shell.bindClientMetrics(pipeline.producer());
        List<FramePipeline.Observer> observers = new java.util.ArrayList<>();
        if (signals != null) {
            observers.add(shell.manage(signals));
        }
        if (config.labelling() != null) {
            KafkaProducer<byte[], byte[]> labellingProducer =
                    new KafkaProducer<>(kafka.producer(instance + "-labelling"));
            shell.manage(() -> labellingProducer.close(Duration.ofSeconds(5)));
            var requests =
                    new io.streamtune.inference.labelling.LabellingRequests(
                            new io.streamtune.inference.labelling.LabellingSampler(
                                    config.labelling(), clock, instance.hashCode()),
                            labellingProducer,
                            kafka.topic(Topics.LABELLING_REQUESTS),
                            clock,
                            shell.registry(),
                            config.model());
            observers.add(requests);
            if (signals != null) {
                signals.onCompared(requests);
            }
        }
        pipeline.observe(FramePipeline.Observer.all(observers));
        shell.health()
                .registerLiveness(
                        "pipeline" + checkSuffix,
                        () ->
                                pipeline.isRunning()
                                        ? Health.Status.up("consuming frames")
                                        : Health.Status.down(
                                                "frame pipeline stopped: " + pipeline.failure()));
        return new Served(config.model(), slot, metrics, pipeline);
    }

    /**
     * Loads, warms up and serves the configured ONNX file; a file that does not load fails
     * start-up.
     */
    private static void serveFile(
            InferenceConfig config,
            java.nio.file.Path file,
            ModelSlot slot,
            InferenceMetrics metrics) {
        ModelRunner runner;
        try {
            if (java.nio.file.Files.isRegularFile(file)) {
                config.runner().checkSize(file.toString(), java.nio.file.Files.size(file));
            }
        } catch (ModelLoadException | java.io.IOException e) {
            throw new IllegalArgumentException(
                    "config 'inference.model.max.bytes': " + e.getMessage(), e);
        }
        try {
            runner = OnnxModelRunner.load(file, config.runner(), config.overrides());
        } catch (ModelLoadException e) {
            throw new IllegalArgumentException(
                    "config 'inference.model.file': " + e.getMessage(), e);
        }
        runner.warmUp();
        long fromMetadata = runner.spec().version();
        int version =
                config.modelFileVersion()
                        .orElse(
                                fromMetadata > 0 && fromMetadata <= Integer.MAX_VALUE
                                        ? (int) fromMetadata
                                        : 1);
        slot.install(new ServingModel(config.model(), version, runner, true));
        metrics.serving(version, false);
        log.info("serving {} v{} from {}", config.model(), version, file);
    }

    /** Health, metrics, HTTP and lifecycle of this service. */
    public ServiceShell shell() {
        return shell;
    }

    /** The serving slot of the first (or only) model. */
    public ModelSlot models() {
        return served.get(0).slot();
    }

    /** The first (or only) model's meters. */
    public InferenceMetrics metrics() {
        return served.get(0).metrics();
    }

    /** The first (or only) model's frames pipeline. */
    public FramePipeline pipeline() {
        return served.get(0).pipeline();
    }

    /** Every model this instance serves, in configuration order. */
    public List<Served> served() {
        return served;
    }

    /** One served model by name. */
    public Served served(String model) {
        return served.stream()
                .filter(s -> s.model().equals(model))
                .findFirst()
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "this instance does not serve " + model));
    }

    @Override
    public void close() {
        shell.close();
    }

    private static void deadLetter(
            KafkaProducer<byte[], byte[]> producer,
            String topic,
            io.streamtune.contracts.DeadLetter letter) {
        producer.send(
                letter.toProducerRecord(topic),
                (metadata, error) -> {
                    if (error != null) {
                        log.warn("dead letter to {} not delivered: {}", topic, error.toString());
                    }
                });
    }
}
