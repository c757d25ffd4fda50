package io.streamtune.kafka.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A multi-node KRaft cluster in this JVM (every node broker + controller, static quorum), for
 * replication and fail-over tests: nodes can be stopped and started one by one.
 */
public final class EmbeddedKafkaCluster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaCluster.class);

    private final Path dir;
    private final int[] ports;
    private final Properties[] configs;
    private final KafkaRaftServer[] servers;
    private final boolean[] running;

    private EmbeddedKafkaCluster(int nodes, int minInsyncReplicas) {
        try {
            dir = Files.createTempDirectory("streamtune-cluster-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int[] free = EmbeddedKafkaBroker.freePorts(2 * nodes);
        ports = java.util.Arrays.copyOfRange(free, 0, nodes);
        int[] controllerPorts = java.util.Arrays.copyOfRange(free, nodes, 2 * nodes);
        String voters =
                IntStream.range(0, nodes)
                        .mapToObj(i -> (i + 1) + "@127.0.0.1:" + controllerPorts[i])
                        .collect(Collectors.joining(","));
        String clusterId = Uuid.randomUuid().toString();
        short rf = (short) Math.min(3, nodes);
        configs = new Properties[nodes];
        servers = new KafkaRaftServer[nodes];
        running = new boolean[nodes];
        for (int i = 0; i < nodes; i++) {
            Properties p = new Properties();
            p.put("process.roles", "broker,controller");
            p.put("node.id", Integer.toString(i + 1));
            p.put("controller.quorum.voters", voters);
            p.put(
                    "listeners",
                    "PLAINTEXT://127.0.0.1:"
                            + ports[i]
                            + ",CONTROLLER://127.0.0.1:"
                            + controllerPorts[i]);
            p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + ports[i]);
            p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            p.put("controller.listener.names", "CONTROLLER");
            p.put("inter.broker.listener.name", "PLAINTEXT");
            p.put("log.dirs", dir.resolve("node-" + (i + 1)).toString());
            p.put("offsets.topic.replication.factor", Short.toString(rf));
            p.put("offsets.topic.num.partitions", "5");
            p.put("transaction.state.log.replication.factor", Short.toString(rf));
            p.put(
                    "transaction.state.log.min.isr",
                    Integer.toString(Math.min(minInsyncReplicas, rf)));
            p.put("transaction.state.log.num.partitions", "3");
            p.put("share.coordinator.state.topic.replication.factor", Short.toString(rf));
            p.put("share.coordinator.state.topic.min.isr", "1");
            p.put("default.replication.factor", Short.toString(rf));
            p.put("min.insync.replicas", Integer.toString(minInsyncReplicas));
            p.put("group.initial.rebalance.delay.ms", "0");
            p.put("auto.create.topics.enable", "false");
            p.put("message.max.bytes", Integer.toString(16 << 20));
            p.put("replica.fetch.max.bytes", Integer.toString(16 << 20));
            p.put("log.cleaner.dedupe.buffer.size", Long.toString(4L << 20));
            p.put("replica.lag.time.max.ms", "5000");
            // A loaded 2-core machine can take a while to elect the first quorum leader.
            p.put("initial.broker.registration.timeout.ms", "240000");
            p.put("controller.quorum.election.timeout.ms", "3000");
            p.put("controller.quorum.fetch.timeout.ms", "6000");
            configs[i] = p;
            format(p, clusterId, dir.resolve("node-" + (i + 1) + ".properties"));
        }
    }

    /**
     * A cluster of {@code nodes} combined nodes with the given {@code min.insync.replicas},
     * started.
     */
    public static EmbeddedKafkaCluster start(int nodes, int minInsyncReplicas, Duration timeout) {
        EmbeddedKafkaCluster cluster = new EmbeddedKafkaCluster(nodes, minInsyncReplicas);
        // One thread per node: each start blocks until the quorum forms, which needs the others.
        var pool = java.util.concurrent.Executors.newFixedThreadPool(nodes);
        var starts =
                IntStream.range(0, nodes)
                        .mapToObj(i -> CompletableFuture.runAsync(() -> cluster.startNode(i), pool))
                        .toList();
        pool.shutdown();
        try {
            CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            cluster.awaitBrokers(nodes, timeout);
        } catch (Exception e) {
            cluster.close();
            throw new IllegalStateException("cluster of " + nodes + " did not start: " + e, e);
        }
        log.info("Kafka cluster of {} ready at {}", nodes, cluster.bootstrapServers());
        return cluster;
    }

    private static void format(Properties p, String clusterId, Path file) {
        try (var out = Files.newOutputStream(file)) {
            p.store(out, null);
            var sink = new ByteArrayOutputStream();
            try (var ps = new PrintStream(sink, true, StandardCharsets.UTF_8)) {
                StorageTool.execute(
                        new String[] {
                            "format", "-t", clusterId, "-c", file.toString(), "--ignore-formatted"
                        },
                        ps);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot format " + file + ": " + e.getMessage(), e);
        }
    }

    /** Starts node {@code i} (0-based) if it is stopped. */
    public void startNode(int i) {
        KafkaRaftServer server;
        synchronized (this) {
            if (running[i]) {
                return;
            }
            server = new KafkaRaftServer(KafkaConfig.fromProps(configs[i], false), Time.SYSTEM);
            servers[i] = server;
            running[i] = true;
        }
        // Not under the lock: a node's start-up waits for the quorum, which needs the other nodes.
        server.startup();
    }

    /** Stops node {@code i} (0-based), as a crash of that broker would, but cleanly on disk. */
    public void stopNode(int i) {
        KafkaRaftServer server;
        synchronized (this) {
            if (!running[i]) {
                return;
            }
            running[i] = false;
            server = servers[i];
        }
        server.shutdown();
        server.awaitShutdown();
        log.info("Kafka node {} stopped", i + 1);
    }

    /** Every node's address. */
    public String bootstrapServers() {
        return IntStream.range(0, ports.length)
                .mapToObj(i -> "127.0.0.1:" + ports[i])
                .collect(Collectors.joining(","));
    }

    private void awaitBrokers(int expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
                if (admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).size() >= expected) {
                    return;
                }
            } catch (Exception e) {
                // not yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(expected + " brokers did not register within " + timeout);
    }

    @Override
    public void close() {
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(servers.length);
        for (int i = 0; i < servers.length; i++) {
            int node = i;
            stops.add(
                    CompletableFuture.runAsync(
                            () -> {
                                try {
                                    stopNode(node);
                                } catch (RuntimeException e) {
                                    log.warn("stopping node {}: {}", node + 1, e.toString());
                                }
                            },
                            pool));
        }
        pool.shutdown();
        try {
            CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new))
                    .get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("cluster did not stop cleanly: {}", e.toString());
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.debug("could not delete {}", dir);
        }
    }
}
