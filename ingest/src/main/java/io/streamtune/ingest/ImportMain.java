package io.streamtune.ingest;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamtune.contracts.LabelledImageAccepted;
import io.streamtune.contracts.Topics;
import io.streamtune.ingest.accept.Acceptor;
import io.streamtune.ingest.accept.LabelIndex;
import io.streamtune.ingest.bulk.BulkImporter;
import io.streamtune.ingest.bulk.DatasetFormat;
import io.streamtune.ingest.bulk.DatasetFormatException;
import io.streamtune.ingest.bulk.ImportReport;
import io.streamtune.ingest.bulk.ImportRequest;
import io.streamtune.ingest.bulk.TaskHint;
import io.streamtune.ingest.validate.SampleValidator;
import io.streamtune.runtime.ConfigSource;
import io.streamtune.runtime.DjlOffline;
import io.streamtune.runtime.KafkaSettings;
import io.streamtune.runtime.TopicProvisioner;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code streamtune import}: reads a dataset folder and writes it to the labelled topic through the
 * same validation and acceptance path as the service. Exit codes: 0 done (rejections are reported,
 * not fatal), 1 stopped early (Kafka), 2 bad arguments or unreadable dataset.
 */
@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        description =
                "Import a labelled dataset (imagefolder, coco, yolo, voc, masks, labelstudio) into"
                        + " streamtune.")
public final class ImportMain implements Callable<Integer> {

    static {
        DjlOffline.enforce();
    }

    @Option(
            names = "--format",
            required = true,
            description = "imagefolder, coco, yolo, voc, masks or labelstudio")
    String format;

    @Option(
            names = "--model",
            required = true,
            description = "model/dataset name the samples belong to")
    String model;

    @Option(names = "--path", required = true, description = "dataset root folder")
    Path root;

    @Option(
            names = "--annotations",
            description =
                    "COCO JSON file (default: <path>/annotations.json), or Label Studio's JSON"
                            + " export")
    Path annotations;

    @Option(
            names = "--task",
            defaultValue = "auto",
            description = "auto, detect or segment (COCO, YOLO)")
    String task;

    @Option(
            names = "--in-flight",
            defaultValue = "64",
            description = "samples written concurrently")
    int inFlight;

    @Option(
            names = "--max-rate",
            defaultValue = "0",
            description = "samples per second at most (0 = no limit)")
    double maxRate;

    @Option(
            names = "--bootstrap-servers",
            description = "Kafka bootstrap servers (else kafka.bootstrap.servers)")
    String bootstrap;

    @Option(names = "--set", description = "any ingest config key, e.g. --set topic.prefix=dev.")
    Map<String, String> settings = new HashMap<>();

    private PrintStream out = System.err;

    public static void main(String[] args) {
        System.exit(
                new CommandLine(new ImportMain())
                        .setCaseInsensitiveEnumValuesAllowed(true)
                        .execute(args));
    }

    @Override
    public Integer call() {
        Map<String, String> overrides = new HashMap<>(settings);
        overrides.putIfAbsent("http.auth.enabled", "false");
        if (bootstrap != null) {
            overrides.put("kafka.bootstrap.servers", bootstrap);
        }
        ImportRequest request;
        IngestConfig config;
        try {
            config = IngestConfig.from(ConfigSource.fromEnvironment(System.getenv(), overrides));
            request =
                    new ImportRequest(
                            model,
                            parse(DatasetFormat.class, format, "--format"),
                            root,
                            annotations,
                            parse(TaskHint.class, task, "--task"),
                            inFlight,
                            maxRate);
        } catch (IllegalArgumentException e) {
            out.println("error: " + e.getMessage());
            return 2;
        }
        try {
            ImportReport report = run(config, request, out);
            return report.completed() ? 0 : 1;
        } catch (DatasetFormatException e) {
            out.println("error: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            out.println("error: " + e.getMessage());
            return 1;
        }
    }

    /** Runs an import with its own Kafka clients; callable from other code. */
    public static ImportReport run(IngestConfig config, ImportRequest request, PrintStream progress)
            throws DatasetFormatException {
        KafkaSettings kafka = config.service().kafka();
        String id = "import-" + request.model() + "-" + config.service().instanceId();
        try (Admin admin = Admin.create(kafka.admin(id + "-admin"))) {
            new TopicProvisioner(admin, config.service().topicReplication(), 30_000)
                    .ensure(
                            List.of(
                                    Topics.IMAGES_LABELLED.withPrefix(kafka.topicPrefix()),
                                    Topics.IMAGES_INTAKE
                                            .deadLetters()
                                            .withPrefix(kafka.topicPrefix())));
        }
        String labelled = kafka.topic(Topics.IMAGES_LABELLED.name());
        String modelPrefix = LabelledImageAccepted.key(request.model(), "");
        LabelIndex index;
        try (var consumer =
                new KafkaConsumer<byte[], byte[]>(kafka.consumer(id + "-index", id + "-index"))) {
            index =
                    LabelIndex.load(
                            consumer,
                            labelled,
                            key -> key.startsWith(modelPrefix),
                            Duration.ofMinutes(30));
            consumer.unsubscribe();
        }
        if (progress != null && index.size() > 0) {
            progress.println(
                    "import "
                            + request.model()
                            + ": "
                            + index.size()
                            + " samples already in "
                            + labelled);
        }
        SampleValidator validator = IngestService.validator(config);
        try (var producer =
                new KafkaProducer<byte[], byte[]>(IngestService.producerProperties(kafka, id))) {
            Acceptor acceptor =
                    new Acceptor(
                            validator,
                            producer,
                            labelled,
                            kafka.topic(Topics.IMAGES_INTAKE.deadLetters().name()),
                            index,
                            new IngestMetrics(new SimpleMeterRegistry()),
                            Clock.systemUTC());
            return new BulkImporter(acceptor, validator, progress).run(request);
        }
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String value, String option) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value.strip())) {
                return e;
            }
        }
        throw new IllegalArgumentException(
                option
                        + " must be one of "
                        + java.util.Arrays.toString(type.getEnumConstants())
                                .toLowerCase(java.util.Locale.ROOT)
                        + ", was '"
                        + value
                        + "'");
    }
}
