package io.streamtune.trainer;

import io.streamtune.runtime.ConfigSource;
import io.streamtune.runtime.DjlOffline;
import io.streamtune.trainer.publish.ModelRegistry;
import io.streamtune.vision.artifact.ArtifactStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code models} command: {@code list} the versions this trainer published with their lineage,
 * {@code rollback} production to an earlier version, {@code export} one to a file (fetched from the
 * artifact store and checked against its SHA-256), or {@code train} a model once now with a
 * progress bar. Settings as for the service ({@code --key=value}).
 */
public final class ModelsMain {

    static {
        DjlOffline.enforce();
    }

    private static final String USAGE =
            """
            usage: models list     --model=NAME [--data.dir=DIR]
                   models rollback --model=NAME [--to=VERSION] [--reason=TEXT] [--data.dir=DIR] [--kafka.bootstrap.servers=...]
                   models export   --model=NAME --version=N --out=FILE [--data.dir=DIR] [--kafka.bootstrap.servers=...]
                   models train    --model=NAME [service settings, e.g. --trainer.epochs.head=8]
                   models inspect  FILE|zoo:NAME [--trainer.finetune.blocks=K]
            """;

    private ModelsMain() {}

    public static void main(String[] args) throws Exception {
        System.exit(run(args));
    }

    private static int inspect(String[] args) {
        String ref = null;
        int blocks = 2;
        for (int i = 1; i < args.length; i++) {
            if (args[i].startsWith("--trainer.finetune.blocks=")) {
                blocks = Integer.parseInt(args[i].substring("--trainer.finetune.blocks=".length()));
            } else if (args[i].equals("--help") || args[i].equals("-h")) {
                System.out.print(USAGE);
                return 0;
            } else if (ref == null && !args[i].startsWith("--")) {
                ref = args[i];
            } else {
                System.err.print("models inspect: unexpected argument " + args[i] + "\n" + USAGE);
                return 2;
            }
        }
        if (ref == null) {
            System.err.print("models inspect: a model file or zoo:NAME is required\n" + USAGE);
            return 2;
        }
        return ModelInspector.inspect(ref, blocks, System.out, System.err);
    }

    private static int rollback(
            TrainerConfig config, ModelRegistry registry, String model, Integer to, String reason)
            throws Exception {
        var kafka = config.service().kafka();
        String instance = config.service().instanceId() + "-cli";
        var current =
                new io.streamtune.trainer.publish.ProductionModels(
                                kafka.consumer(instance + "-production", "unused"),
                                kafka.topic(io.streamtune.contracts.Topics.MODELS_PUBLISHED.name()))
                        .current(model, java.time.Duration.ofSeconds(30));
        if (current.isEmpty()) {
            System.err.println("models rollback: " + model + " has no production version");
            return 1;
        }
        try (var producer =
                        new org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]>(
                                kafka.producer(instance));
                ArtifactStore store = TrainerService.artifactStore(config)) {
            var announced =
                    new io.streamtune.trainer.publish.Rollback(
                                    registry,
                                    store,
                                    producer,
                                    kafka.topic(
                                            io.streamtune.contracts.Topics.MODELS_PUBLISHED.name()),
                                    java.time.Clock.systemUTC(),
                                    config::sign,
                                    io.streamtune.trainer.publish.Rollback.SEND_TIMEOUT)
                            .rollback(
                                    current.get(),
                                    to,
                                    io.streamtune.contracts.Promotion.By.OPERATOR_ROLLBACK,
                                    reason);
            System.out.println(
                    model
                            + ": v"
                            + announced.version()
                            + " is production again (was v"
                            + current.get().version()
                            + "); inference instances switch to it");
            return 0;
        } catch (io.streamtune.trainer.publish.Rollback.RollbackException e) {
            System.err.println("models rollback: " + e.getMessage());
            return 1;
        }
    }

    public static int run(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        if (java.util.Arrays.stream(args).anyMatch(a -> a.equals("--help") || a.equals("-h"))) {
            System.out.print(USAGE);
            return 0;
        }
        String action = args[0].toLowerCase(Locale.ROOT);
        if (action.equals("inspect")) {
            return inspect(args);
        }
        String model = null;
        String out = null;
        String reason = "by the operator";
        int version = -1;
        List<String> rest = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("--model=")) {
                model = a.substring(8);
            } else if (a.startsWith("--version=")) {
                version = Integer.parseInt(a.substring(10));
            } else if (a.startsWith("--out=")) {
                out = a.substring(6);
            } else if (a.startsWith("--to=")) {
                version = Integer.parseInt(a.substring(5));
            } else if (a.startsWith("--reason=")) {
                reason = a.substring(9);
            } else {
                rest.add(a);
            }
        }
        if (model == null) {
            System.err.print("models: --model is required\n" + USAGE);
            return 2;
        }
        TrainerConfig config =
                TrainerConfig.from(ConfigSource.fromMainArgs(rest.toArray(String[]::new)));
        ModelRegistry registry = new ModelRegistry(config.dataDir().resolve("trainer"));
        switch (action) {
            case "list" -> {
                List<Integer> versions = registry.versions(model);
                if (versions.isEmpty()) {
                    System.out.println(
                            "no versions of "
                                    + model
                                    + " under "
                                    + config.dataDir().resolve("trainer"));
                    return 0;
                }
                Lineages.print(registry, model, versions, System.out);
                return 0;
            }
            case "rollback" -> {
                return rollback(config, registry, model, version < 1 ? null : version, reason);
            }
            case "export" -> {
                if (version < 1 || out == null) {
                    System.err.print("models export needs --version and --out\n" + USAGE);
                    return 2;
                }
                var manifest = registry.manifest(model, version);
                if (manifest.isEmpty()) {
                    System.err.println(
                            "models: no manifest for "
                                    + model
                                    + " v"
                                    + version
                                    + " under "
                                    + config.dataDir());
                    return 1;
                }
                try (ArtifactStore store = TrainerService.artifactStore(config)) {
                    byte[] bytes = store.fetch(manifest.get().published().artifact());
                    Files.write(Path.of(out), bytes);
                }
                System.out.println(Path.of(out).toAbsolutePath());
                return 0;
            }
            case "train" -> {
                config.applyTorchThreads();
                try (var producer =
                                new org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]>(
                                        config.service()
                                                .kafka()
                                                .producer(config.service().instanceId() + "-cli"));
                        ArtifactStore store = TrainerService.artifactStore(config)) {
                    var runner =
                            new io.streamtune.trainer.run.TrainingRunner(
                                    config,
                                    io.streamtune.trainer.run.TrainingRunner.parts(
                                            config,
                                            store,
                                            producer,
                                            new TrainerMetrics(
                                                    new io.micrometer.core.instrument.simple
                                                            .SimpleMeterRegistry()),
                                            new ConsoleProgress(System.err),
                                            java.time.Clock.systemUTC()));
                    var result = runner.run(model);
                    System.out.println(
                            result.outcome().name().toLowerCase(Locale.ROOT)
                                    + ": "
                                    + result.summary());
                    return result.outcome() == TrainerMetrics.RunOutcome.FAILED ? 1 : 0;
                }
            }
            default -> {
                System.err.print("models: unknown action '" + action + "'\n" + USAGE);
                return 2;
            }
        }
    }
}
