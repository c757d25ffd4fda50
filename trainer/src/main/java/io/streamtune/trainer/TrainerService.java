package io.streamtune.trainer;

import io.streamtune.contracts.Topics;
import io.streamtune.runtime.Health;
import io.streamtune.runtime.KafkaSettings;
import io.streamtune.runtime.ServiceShell;
import io.streamtune.trainer.publish.Rollback;
import io.streamtune.trainer.publish.Rollout;
import io.streamtune.trainer.run.TrainingRunner;
import io.streamtune.trainer.run.TriggerLoop;
import io.streamtune.trainer.train.ProgressListener;
import io.streamtune.vision.artifact.ArtifactStore;
import io.streamtune.vision.artifact.FileArtifactStore;
import io.streamtune.vision.artifact.KafkaArtifactStore;
import java.time.Clock;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;

/**
 * The running trainer service: everything it holds, closed in one place. Start-up only provisions
 * topics and joins the trigger group; the default backbone is pre-trained lazily by the first run
 * that needs it.
 */
public final class TrainerService implements AutoCloseable {

    private final ServiceShell shell;
    private final TrainingRunner runner;
    private final TriggerLoop triggers;
    private final ArtifactStore store;

    private TrainerService(
            ServiceShell shell, TrainingRunner runner, TriggerLoop triggers, ArtifactStore store) {
        this.shell = shell;
        this.runner = runner;
        this.triggers = triggers;
        this.store = store;
    }

    /** Starts the service: topics provisioned, HTTP up, trigger consumer joining its group. */
    public static TrainerService start(TrainerConfig config) {
        ServiceShell shell =
                ServiceShell.start(
                        config.service(),
                        List.of(
                                Topics.TRAINING_PROGRESS,
                                Topics.MODELS_PUBLISHED,
                                Topics.MODELS_REJECTED,
                                Topics.MODELS_ARTIFACTS,
                                Topics.MODELS_CANDIDATES,
                                Topics.MODELS_LIVE,
                                Topics.TRAINING_TRIGGERS.deadLetters()));
        try {
            KafkaSettings kafka = config.service().kafka();
            String instance = config.service().instanceId();
            TrainerMetrics metrics = new TrainerMetrics(shell.registry());
            Producer<byte[], byte[]> producer =
                    shell.manage(new KafkaProducer<>(kafka.producer(instance + "-producer")));
            shell.bindClientMetrics(producer);
            ArtifactStore store = shell.manage(artifactStore(config));
            TrainingRunner runner =
                    new TrainingRunner(
                            config,
                            TrainingRunner.parts(
                                    config,
                                    store,
                                    producer,
                                    metrics,
                                    ProgressListener.NONE,
                                    Clock.systemUTC()));
            org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> triggerConsumer =
                    new org.apache.kafka.clients.consumer.KafkaConsumer<>(
                            kafka.consumer(instance + "-triggers", config.groupId()));
            shell.bindClientMetrics(triggerConsumer);
            TriggerLoop loop =
                    new TriggerLoop(
                            triggerConsumer,
                            kafka.topic(Topics.TRAINING_TRIGGERS.name()),
                            model -> runner.run(model),
                            metrics,
                            (record, why) ->
                                    producer.send(
                                            io.streamtune.contracts.DeadLetter.of(
                                                            record,
                                                            "malformed_record",
                                                            "unreadable training trigger: " + why,
                                                            "trainer",
                                                            java.time.Instant.now())
                                                    .toProducerRecord(
                                                            kafka.topic(
                                                                    Topics.TRAINING_TRIGGERS
                                                                            .deadLetters()
                                                                            .name()))));
            shell.manage(loop);
            shell.health()
                    .register(
                            "triggers",
                            () ->
                                    loop.ready()
                                            ? Health.Status.up(
                                                    "consuming "
                                                            + kafka.topic(
                                                                    Topics.TRAINING_TRIGGERS.name())
                                                            + " in group "
                                                            + config.groupId())
                                            : Health.Status.down(
                                                    "trigger consumer has not joined group "
                                                            + config.groupId()));
            loop.start();
            shell.health()
                    .registerLiveness(
                            "trigger-loop",
                            () ->
                                    loop.isAlive()
                                            ? Health.Status.up("running")
                                            : Health.Status.down(
                                                    "trigger loop stopped; see the log"));
            var rollout = config.rollout();
            if (rollout.shadowFrames() > 0 || rollout.autoRollback()) {
                Rollout policy =
                        shell.manage(
                                new Rollout(
                                                rollout,
                                                Rollout.Topics.of(kafka),
                                                io.streamtune.runtime.KafkaSettings
                                                        .assignedConsumers(
                                                                kafka.consumer(
                                                                        instance + "-rollout",
                                                                        "unused"))
                                                        .get(),
                                                producer,
                                                new Rollback(
                                                        runner.registry(),
                                                        store,
                                                        producer,
                                                        kafka.topic(Topics.MODELS_PUBLISHED.name()),
                                                        Clock.systemUTC(),
                                                        config::sign,
                                                        Rollback.SEND_TIMEOUT),
                                                runner.registry(),
                                                metrics,
                                                Clock.systemUTC(),
                                                Rollback.SEND_TIMEOUT)
                                        .start());
                shell.health()
                        .registerLiveness(
                                "rollout",
                                () ->
                                        policy.isAlive()
                                                ? Health.Status.up(
                                                        "promoting candidates after "
                                                                + rollout.shadowFrames()
                                                                + " shadow frames"
                                                                + (rollout.autoRollback()
                                                                        ? ", rolling back live"
                                                                                + " regressions"
                                                                        : ""))
                                                : Health.Status.down(
                                                        "rollout policy stopped; see the log"));
            }
            if (config.pretrainEagerly() && config.defaultBaseModel() == null) {
                warmUpBackbone(config);
            }
            return new TrainerService(shell, runner, loop, store);
        } catch (RuntimeException e) {
            shell.close();
            throw e;
        }
    }

    /**
     * Fetches the default zoo base (or, without it, pre-trains the synthetic backbone) on a
     * background thread; the first run then reuses it.
     */
    private static void warmUpBackbone(TrainerConfig config) {
        Thread t =
                new Thread(
                        () -> {
                            org.slf4j.Logger log =
                                    org.slf4j.LoggerFactory.getLogger(TrainerService.class);
                            try {
                                if (io.streamtune.zoo.Zoo.isReference(config.fallbackBase())) {
                                    long t0 = System.nanoTime();
                                    try {
                                        var zoo =
                                                io.streamtune.zoo.Zoo.modelFile(
                                                        config.fallbackBase(), log::info);
                                        log.info(
                                                "default base {} ready in {} s: {}",
                                                config.fallbackBase(),
                                                (System.nanoTime() - t0) / 1_000_000_000,
                                                zoo);
                                        return;
                                    } catch (io.streamtune.zoo.ZooException e) {
                                        log.warn(
                                                "{} is not available ({}); pre-training the synthetic-shapes backbone instead",
                                                config.fallbackBase(),
                                                e.getMessage());
                                    }
                                }
                                config.applyTorchThreads();
                                long t0 = System.nanoTime();
                                var file =
                                        io.streamtune.trainer.pretrain.Pretrainer.ensure(
                                                config.backboneCache(),
                                                config.pretrain(),
                                                (phase, epoch, epochs, loss, metric, eta) ->
                                                        log.info(
                                                                "pre-training the default backbone: epoch {}/{} loss {} val {}",
                                                                epoch,
                                                                epochs,
                                                                String.format("%.4f", loss),
                                                                String.format("%.4f", metric)),
                                                config.threads());
                                log.info(
                                        "default backbone ready in {} s: {}",
                                        (System.nanoTime() - t0) / 1_000_000_000,
                                        file);
                            } catch (Exception e) {
                                log.warn(
                                        "background pre-training failed (the first run will try again): {}",
                                        e.toString());
                            }
                        },
                        "trainer-pretrain");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    /** The artifact store named by {@code trainer.artifact.store}, reading both kinds. */
    public static ArtifactStore artifactStore(TrainerConfig config) {
        KafkaSettings kafka = config.service().kafka();
        String instance = config.service().instanceId();
        KafkaArtifactStore onKafka =
                KafkaArtifactStore.of(
                        kafka.common(instance + "-artifacts"),
                        kafka.topic(Topics.MODELS_ARTIFACTS.name()));
        FileArtifactStore onDisk = new FileArtifactStore(config.artifactDir());
        return config.artifactStore() == TrainerConfig.ArtifactStoreKind.FILE
                ? ArtifactStore.routing(onDisk, onKafka)
                : ArtifactStore.routing(onKafka, onDisk);
    }

    /** Health, metrics, HTTP and lifecycle of this service. */
    public ServiceShell shell() {
        return shell;
    }

    /** Runs training for one model now, on the calling thread (the {@code train} command). */
    public TrainingRunner runner() {
        return runner;
    }

    /** The trigger consumer. */
    public TriggerLoop triggers() {
        return triggers;
    }

    /** Where artifacts go. */
    public ArtifactStore store() {
        return store;
    }

    @Override
    public void close() {
        shell.close();
    }
}
