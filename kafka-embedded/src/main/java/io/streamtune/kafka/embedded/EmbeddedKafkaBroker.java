package io.streamtune.kafka.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka broker (combined broker + KRaft controller) running in this JVM.
 *
 * <p>Data lives in a directory of the caller's choice: a persistent one for the local stack (the
 * cluster id is kept in {@code cluster.id} next to the logs so a restart finds its data), or a
 * temporary one that {@link #close()} deletes.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private final Path dataDir;
    private final boolean deleteOnClose;
    private final int port;
    private final int controllerPort;
    private final KafkaRaftServer server;
    private volatile boolean closed;

    private EmbeddedKafkaBroker(Builder b) {
        this.deleteOnClose = b.dataDir == null;
        try {
            this.dataDir =
                    b.dataDir != null ? b.dataDir : Files.createTempDirectory("streamtune-kafka-");
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create Kafka data directory", e);
        }
        int[] free = freePorts(2);
        this.port = b.port > 0 ? b.port : free[0];
        this.controllerPort = b.controllerPort > 0 ? b.controllerPort : free[1];
        requirePortFree(port, "kafka.port");
        requirePortFree(controllerPort, "kafka.controller.port");

        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put(
                "listeners",
                "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", dataDir.resolve("logs").toString());
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "5");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "3");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("num.partitions", "1");
        props.put("auto.create.topics.enable", "false");
        props.put("message.max.bytes", Integer.toString(b.maxMessageBytes));
        props.put("replica.fetch.max.bytes", Integer.toString(b.maxMessageBytes));
        props.put(
                "socket.request.max.bytes",
                Integer.toString(Math.max(b.maxMessageBytes * 2, 104857600)));
        props.put("log.cleaner.dedupe.buffer.size", Long.toString(8L * 1024 * 1024));
        props.put("log.segment.bytes", Integer.toString(64 * 1024 * 1024));
        props.putAll(b.overrides);

        try {
            String clusterId = clusterId(dataDir);
            Path config = dataDir.resolve("server.properties");
            try (var out = Files.newOutputStream(config)) {
                props.store(out, "written by streamtune's embedded broker");
            }
            var formatLog = new ByteArrayOutputStream();
            try (var ps = new PrintStream(formatLog, true, StandardCharsets.UTF_8)) {
                StorageTool.execute(
                        new String[] {
                            "format", "-t", clusterId, "-c", config.toString(), "--ignore-formatted"
                        },
                        ps);
            }
            log.debug("storage format: {}", formatLog.toString(StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot format Kafka storage in " + dataDir, e);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "cannot format Kafka storage in " + dataDir + ": " + e.getMessage(), e);
        }
        this.server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
    }

    /** A builder with temp storage, free ports and an 8 MiB image budget. */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts the broker and waits until it answers {@code describeCluster}. */
    public EmbeddedKafkaBroker start(Duration timeout) {
        long t0 = System.nanoTime();
        server.startup();
        long deadline = t0 + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try (Admin admin =
                    Admin.create(
                            Map.of(
                                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000))) {
                admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
                log.info(
                        "Kafka broker ready at {} in {} ms (data in {})",
                        bootstrapServers(),
                        (System.nanoTime() - t0) / 1_000_000,
                        dataDir);
                return this;
            } catch (Exception e) {
                last = e;
                sleep(200);
            }
        }
        close();
        throw new IllegalStateException(
                "Kafka broker did not become ready within " + timeout, last);
    }

    /** {@code host:port} for clients. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Where logs and the cluster id live. */
    public Path dataDir() {
        return dataDir;
    }

    /** Stops the broker; deletes temporary storage. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            log.warn("error while stopping Kafka broker: {}", e.toString());
        }
        if (deleteOnClose) {
            deleteRecursively(dataDir);
        }
        log.info("Kafka broker at {} stopped", bootstrapServers());
    }

    private static String clusterId(Path dataDir) throws IOException {
        Path file = dataDir.resolve("cluster.id");
        if (Files.exists(file)) {
            return Files.readString(file).strip();
        }
        String id = Uuid.randomUuid().toString();
        Files.writeString(file, id);
        return id;
    }

    /** A port that was free a moment ago on loopback. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on loopback", e);
        }
    }

    /** {@code n} distinct ports that were free a moment ago (held together, so none repeats). */
    public static int[] freePorts(int n) {
        ServerSocket[] sockets = new ServerSocket[n];
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                sockets[i] = new ServerSocket(0, 0, InetAddress.getLoopbackAddress());
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("no free ports on loopback", e);
        } finally {
            for (ServerSocket s : sockets) {
                if (s != null) {
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // best effort
                    }
                }
            }
        }
    }

    private static void requirePortFree(int port, String key) {
        try (ServerSocket s = new ServerSocket(port, 0, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
        } catch (IOException e) {
            throw new IllegalStateException(key + ": port " + port + " is already in use", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.debug("could not delete {}: {}", dir, e.toString());
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka", e);
        }
    }

    /** Options for {@link EmbeddedKafkaBroker}. */
    public static final class Builder {
        private Path dataDir;
        private int port;
        private int controllerPort;
        private int maxMessageBytes = 16 * 1024 * 1024;
        private final Properties overrides = new Properties();

        private Builder() {}

        /** Persistent data directory; by default a temporary one deleted on close. */
        public Builder dataDir(Path dir) {
            this.dataDir = Objects.requireNonNull(dir, "dataDir");
            return this;
        }

        /** Client port; 0 = pick a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Controller port; 0 = pick a free one. */
        public Builder controllerPort(int port) {
            this.controllerPort = port;
            return this;
        }

        /** Largest record the broker accepts. */
        public Builder maxMessageBytes(int bytes) {
            if (bytes < 1024 * 1024) {
                throw new IllegalArgumentException("maxMessageBytes must be >= 1 MiB");
            }
            this.maxMessageBytes = bytes;
            return this;
        }

        /** Any other broker property. */
        public Builder property(String key, String value) {
            overrides.put(key, value);
            return this;
        }

        /** Creates the broker (storage formatted, not yet started). */
        public EmbeddedKafkaBroker build() {
            return new EmbeddedKafkaBroker(this);
        }
    }
}
