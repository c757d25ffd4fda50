package io.streamtune.deploy;

import io.streamtune.inference.InferenceConfig;
import io.streamtune.inference.InferenceService;
import io.streamtune.ingest.IngestConfig;
import io.streamtune.ingest.IngestService;
import io.streamtune.kafka.embedded.EmbeddedKafkaBroker;
import io.streamtune.runtime.ConfigSource;
import io.streamtune.runtime.Lifecycle;
import io.streamtune.trainer.TrainerConfig;
import io.streamtune.trainer.TrainerService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole system in one JVM: an embedded KRaft broker (unless an external cluster is given) and
 * the ingest, trainer and inference services, each on its own HTTP port.
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalStack.class);

    /** What to start and where. */
    public record Options(
            Path dataDir,
            String bootstrapServers,
            int kafkaPort,
            int ingestPort,
            int trainerPort,
            int inferencePort,
            String httpHost,
            Map<String, String> overrides) {
        public Options {
            Objects.requireNonNull(dataDir, "dataDir");
            overrides = Map.copyOf(overrides);
        }
    }

    private final Lifecycle lifecycle = new Lifecycle("streamtune");
    private final String bootstrapServers;
    private final EmbeddedKafkaBroker broker;
    private final IngestService ingest;
    private final TrainerService trainer;
    private final InferenceService inference;

    private LocalStack(Options options) {
        try {
            if (options.bootstrapServers() == null) {
                broker =
                        lifecycle.add(
                                EmbeddedKafkaBroker.builder()
                                        .dataDir(options.dataDir().resolve("kafka"))
                                        .port(options.kafkaPort())
                                        .build()
                                        .start(Duration.ofSeconds(60)));
                bootstrapServers = broker.bootstrapServers();
            } else {
                broker = null;
                bootstrapServers = options.bootstrapServers();
            }
            ConfigSource base =
                    ConfigSource.fromEnvironment(System.getenv(), Map.of())
                            .with(
                                    Map.of(
                                            "kafka.bootstrap.servers",
                                            bootstrapServers,
                                            "http.host",
                                            options.httpHost(),
                                            "data.dir",
                                            options.dataDir().toString(),
                                            // Every service keeps its local state under the stack's
                                            // data directory.
                                            "streams.state.dir",
                                            options.dataDir().resolve("ingest/streams").toString(),
                                            "inference.artifacts.dir",
                                            options.dataDir()
                                                    .resolve("inference/artifacts")
                                                    .toString()))
                            .with(options.overrides());
            ingest =
                    lifecycle.add(
                            IngestService.start(
                                    IngestConfig.from(
                                            base.with(
                                                    Map.of(
                                                            "http.port",
                                                            Integer.toString(
                                                                    options.ingestPort()))))));
            trainer =
                    lifecycle.add(
                            TrainerService.start(
                                    TrainerConfig.from(
                                            base.with(
                                                    Map.of(
                                                            "http.port",
                                                            Integer.toString(
                                                                    options.trainerPort()))))));
            inference =
                    lifecycle.add(
                            InferenceService.start(
                                    InferenceConfig.all(
                                            base.with(
                                                    Map.of(
                                                            "http.port",
                                                            Integer.toString(
                                                                    options.inferencePort()))))));
            List<String> owned = new java.util.ArrayList<>();
            owned.addAll(IngestConfig.OWNED_PREFIXES);
            owned.addAll(TrainerConfig.OWNED_PREFIXES);
            owned.addAll(InferenceConfig.OWNED_PREFIXES);
            base.warnUnknown(org.slf4j.LoggerFactory.getLogger(LocalStack.class), owned);
        } catch (RuntimeException e) {
            lifecycle.close();
            throw e;
        }
    }

    /** Starts everything; fails (and stops what was started) with a message naming the cause. */
    public static LocalStack start(Options options) {
        return new LocalStack(options);
    }

    /** Where clients reach Kafka. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Whether the broker runs in this JVM. */
    public boolean embeddedBroker() {
        return broker != null;
    }

    /** Service name → base URL. */
    public Map<String, String> urls() {
        Map<String, String> urls = new LinkedHashMap<>();
        urls.put("ingest", ingest.shell().http().url());
        urls.put("trainer", trainer.shell().http().url());
        urls.put("inference", inference.shell().http().url());
        return urls;
    }

    /**
     * Whether every service is up within {@code timeout}: all readiness checks pass, except that
     * inference may still wait for its first model (it becomes ready when one is published).
     */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (var shell :
                new io.streamtune.runtime.ServiceShell[] {
                    ingest.shell(), trainer.shell(), inference.shell()
                }) {
            boolean up = false;
            while (!up && System.nanoTime() < deadline) {
                up =
                        shell.health().evaluate().entrySet().stream()
                                .allMatch(
                                        e ->
                                                e.getValue().up()
                                                        || (shell == inference.shell()
                                                                && (e.getKey().equals("model")
                                                                        || e.getKey()
                                                                                .startsWith(
                                                                                        "model:"))));
                if (!up) {
                    Thread.sleep(100);
                }
            }
            if (!up) {
                log.warn(
                        "{} is not ready: {}", shell.config().service(), shell.health().evaluate());
                return false;
            }
        }
        return true;
    }

    /** Registers something to close with the stack (before the services and the broker). */
    public <T extends AutoCloseable> T manage(T resource) {
        return lifecycle.add(resource);
    }

    /** Closes everything on SIGTERM/Ctrl-C. */
    public LocalStack closeOnShutdown() {
        lifecycle.closeOnShutdown();
        return this;
    }

    /** Blocks until stopped. */
    public void awaitStop() throws InterruptedException {
        lifecycle.awaitStop();
    }

    @Override
    public void close() {
        lifecycle.close();
    }
}
