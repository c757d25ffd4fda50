package io.streamtune.deploy;

import io.streamtune.runtime.DjlOffline;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code ./streamtune} command line. */
@Command(
        name = "streamtune",
        mixinStandardHelpOptions = true,
        version = "streamtune 0.1.0",
        description = "Continuous transfer learning for computer vision on Kafka.",
        subcommands = {
            StreamtuneCli.Up.class,
            io.streamtune.ingest.ImportMain.class,
            StreamtuneCli.Pretrain.class,
            StreamtuneCli.Train.class,
            StreamtuneCli.Models.class,
            io.streamtune.deploy.cli.ZooCommand.class,
            io.streamtune.deploy.cli.PredictCommand.class,
            io.streamtune.deploy.cli.LabellingCommand.class,
            io.streamtune.deploy.cli.StylizeCommand.class,
            CommandLine.HelpCommand.class
        })
public final class StreamtuneCli implements Callable<Integer> {

    static {
        DjlOffline.enforce();
    }

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return 0;
    }

    public static void main(String[] args) {
        int code =
                new CommandLine(new StreamtuneCli())
                        .setExecutionExceptionHandler(
                                (e, cmd, parsed) -> {
                                    cmd.getErr().println("error: " + e.getMessage());
                                    return 1;
                                })
                        .execute(args);
        System.exit(code);
    }

    /**
     * {@code pretrain}: builds the default base backbone (see {@code
     * io.streamtune.trainer.PretrainMain}).
     */
    @Command(
            name = "pretrain",
            description =
                    "Pre-train (or find cached) the default base backbone; --help for settings.")
    static final class Pretrain implements Callable<Integer> {
        @CommandLine.Unmatched List<String> args = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            io.streamtune.trainer.PretrainMain.main(args.toArray(String[]::new));
            return 0;
        }
    }

    /** {@code train}: one training run of a model now, with a progress bar. */
    @Command(
            name = "train",
            description = "Train a model now from its labelled data: --model=NAME [settings].")
    static final class Train implements Callable<Integer> {
        @CommandLine.Unmatched List<String> args = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            List<String> all = new ArrayList<>(List.of("train"));
            all.addAll(args);
            io.streamtune.trainer.ModelsMain.main(all.toArray(String[]::new));
            return 0;
        }
    }

    /** {@code models}: list published versions, export one to a file. */
    @Command(
            name = "models",
            description =
                    "list --model=NAME | export --model=NAME --version=N --out=FILE | inspect FILE|zoo:NAME")
    static final class Models implements Callable<Integer> {
        @CommandLine.Unmatched List<String> args = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            return io.streamtune.trainer.ModelsMain.run(args.toArray(String[]::new));
        }
    }

    /** Starts the local stack. */
    @Command(
            name = "up",
            mixinStandardHelpOptions = true,
            description =
                    "Start Kafka (embedded unless --bootstrap-servers) and all services; Ctrl-C stops them.")
    static final class Up implements Callable<Integer> {

        @Option(
                names = "--bootstrap-servers",
                description = "Use this Kafka cluster instead of the embedded broker.")
        String bootstrapServers;

        @Option(
                names = "--data-dir",
                defaultValue = ".streamtune",
                description = "State directory (default: ${DEFAULT-VALUE}).")
        Path dataDir;

        @Option(
                names = "--kafka-port",
                defaultValue = "9092",
                description = "Embedded broker port, 0 = any free (default: ${DEFAULT-VALUE}).")
        int kafkaPort;

        @Option(
                names = "--ingest-port",
                defaultValue = "8081",
                description = "Ingest HTTP port (default: ${DEFAULT-VALUE}).")
        int ingestPort;

        @Option(
                names = "--trainer-port",
                defaultValue = "8082",
                description = "Trainer HTTP port (default: ${DEFAULT-VALUE}).")
        int trainerPort;

        @Option(
                names = "--inference-port",
                defaultValue = "8083",
                description = "Inference HTTP port (default: ${DEFAULT-VALUE}).")
        int inferencePort;

        @Option(
                names = "--http-host",
                defaultValue = "127.0.0.1",
                description = "Interface the HTTP ports bind (default: ${DEFAULT-VALUE}).")
        String httpHost;

        @Option(
                names = {"-D", "--set"},
                description = "Any service config key, e.g. -D trigger.threshold=200.")
        Map<String, String> settings = new LinkedHashMap<>();

        @Option(
                names = "--demo",
                negatable = true,
                defaultValue = "true",
                fallbackValue = "true",
                description =
                        "Feed a synthetic camera and labeller and show what happens (default: ${DEFAULT-VALUE}).")
        boolean demo;

        @Option(
                names = "--demo-task",
                defaultValue = "classification",
                description =
                        "Task the demo labels: classification, detection or segmentation; coco: real photographs"
                                + " through the zoo's COCO detector, then fine-tuned on products; style: a painting"
                                + " registered as a style and the photographs as content, a stylizer trained and"
                                + " served (default: ${DEFAULT-VALUE}).")
        String demoTask;

        @Option(
                names = "--style",
                description =
                        "The style image of --demo-task style (default: scikit-image's ihc.png, a"
                                + " stained micrograph, among the sample photos).")
        Path styleImage;

        @Option(
                names = "--camera-dir",
                description =
                        "Demo cameras play the JPEG/PNG photographs of this folder (coco: default set of"
                                + " sample photos from Debian's python3-skimage, fetched once).")
        Path cameraDir;

        @Option(
                names = "--demo-burst",
                description =
                        "Labelled images the demo's labelling tool sends at once at start (default: 300"
                                + " for generated scenes, 150 for style, 0 for coco).")
        Integer demoBurst;

        @Option(
                names = "--demo-labels-per-second",
                description =
                        "Labelled images per second the demo's labelling tool sends after the burst; 0:"
                                + " new labels come only from the demo's labellers answering the"
                                + " labelling requests of the generated cameras (default: 2 for generated"
                                + " scenes).")
        Double demoLabelsPerSecond;

        @Option(
                names = "--demo-fog-after",
                description =
                        "Seconds after which fog comes over the site: every generated camera films"
                                + " through it (low contrast, blurred), drift for ingest to notice"
                                + " (default: never).")
        Integer demoFogAfter;

        @Option(
                names = "--demo-model",
                defaultValue = "shapes",
                description = "Model name the demo trains (default: ${DEFAULT-VALUE}).")
        String demoModel;

        @Option(
                names = "--view-port",
                defaultValue = "8080",
                description = "Live view web page port, 0 = any free (default: ${DEFAULT-VALUE}).")
        int viewPort;

        @Option(
                names = "--prometheus-port",
                defaultValue = "9090",
                description =
                        "Port of the Prometheus started when it is installed; -1 = don't start it (default: ${DEFAULT-VALUE}).")
        int prometheusPort;

        @Override
        public Integer call() throws Exception {
            long t0 = System.nanoTime();
            Path logFile =
                    TerminalLogging.libraryLogsTo(
                            dataDir.toAbsolutePath().resolve("logs").resolve("streamtune.log"));
            Map<String, String> config = new LinkedHashMap<>();
            // The local demo runs without API tokens; any -D setting (e.g. http.auth.enabled=true)
            // wins.
            config.put("http.auth.enabled", "false");
            if (demo) {
                config.put("inference.model", demoModel);
                // Have the default base (zoo:centernet, fetched once) ready before the first
                // trigger.
                config.put("trainer.pretrain.eager", "true");
                // The demo's generated 64 px scenes need no 224 px input: at 128 px the first
                // version comes in about a minute on 2 cores (real data keeps the 224/320/256
                // defaults).
                config.put("trainer.base.input.size", "128");
                config.put("trainer.epochs.finetune", "4");
            }
            boolean coco = demoTask.equalsIgnoreCase("coco");
            boolean style =
                    demoTask.equalsIgnoreCase("style") || demoTask.equalsIgnoreCase("stylization");
            byte[] styleBytes = null;
            if (demo && style) {
                // the cameras play photographs; a painting is the style, crops of the photographs
                // the content; a stylizer is trained, gated and served, its frames on the live view
                if (cameraDir == null) {
                    cameraDir = PhotoSetSupport.defaultPhotos();
                    if (cameraDir == null) {
                        return 1;
                    }
                }
                Path painting = styleImage != null ? styleImage : defaultStyle();
                if (painting == null) {
                    System.err.println(
                            "error: no style image: pass --style FILE (a JPEG or PNG painting)");
                    return 1;
                }
                try {
                    styleBytes = java.nio.file.Files.readAllBytes(painting);
                } catch (java.io.IOException e) {
                    System.err.println("error: --style " + painting + ": " + e.getMessage());
                    return 1;
                }
                if ("shapes".equals(demoModel)) {
                    demoModel = "paint";
                }
                config.put("inference.model", demoModel);
                config.put("inference.stylization.size", "256");
                config.remove("trainer.base.input.size");
                config.remove("trainer.epochs.finetune");
            }
            io.streamtune.deploy.demo.ProductPhotos.Items products = null;
            if (demo && coco) {
                // A real COCO detector serves real photographs from the first frame.
                config.put("inference.model", "coco");
                config.put("inference.model.file", "zoo:centernet");
                config.remove("trainer.pretrain.eager");
                if (cameraDir == null) {
                    cameraDir = PhotoSetSupport.defaultPhotos();
                    if (cameraDir == null) {
                        return 1;
                    }
                }
                // Then a labelling tool labels product photos placed in those photographs, and a
                // version fine-tuned from the COCO network (neck and box heads kept) replaces it.
                products = PhotoSetSupport.products();
                if (products != null) {
                    // two cores serve a 512 px detector and fine-tune it at once: smaller
                    // training images and fewer epochs so the first version comes in minutes
                    config.put("trainer.base.input.size", "256");
                    config.put("trainer.epochs.head", "6");
                    config.put("trainer.epochs.finetune", "3");
                    config.put("trainer.gate.floor", "0.2");
                }
            }
            io.streamtune.contracts.Task task =
                    coco
                            ? io.streamtune.contracts.Task.DETECTION
                            : style
                                    ? io.streamtune.contracts.Task.STYLIZATION
                                    : io.streamtune.contracts.Task.parse(demoTask);
            if (demo && task == io.streamtune.contracts.Task.INSTANCE_SEGMENTATION) {
                throw new IllegalArgumentException(
                        "--demo-task: instance-segmentation is served from imported models, the"
                                + " demo labels classification, detection, segmentation, coco or"
                                + " style");
            }
            if (demo
                    && !coco
                    && task != io.streamtune.contracts.Task.CLASSIFICATION
                    && task != io.streamtune.contracts.Task.STYLIZATION) {
                // Dense tasks need more pixels; the first versions are modest and the gate lets the
                // next ones prove themselves (measured: mAP@[.5:.95] 0.38, 0.59, 0.69, 0.71 for
                // v1-v4).
                config.put("trainer.input.size", "64");
                config.put("trainer.epochs.head", "12");
                config.put("trainer.gate.floor", "0.2");
            }
            config.putAll(settings);
            LocalStack stack =
                    LocalStack.start(
                            new LocalStack.Options(
                                    dataDir.toAbsolutePath(),
                                    bootstrapServers,
                                    kafkaPort,
                                    ingestPort,
                                    trainerPort,
                                    inferencePort,
                                    httpHost,
                                    config));
            stack.closeOnShutdown();
            boolean ready = stack.awaitReady(Duration.ofSeconds(60));
            var kafka =
                    io.streamtune.runtime.KafkaSettings.from(
                            io.streamtune.runtime.ConfigSource.fromEnvironment(
                                            System.getenv(), Map.of())
                                    .with(config)
                                    .with(
                                            Map.of(
                                                    "kafka.bootstrap.servers",
                                                    stack.bootstrapServers())));
            String prometheusUrl = null;
            if (prometheusPort >= 0) {
                var binary = PrometheusServer.binary();
                if (binary.isPresent()) {
                    Map<String, String> targets = new LinkedHashMap<>();
                    stack.urls()
                            .forEach(
                                    (service, url) ->
                                            targets.put(
                                                    "streamtune-" + service,
                                                    url.substring("http://".length())));
                    var prometheus =
                            stack.manage(
                                    PrometheusServer.start(
                                            binary.get(),
                                            dataDir.toAbsolutePath().resolve("prometheus"),
                                            prometheusPort,
                                            targets,
                                            Duration.ofSeconds(5)));
                    prometheusUrl = prometheus.url();
                } else {
                    System.out.println(
                            "(Prometheus is not installed, so none is started: apt-get install prometheus)");
                }
            }
            String viewUrl = null;
            if (demo) {
                viewUrl =
                        stack.manage(
                                        io.streamtune.deploy.demo.LiveView.start(
                                                kafka, httpHost, viewPort))
                                .url();
            }
            System.out.println();
            System.out.println(
                    "streamtune is "
                            + (ready ? "up" : "started, NOT ready")
                            + " in "
                            + (System.nanoTime() - t0) / 1_000_000
                            + " ms");
            System.out.println(
                    "  kafka      "
                            + stack.bootstrapServers()
                            + (stack.embeddedBroker()
                                    ? "  (embedded, data in " + dataDir.toAbsolutePath() + ")"
                                    : ""));
            stack.urls()
                    .forEach(
                            (service, url) ->
                                    System.out.printf(
                                            "  %-10s %s/health  %s/metrics%n", service, url, url));
            System.out.println(
                    "  (inference reports ready once it serves a model: the first one the trainer publishes)");
            if (logFile != null) {
                System.out.println(
                        "  logs       "
                                + logFile
                                + "  (Kafka's and the libraries' lines; the terminal shows streamtune's)");
            }
            if (prometheusUrl != null) {
                System.out.println(
                        "  prometheus "
                                + prometheusUrl
                                + "  (alert rules loaded; dashboards in grafana/)");
            }
            if (viewUrl != null) {
                System.out.println("  live view  " + viewUrl);
                System.out.println();
                System.out.println(
                        style
                                ? "Demo: a labelling tool registers "
                                        + (styleImage != null
                                                ? styleImage.getFileName()
                                                : "ihc.png")
                                        + " as the style of '"
                                        + demoModel
                                        + "' and sends crops of the photographs of "
                                        + cameraDir
                                        + " as content; two cameras stream them, and the live view"
                                        + " shows each stylized frame beside its original once a"
                                        + " stylizer clears the gate:"
                                : coco
                                        ? "Demo: two cameras stream the photographs of "
                                                + cameraDir
                                                + "; the zoo's COCO detector (zoo:centernet) serves them as model 'coco'"
                                                + (products == null
                                                        ? ":"
                                                        : "; a labelling tool labels "
                                                                + String.join(
                                                                        ", ", products.classes())
                                                                + " (Fashion-MNIST photos) placed in them,"
                                                                + " and versions fine-tuned from the COCO"
                                                                + " network take over:")
                                        : "Demo: a labelling tool sends "
                                                + task.wireName()
                                                + " samples of '"
                                                + demoModel
                                                + "' to images.intake and two cameras stream "
                                                + (cameraDir == null
                                                        ? "frames"
                                                        : "the photographs of " + cameraDir)
                                                + "; watch it learn:");
                stack.manage(
                        io.streamtune.deploy.demo.LiveConsole.start(
                                kafka, stack.urls(), System.out, Duration.ofSeconds(5)));
                var traffic =
                        stack.manage(
                                io.streamtune.deploy.demo.DemoTraffic.start(
                                        kafka,
                                        new io.streamtune.deploy.demo.DemoTraffic.Options(
                                                coco ? "coco" : demoModel,
                                                task,
                                                coco ? 320 : style ? 128 : 64,
                                                demoBurst != null
                                                        ? demoBurst
                                                        : coco && products == null
                                                                ? 0
                                                                : style ? 150 : 300,
                                                demoLabelsPerSecond != null
                                                        ? demoLabelsPerSecond
                                                        : coco
                                                                ? (products == null ? 0 : 0.5)
                                                                : style ? 0.5 : 2.0,
                                                2,
                                                // the COCO detector takes ~0.1 s a frame on one
                                                // core
                                                coco || style ? 2.0 : 5.0,
                                                cameraDir,
                                                products,
                                                styleBytes)));
                if (demoFogAfter != null) {
                    traffic.fogAfter(Duration.ofSeconds(demoFogAfter));
                }
            }
            System.out.println("Ctrl-C stops everything.");
            System.out.flush();
            stack.awaitStop();
            return 0;
        }
    }

    /** scikit-image's {@code ihc.png} among the default sample photos, or null. */
    static Path defaultStyle() {
        Path dir = io.streamtune.deploy.demo.PhotoSet.findDefault();
        Path ihc = dir == null ? null : dir.resolve("ihc.png");
        return ihc != null && java.nio.file.Files.isRegularFile(ihc) ? ihc : null;
    }
}
