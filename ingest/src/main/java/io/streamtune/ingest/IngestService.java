package io.streamtune.ingest;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.streamtune.contracts.Topics;
import io.streamtune.ingest.accept.Acceptor;
import io.streamtune.ingest.accept.LabelIndex;
import io.streamtune.ingest.http.IngestApi;
import io.streamtune.ingest.intake.IntakeConsumer;
import io.streamtune.ingest.trigger.StatsView;
import io.streamtune.ingest.trigger.TriggerTopology;
import io.streamtune.ingest.validate.ClassRegistry;
import io.streamtune.ingest.validate.SampleValidator;
import io.streamtune.runtime.Health;
import io.streamtune.runtime.KafkaSettings;
import io.streamtune.runtime.PollLoop;
import io.streamtune.runtime.ServiceShell;
import io.streamtune.vision.image.ImageDecoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running ingest service: everything it holds, closed in one place. */
public final class IngestService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IngestService.class);

    private final ServiceShell shell;
    private final Acceptor acceptor;
    private final StatsView stats;
    private final IngestApi api;

    private IngestService(ServiceShell shell, Acceptor acceptor, StatsView stats, IngestApi api) {
        this.shell = shell;
        this.acceptor = acceptor;
        this.stats = stats;
        this.api = api;
    }

    /** Starts the service: topics provisioned, label index loaded, Streams, intake and HTTP up. */
    public static IngestService start(IngestConfig config) {
        ServiceShell shell =
                ServiceShell.start(
                        config.service(),
                        List.of(
                                Topics.IMAGES_INTAKE,
                                Topics.IMAGES_INTAKE.deadLetters(),
                                Topics.IMAGES_LABELLED,
                                Topics.TRAINING_REQUESTS,
                                Topics.TRAINING_TRIGGERS,
                                // drift: predictions and announcements in, windows out
                                Topics.PREDICTIONS_CLASSIFICATIONS,
                                Topics.PREDICTIONS_DETECTIONS,
                                Topics.PREDICTIONS_SEGMENTATIONS,
                                Topics.MODELS_PUBLISHED,
                                Topics.MODELS_DRIFT));
        try {
            return wire(config, shell);
        } catch (RuntimeException e) {
            shell.close();
            throw e;
        }
    }

    private static IngestService wire(IngestConfig config, ServiceShell shell) {
        KafkaSettings kafka = config.service().kafka();
        String id = config.service().instanceId();
        IngestMetrics metrics = new IngestMetrics(shell.registry());

        Producer<byte[], byte[]> producer =
                shell.manage(new KafkaProducer<>(producerProperties(kafka, id)));
        shell.bindClientMetrics(producer);

        Map<String, Object> indexProps =
                new HashMap<>(kafka.consumer(id + "-index", id + "-index"));
        // Following others' writes may lag a little: fewer, fuller fetches cost the broker far less
        // per image.
        indexProps.putIfAbsent("fetch.min.bytes", 1 << 20);
        indexProps.putIfAbsent("fetch.max.wait.ms", 200);
        indexProps.putIfAbsent("max.poll.records", LabelIndex.FOLLOW_BATCH);
        var indexConsumer = new KafkaConsumer<byte[], byte[]>(indexProps);
        LabelIndex index;
        try {
            index =
                    LabelIndex.load(
                            indexConsumer,
                            kafka.topic(Topics.IMAGES_LABELLED.name()),
                            key -> true,
                            Duration.ofMinutes(10));
        } catch (RuntimeException e) {
            indexConsumer.close();
            throw e;
        }
        PollLoop indexFollower = shell.manage(index.follow(indexConsumer, key -> true));
        shell.health()
                .registerLiveness(
                        "label-index",
                        () ->
                                indexFollower.healthy()
                                        ? Health.Status.up("following")
                                        : Health.Status.down(
                                                "label index stopped following; see the log"));
        metrics.labelIndex(index);
        Acceptor acceptor =
                new Acceptor(
                        validator(config),
                        producer,
                        kafka.topic(Topics.IMAGES_LABELLED.name()),
                        kafka.topic(Topics.IMAGES_INTAKE.deadLetters().name()),
                        index,
                        metrics,
                        Clock.systemUTC());

        AtomicReference<KafkaStreams> streams = new AtomicReference<>();
        StatsView stats = new StatsView(streams);
        if (config.streams().enabled()) {
            KafkaStreams ks =
                    new KafkaStreams(
                            TriggerTopology.build(config.trigger(), kafka.topicPrefix(), metrics),
                            streamsProperties(config, shell.http().port()));
            shell.manage(() -> ks.close(Duration.ofSeconds(10)));
            shell.manage(new KafkaStreamsMetrics(ks)).bindTo(shell.registry());
            ks.setUncaughtExceptionHandler(
                    e -> {
                        log.error(
                                "trigger topology failed, replacing the stream thread: {}",
                                e.toString(),
                                e);
                        return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler
                                .StreamThreadExceptionResponse.REPLACE_THREAD;
                    });
            ks.start();
            streams.set(ks);
            shell.health()
                    .register(
                            "streams",
                            () ->
                                    switch (ks.state()) {
                                        case RUNNING, REBALANCING ->
                                                Health.Status.up(ks.state().toString());
                                        default ->
                                                Health.Status.down(
                                                        "Kafka Streams is " + ks.state());
                                    });
            shell.health()
                    .registerLiveness(
                            "streams-alive",
                            () ->
                                    switch (ks.state()) {
                                        case ERROR, PENDING_ERROR ->
                                                Health.Status.down(
                                                        "Kafka Streams failed ("
                                                                + ks.state()
                                                                + "); see the log");
                                        default -> Health.Status.up(ks.state().toString());
                                    });
            ScheduledExecutorService gauges =
                    Executors.newSingleThreadScheduledExecutor(
                            r -> {
                                Thread t = new Thread(r, "ingest-stats-gauges");
                                t.setDaemon(true);
                                return t;
                            });
            shell.manage(gauges::shutdownNow);
            long every = config.streams().statsRefresh().toMillis();
            gauges.scheduleWithFixedDelay(
                    () -> refreshGauges(stats, metrics), every, every, TimeUnit.MILLISECONDS);
        }

        if (config.intake().enabled()) {
            Map<String, Object> props = kafka.consumer(id + "-intake", config.intake().groupId());
            props.put("max.poll.records", config.intake().maxPollRecords());
            var consumer = new KafkaConsumer<byte[], byte[]>(props);
            shell.bindClientMetrics(consumer);
            IntakeConsumer intake =
                    shell.manage(
                                    new IntakeConsumer(
                                            consumer,
                                            kafka.topic(Topics.IMAGES_INTAKE.name()),
                                            acceptor,
                                            config.intake().threads()))
                            .start();
            shell.health()
                    .registerLiveness(
                            "intake-loop",
                            () ->
                                    intake.alive()
                                            ? Health.Status.up("running")
                                            : Health.Status.down(
                                                    "intake loop stopped; see the log"));
            shell.health()
                    .register(
                            "intake",
                            () ->
                                    intake.healthy()
                                            ? Health.Status.up(
                                                    "consuming "
                                                            + kafka.topic(
                                                                    Topics.IMAGES_INTAKE.name()))
                                            : Health.Status.down("intake loop failing, see log"));
        }

        IngestApi api =
                new IngestApi(
                        config.http(),
                        acceptor,
                        stats,
                        producer,
                        kafka.topic(Topics.TRAINING_REQUESTS),
                        Clock.systemUTC());
        if (config.http().apiPort() < 0) {
            shell.manage(api.register(shell.http(), config.http().apiThreads()));
        } else {
            shell.manage(
                    api.serve(
                            config.service().httpHost(),
                            config.http().apiPort(),
                            config.http().apiThreads()));
        }
        if (!config.http().authEnabled()) {
            log.warn(
                    "HTTP API authentication is disabled (http.auth.enabled=false): local demo only");
        }
        log.info(
                "ingest wired: {} samples known, trigger {}, image check {}",
                index.size(),
                config.trigger(),
                config.validation().check());
        return new IngestService(shell, acceptor, stats, api);
    }

    /** The validator the configuration describes. */
    public static SampleValidator validator(IngestConfig config) {
        var v = config.validation();
        return new SampleValidator(
                new ImageDecoder(v.limits()),
                v.check(),
                new ClassRegistry(v.classPolicy(), v.maxClasses(), v.knownClasses()),
                v.maxObjects());
    }

    /**
     * Producer settings: the shared durable ones for image records ({@link
     * KafkaSettings#imageProducer}: uncompressed, 1 MiB batches) without linger. Under load records
     * queue behind the in-flight requests and share batches anyway; lingering would only delay each
     * HTTP answer.
     */
    public static Map<String, Object> producerProperties(KafkaSettings kafka, String id) {
        Map<String, Object> props = new HashMap<>(kafka.imageProducer(id + "-producer"));
        if (!kafka.clientProperties().containsKey(ProducerConfig.LINGER_MS_CONFIG)) {
            props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        }
        return props;
    }

    private static Properties streamsProperties(IngestConfig config, int httpPort) {
        KafkaSettings kafka = config.service().kafka();
        Properties p = new Properties();
        p.putAll(kafka.clientProperties());
        p.put(
                StreamsConfig.APPLICATION_ID_CONFIG,
                kafka.topicPrefix() + config.streams().applicationId());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir(config.streams().stateDir()).toString());
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        p.put(
                StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
                config.streams().commitInterval().toMillis());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.streams().processingGuarantee());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) config.service().topicReplication());
        p.put(StreamsConfig.consumerPrefix("max.partition.fetch.bytes"), kafka.maxRecordBytes());
        // Up to 100 ms per hop for fuller fetches: trickling uploads otherwise cost one fetch per
        // image.
        p.putIfAbsent(StreamsConfig.consumerPrefix("fetch.min.bytes"), 1 << 20);
        p.putIfAbsent(StreamsConfig.consumerPrefix("fetch.max.wait.ms"), 100);
        p.put(
                StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
                kafka.maxRecordBytes());
        String host = config.service().httpHost();
        p.put(
                StreamsConfig.APPLICATION_SERVER_CONFIG,
                ("0.0.0.0".equals(host) ? "localhost" : host) + ":" + httpPort);
        return p;
    }

    private static Path stateDir(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new io.streamtune.runtime.ConfigException(
                    "streams.state.dir", "cannot create " + dir + ": " + e.getMessage());
        }
    }

    private static void refreshGauges(StatsView stats, IngestMetrics metrics) {
        try {
            metrics.dataset(
                    stats.all().stream()
                            .map(
                                    s ->
                                            new IngestMetrics.DatasetCounts(
                                                    s.model(),
                                                    s.totalSamples(),
                                                    s.pendingSamples(),
                                                    s.classCounts()))
                            .toList());
        } catch (RuntimeException e) {
            log.debug("dataset gauges not refreshed: {}", e.toString());
        }
    }

    /** Health, metrics, HTTP and lifecycle of this service. */
    public ServiceShell shell() {
        return shell;
    }

    /**
     * Base URL of the {@code /v1} API: the service's own port, or {@code http.api.port} when set.
     */
    public String apiUrl() {
        String url = shell.http().url();
        return api.apiPort() < 0 ? url : url.substring(0, url.lastIndexOf(':') + 1) + api.apiPort();
    }

    /** The acceptance path (for embedding, e.g. an in-process bulk import). */
    public Acceptor acceptor() {
        return acceptor;
    }

    /** Dataset stats of the models this instance holds. */
    public StatsView stats() {
        return stats;
    }

    /** Stats of one model, if this instance holds it. */
    public Optional<io.streamtune.ingest.trigger.ModelStats> stats(String model) {
        return stats.get(model);
    }

    @Override
    public void close() {
        shell.close();
    }
}
