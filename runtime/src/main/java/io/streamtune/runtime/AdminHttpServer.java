package io.streamtune.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of a service: {@code /health} (readiness, 200 or 503 with every check in JSON),
 * {@code /health/live} (liveness), {@code /metrics} (Prometheus text), plus routes a service adds.
 */
public final class AdminHttpServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdminHttpServer.class);

    /**
     * A JDK HTTP server that sets TCP_NODELAY on its connections; every streamtune HTTP server is
     * made here. Without it a response written as headers then body meets the client's delayed ACK:
     * every request on a kept-alive connection waited ~40 ms, which capped single image uploads at
     * ~160/s with 8 clients while the CPU was half idle. The JDK reads the switch once, when its
     * first server starts; an explicit {@code -Dsun.net.httpserver.nodelay} wins.
     */
    public static HttpServer newServer(String host, int port, int backlog) throws IOException {
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        // A request (headers and body) that takes longer than this to arrive is dropped, so
        // clients that send a byte at a time cannot hold the server's threads for ever.
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
            System.setProperty("sun.net.httpserver.maxReqTime", "30");
        }
        return HttpServer.create(new InetSocketAddress(host, port), backlog);
    }

    /** Threads beyond the configured ones that may read slow clients' request headers. */
    static final int SLOW_CLIENT_THREADS = 64;

    private final HttpServer server;
    private final ExecutorService executor;
    private final String service;

    private AdminHttpServer(HttpServer server, ExecutorService executor, String service) {
        this.server = server;
        this.executor = executor;
        this.service = service;
    }

    /**
     * Binds {@code host:port} (0 = any free port) and serves health and metrics.
     *
     * @throws IllegalStateException naming the port and its config key when it is in use
     */
    public static AdminHttpServer start(
            String service,
            String host,
            int port,
            String portKey,
            Health health,
            PrometheusMeterRegistry registry,
            int threads) {
        HttpServer server;
        try {
            server = newServer(host, port, 128);
        } catch (BindException e) {
            throw new IllegalStateException(
                    service
                            + ": cannot listen on "
                            + host
                            + ":"
                            + port
                            + " ("
                            + portKey
                            + "): port already in use",
                    e);
        } catch (IOException e) {
            throw new IllegalStateException(
                    service
                            + ": cannot listen on "
                            + host
                            + ":"
                            + port
                            + " ("
                            + portKey
                            + "): "
                            + e.getMessage(),
                    e);
        }
        // The JDK server reads a request's line and headers on these threads, before any route
        // is chosen: clients that send their headers a byte at a time (slowloris) would hold a
        // fixed pool and keep /health/live from answering until maxReqTime drops them. So the pool
        // grows, up to SLOW_CLIENT_THREADS more threads that die after 30 s idle; past that the
        // JDK closes the new connection at once instead of queueing it behind the slow ones.
        ExecutorService executor =
                new java.util.concurrent.ThreadPoolExecutor(
                        threads,
                        threads + SLOW_CLIENT_THREADS,
                        30,
                        java.util.concurrent.TimeUnit.SECONDS,
                        new java.util.concurrent.SynchronousQueue<>(),
                        r -> {
                            Thread t = new Thread(r, service + "-http");
                            t.setDaemon(true);
                            return t;
                        });
        server.setExecutor(executor);
        AdminHttpServer admin = new AdminHttpServer(server, executor, service);
        admin.route(
                "/health/live",
                ex -> {
                    Map<String, Health.Status> checks = health.evaluateLiveness();
                    boolean up = checks.values().stream().allMatch(Health.Status::up);
                    admin.respond(
                            ex, up ? 200 : 503, "application/json", json(service, up, checks));
                });
        admin.route(
                "/health",
                ex -> {
                    Map<String, Health.Status> checks = health.evaluate();
                    boolean up = checks.values().stream().allMatch(Health.Status::up);
                    admin.respond(
                            ex, up ? 200 : 503, "application/json", json(service, up, checks));
                });
        admin.route(
                "/metrics",
                ex ->
                        admin.respond(
                                ex,
                                200,
                                "text/plain; version=0.0.4; charset=utf-8",
                                registry.scrape()));
        server.start();
        log.info("{} HTTP on http://{}:{}/ (health, metrics)", service, host, admin.port());
        return admin;
    }

    /** Adds a route; exceptions become a JSON 500 naming the error. */
    public void route(String path, HttpHandler handler) {
        server.createContext(
                path,
                ex -> {
                    // the catch inside the try-with-resources: the exchange must still be open
                    // to answer 500
                    try (ex) {
                        try {
                            handler.handle(ex);
                        } catch (RuntimeException | IOException e) {
                            internalError(ex, e);
                        }
                    }
                });
    }

    private static final io.streamtune.runtime.http.JsonResponses RESPONSES =
            new io.streamtune.runtime.http.JsonResponses(io.streamtune.contracts.JsonSerde.MAPPER);

    private static void internalError(HttpExchange ex, Exception e) {
        RESPONSES.internalError(ex, e);
    }

    /**
     * Adds a route whose handler runs on {@code pool} instead of the server's threads, so slow work
     * behind it (an upload read slowly, or waiting for Kafka) never holds the threads that answer
     * {@code /health/live}, {@code /health} and {@code /metrics}. When the pool takes no more (its
     * queue is bounded), the request gets 503 with {@code Retry-After} at once.
     */
    public void routeOn(String path, HttpHandler handler, ExecutorService pool) {
        server.createContext(
                path,
                ex -> {
                    try {
                        pool.execute(
                                () -> {
                                    try (ex) {
                                        try {
                                            handler.handle(ex);
                                        } catch (RuntimeException | IOException e) {
                                            internalError(ex, e);
                                        }
                                    }
                                });
                    } catch (java.util.concurrent.RejectedExecutionException busy) {
                        try (ex) {
                            ex.getResponseHeaders().set("Retry-After", "1");
                            respond(
                                    ex,
                                    503,
                                    "application/json",
                                    "{\"error\":\"busy: too many requests in flight, retry"
                                            + " later\"}");
                        }
                    }
                });
    }

    /**
     * A pool for {@link #routeOn}: {@code threads} daemon threads named {@code name}, at most
     * {@code queue} requests waiting.
     */
    public static ExecutorService boundedPool(String name, int threads, int queue) {
        return new java.util.concurrent.ThreadPoolExecutor(
                threads,
                threads,
                30,
                java.util.concurrent.TimeUnit.SECONDS,
                new java.util.concurrent.ArrayBlockingQueue<>(queue),
                r -> {
                    Thread t = new Thread(r, name);
                    t.setDaemon(true);
                    return t;
                });
    }

    /** Writes a complete response. */
    public void respond(HttpExchange ex, int status, String contentType, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        respond(ex, status, contentType, bytes);
    }

    /** Writes a complete binary response. */
    public void respond(HttpExchange ex, int status, String contentType, byte[] bytes)
            throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** The bound port. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Base URL, e.g. {@code http://127.0.0.1:8081}. */
    public String url() {
        String host = server.getAddress().getHostString();
        return "http://" + ("0.0.0.0".equals(host) ? "127.0.0.1" : host) + ":" + port();
    }

    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
        log.info("{} HTTP stopped", service);
    }

    /** {@code {"status":"UP|DOWN","service":...,"checks":{name:{up,detail}}}}. */
    private static String json(String service, boolean up, Map<String, Health.Status> checks) {
        StringBuilder json =
                new StringBuilder("{\"status\":\"")
                        .append(up ? "UP" : "DOWN")
                        .append("\",\"service\":\"")
                        .append(service)
                        .append("\",\"checks\":{");
        String sep = "";
        for (var e : checks.entrySet()) {
            json.append(sep)
                    .append('"')
                    .append(Json.escape(e.getKey()))
                    .append("\":{\"up\":")
                    .append(e.getValue().up())
                    .append(",\"detail\":\"")
                    .append(Json.escape(String.valueOf(e.getValue().detail())))
                    .append("\"}");
            sep = ",";
        }
        return json.append("}}").toString();
    }
}
