package io.streamtune.runtime;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamtune.contracts.Topic;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The common frame of a service process: metrics registry, health checks, the admin HTTP server, a
 * Kafka admin client with the owned topics provisioned, and the lifecycle that closes it all.
 */
public final class ServiceShell implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServiceShell.class);
    private static final long KAFKA_CHECK_CACHE_MS = 5_000;

    private final ServiceConfig config;
    private final PrometheusMeterRegistry registry;
    private final Health health = new Health();
    private final Lifecycle lifecycle;
    private final Admin admin;
    private final AdminHttpServer http;

    private ServiceShell(ServiceConfig config, List<? extends Topic<?, ?>> ownedTopics) {
        this.config = config;
        this.lifecycle = new Lifecycle(config.service());
        try {
            this.registry = ServiceMetrics.prometheus(config.service());
            lifecycle.add(registry::close);
            var adminClient =
                    org.apache.kafka.clients.admin.AdminClient.create(
                            config.kafka().admin(config.instanceId() + "-admin"));
            this.admin = adminClient;
            lifecycle.add(() -> adminClient.close(Duration.ofSeconds(2)));
            lifecycle.add(new KafkaClientMetrics(adminClient)).bindTo(registry);
            new TopicProvisioner(admin, config.topicReplication(), 30_000).ensure(ownedTopics);
            health.register("kafka", kafkaCheck());
            this.http =
                    lifecycle.add(
                            AdminHttpServer.start(
                                    config.service(),
                                    config.httpHost(),
                                    config.httpPort(),
                                    "http.port",
                                    health,
                                    registry,
                                    4));
        } catch (RuntimeException e) {
            lifecycle.close();
            throw e;
        }
    }

    /**
     * Starts the shell: provisions {@code ownedTopics} (fails fast if Kafka is unreachable or a
     * topic is incompatible).
     */
    public static ServiceShell start(
            ServiceConfig config, List<? extends Topic<?, ?>> ownedTopics) {
        List<Topic<?, ?>> prefixed =
                ownedTopics.stream()
                        .<Topic<?, ?>>map(t -> t.withPrefix(config.kafka().topicPrefix()))
                        .toList();
        return new ServiceShell(config, prefixed);
    }

    private java.util.function.Supplier<Health.Status> kafkaCheck() {
        AtomicReference<Health.Status> last =
                new AtomicReference<>(Health.Status.up("not checked yet"));
        AtomicLong checkedAt = new AtomicLong();
        return () -> {
            long now = System.currentTimeMillis();
            if (now - checkedAt.get() > KAFKA_CHECK_CACHE_MS) {
                try {
                    int nodes = admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).size();
                    last.set(Health.Status.up(nodes + " broker(s) reachable"));
                } catch (Exception e) {
                    last.set(
                            Health.Status.down(
                                    "Kafka unreachable at "
                                            + config.kafka().bootstrapServers()
                                            + ": "
                                            + e));
                }
                checkedAt.set(now);
            }
            return last.get();
        };
    }

    public ServiceConfig config() {
        return config;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public Health health() {
        return health;
    }

    public AdminHttpServer http() {
        return http;
    }

    public Admin admin() {
        return admin;
    }

    /** Registers a resource to close, before the shell's own, on shutdown. */
    public <T extends AutoCloseable> T manage(T resource) {
        return lifecycle.add(resource);
    }

    /** Binds a Kafka client's metrics to the registry; the binder is closed with the shell. */
    public void bindClientMetrics(org.apache.kafka.clients.producer.Producer<?, ?> producer) {
        manage(new KafkaClientMetrics(producer)).bindTo(registry);
    }

    /** Binds a Kafka client's metrics to the registry; the binder is closed with the shell. */
    public void bindClientMetrics(org.apache.kafka.clients.consumer.Consumer<?, ?> consumer) {
        manage(new KafkaClientMetrics(consumer)).bindTo(registry);
    }

    /** Closes everything on SIGTERM. */
    public ServiceShell closeOnShutdown() {
        lifecycle.closeOnShutdown();
        return this;
    }

    /** Blocks until the shell is closed. */
    public void awaitStop() throws InterruptedException {
        lifecycle.awaitStop();
    }

    /** Whether every readiness check passes, waiting up to {@code timeout}. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (health.ready()) {
                return true;
            }
            Thread.sleep(100);
        }
        return health.ready();
    }

    @Override
    public void close() {
        lifecycle.close();
    }
}
