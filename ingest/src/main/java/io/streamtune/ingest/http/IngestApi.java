package io.streamtune.ingest.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.Label;
import io.streamtune.contracts.Names;
import io.streamtune.contracts.TrainingRequested;
import io.streamtune.ingest.IngestConfig;
import io.streamtune.ingest.accept.Acceptor;
import io.streamtune.ingest.accept.Origin;
import io.streamtune.ingest.accept.Outcome;
import io.streamtune.ingest.accept.Submission;
import io.streamtune.ingest.trigger.ModelStats;
import io.streamtune.ingest.trigger.StatsView;
import io.streamtune.ingest.validate.RejectReason;
import io.streamtune.runtime.AdminHttpServer;
import io.streamtune.runtime.ConfigException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest HTTP API, on the service's {@link AdminHttpServer}:
 *
 * <ul>
 *   <li>{@code POST /v1/models/{model}/images}: one image. Either the raw image as body ({@code
 *       image/jpeg}, {@code image/png}) with the label in the {@code X-Label} header (JSON) or a
 *       {@code class} query parameter; or {@code application/json} {@code {"image": base64,
 *       "label": {...}, "source": "..."}}. 201 accepted, 200 relabelled or unchanged, 4xx naming
 *       the reason.
 *   <li>{@code POST /v1/models/{model}/images/batch}: NDJSON ({@code application/x-ndjson}) or a
 *       JSON array of such objects; 200 with one result per item.
 *   <li>{@code POST /v1/models/{model}/train}: manual training request; 202.
 *   <li>{@code GET /v1/models/{model}/stats} and {@code GET /v1/models}: dataset counts
 *       (interactive queries).
 * </ul>
 *
 * <p>Every 2xx for an upload is sent only after Kafka acknowledged the write. Requests need {@code
 * Authorization: Bearer <http.auth.token>} unless auth is disabled; bodies over {@code
 * http.max.request.bytes} get 413 before they are read. Nothing in a request is ever used as a file
 * path.
 */
public final class IngestApi {

    private static final Logger log = LoggerFactory.getLogger(IngestApi.class);
    private static final long KAFKA_TIMEOUT_S = 60;
    private static final long DRAIN_LIMIT = 256L << 20;
    private static final JsonSerde<TrainingRequested> REQUESTED =
            JsonSerde.of(TrainingRequested.class);

    private final IngestConfig.Http config;
    private final java.util.concurrent.Semaphore uploads;
    private final Acceptor acceptor;
    private final StatsView stats;
    private final Producer<byte[], byte[]> producer;
    private final String requestsTopic;
    private final Clock clock;
    private final byte[] token;
    private volatile int apiPort = -1;

    public IngestApi(
            IngestConfig.Http config,
            Acceptor acceptor,
            StatsView stats,
            Producer<byte[], byte[]> producer,
            String requestsTopic,
            Clock clock) {
        this.config = config;
        this.uploads = new java.util.concurrent.Semaphore(config.maxConcurrentUploads());
        this.acceptor = acceptor;
        this.stats = stats;
        this.producer = producer;
        this.requestsTopic = requestsTopic;
        this.clock = clock;
        this.token =
                config.token() == null ? null : config.token().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Adds the {@code /v1/} routes to the service's own server, their work on {@code threads}
     * threads of their own (and at most 4 requests per thread waiting; more get 503), so uploads
     * never hold the threads that answer the health probes. Closing it stops those threads.
     */
    public AutoCloseable register(AdminHttpServer http, int threads) {
        ExecutorService pool = AdminHttpServer.boundedPool("ingest-api", threads, threads * 4);
        http.routeOn("/v1/", this::handle, pool);
        return pool::shutdownNow;
    }

    /**
     * Serves the API on a server of its own ({@code http.api.port}) with {@code threads} handler
     * threads: each upload holds its thread until Kafka acknowledged it, so more threads mean more
     * uploads in flight.
     */
    public AutoCloseable serve(String host, int port, int threads) {
        HttpServer server;
        try {
            server = AdminHttpServer.newServer(host, port, 256);
        } catch (IOException e) {
            throw new ConfigException(
                    "http.api.port",
                    "cannot listen on " + host + ":" + port + ": " + e.getMessage());
        }
        ExecutorService pool =
                Executors.newFixedThreadPool(
                        threads,
                        r -> {
                            Thread t = new Thread(r, "ingest-api");
                            t.setDaemon(true);
                            return t;
                        });
        server.setExecutor(pool);
        server.createContext(
                "/v1/",
                ex -> {
                    try (ex) {
                        handle(ex);
                    } catch (IOException | RuntimeException e) {
                        String id = java.util.UUID.randomUUID().toString().substring(0, 8);
                        log.warn(
                                "{} {} failed (error {}): {}",
                                ex.getRequestMethod(),
                                ex.getRequestURI().getPath(),
                                id,
                                e.toString());
                        try {
                            // internals stay in the log; the client gets an id to quote
                            error(
                                    ex,
                                    500,
                                    "internal_error",
                                    "internal error " + id + ", see the service log");
                        } catch (IOException | RuntimeException ignored) {
                            // the response had already started
                        }
                    }
                });
        server.start();
        apiPort = server.getAddress().getPort();
        log.info("ingest API on http://{}:{}/v1/ ({} threads)", host, apiPort, threads);
        return () -> {
            server.stop(1);
            pool.shutdownNow();
        };
    }

    /** Port of the API's own server, -1 when it shares the admin server. */
    public int apiPort() {
        return apiPort;
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            authorize(ex);
            String[] parts = ex.getRequestURI().getRawPath().substring(1).split("/");
            String method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
            if (parts.length == 2 && parts[1].equals("models")) {
                requireMethod(method, "GET");
                json(ex, 200, stats.all().stream().map(IngestApi::statsJson).toList());
                return;
            }
            if (parts.length < 4 || !parts[1].equals("models")) {
                throw new HttpProblem(
                        404, "not_found", "no such resource: " + ex.getRequestURI().getPath());
            }
            String model = model(parts[2]);
            String rest = String.join("/", java.util.Arrays.copyOfRange(parts, 3, parts.length));
            switch (rest) {
                case "images" -> {
                    requireMethod(method, "POST");
                    upload(ex, () -> uploadOne(ex, model));
                }
                case "images/batch" -> {
                    requireMethod(method, "POST");
                    upload(ex, () -> uploadBatch(ex, model));
                }
                case "train" -> {
                    requireMethod(method, "POST");
                    train(ex, model);
                }
                case "stats" -> {
                    requireMethod(method, "GET");
                    modelStats(ex, model);
                }
                default ->
                        throw new HttpProblem(
                                404,
                                "not_found",
                                "no such resource: " + ex.getRequestURI().getPath());
            }
        } catch (HttpProblem p) {
            if (p.status() == 401) {
                ex.getResponseHeaders()
                        .set("WWW-Authenticate", "Bearer realm=\"streamtune-ingest\"");
            }
            error(ex, p.status(), p.error(), p.getMessage());
        } catch (UnavailableException e) {
            // Kafka's messages name brokers and addresses: log them, answer without them
            log.warn(
                    "{} {}: {}",
                    ex.getRequestMethod(),
                    ex.getRequestURI().getPath(),
                    e.getMessage());
            ex.getResponseHeaders().set("Retry-After", "1");
            error(ex, 503, "unavailable", e.clientMessage());
        }
    }

    private void authorize(HttpExchange ex) throws HttpProblem {
        if (!config.authEnabled()) {
            return;
        }
        String header = ex.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new HttpProblem(
                    401, "unauthorized", "missing bearer token (Authorization: Bearer <token>)");
        }
        byte[] given = header.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, token)) {
            throw new HttpProblem(401, "unauthorized", "invalid bearer token");
        }
    }

    private static void requireMethod(String method, String expected) throws HttpProblem {
        if (!method.equals(expected)) {
            throw new HttpProblem(405, "method_not_allowed", "use " + expected);
        }
    }

    private static String model(String raw) throws HttpProblem {
        String model = URLDecoder.decode(raw, StandardCharsets.UTF_8);
        try {
            return Names.requireModelName(model);
        } catch (IllegalArgumentException e) {
            throw new HttpProblem(400, "bad_model", e.getMessage());
        }
    }

    private void uploadOne(HttpExchange ex, String model) throws IOException, HttpProblem {
        String type = contentType(ex);
        byte[] body = readBody(ex);
        Origin origin = Origin.of("http");
        Submission submission;
        if (type.equals("application/json")) {
            try {
                submission = fromJson(JsonSerde.MAPPER.readTree(body), model, origin);
            } catch (IOException | IllegalArgumentException e) {
                Outcome o =
                        await(
                                acceptor.reject(
                                        new Origin("http", "http", -1, -1, null, body),
                                        RejectReason.MALFORMED_RECORD,
                                        message(e)));
                outcome(ex, o);
                return;
            }
        } else if (type.equals("image/jpeg")
                || type.equals("image/png")
                || type.equals("application/octet-stream")) {
            Label label;
            try {
                label = labelFromRequest(ex);
            } catch (IllegalArgumentException | IOException e) {
                Outcome o =
                        await(
                                acceptor.reject(
                                        origin,
                                        RejectReason.MALFORMED_RECORD,
                                        "label: " + message(e)));
                outcome(ex, o);
                return;
            }
            submission = new Submission(model, body, label, query(ex).get("source"), origin);
        } else {
            // A sample in a format we do not take is still a refused sample: parked and counted
            // like any other.
            outcome(
                    ex,
                    await(
                            acceptor.reject(
                                    new Origin("http", "http", -1, -1, null, body),
                                    RejectReason.UNSUPPORTED_FORMAT,
                                    "send image/jpeg, image/png (label in X-Label or ?class=) or "
                                            + "application/json, not '"
                                            + type
                                            + "'")));
            return;
        }
        outcome(ex, await(acceptor.submit(submission)));
    }

    private void requireBatchSize(int items) throws HttpProblem {
        if (items > config.maxBatchItems()) {
            throw new HttpProblem(
                    413,
                    "too_many_items",
                    "a batch may hold "
                            + config.maxBatchItems()
                            + " items (http.max.batch.items); split it");
        }
    }

    /** An upload's work, which reads its body and may wait on Kafka. */
    @FunctionalInterface
    private interface Upload {
        void run() throws IOException, HttpProblem;
    }

    /**
     * Runs an upload if fewer than {@code http.max.concurrent.uploads} are in progress; otherwise
     * answers 503 with {@code Retry-After} at once instead of queueing behind a slow Kafka.
     */
    private void upload(HttpExchange ex, Upload work) throws IOException, HttpProblem {
        if (!uploads.tryAcquire()) {
            ex.getResponseHeaders().set("Retry-After", "1");
            ex.getResponseHeaders().set("Connection", "close");
            throw new HttpProblem(
                    503,
                    "busy",
                    config.maxConcurrentUploads()
                            + " uploads in progress (http.max.concurrent.uploads); retry after 1 s");
        }
        try {
            work.run();
        } finally {
            uploads.release();
        }
    }

    private void uploadBatch(HttpExchange ex, String model) throws IOException, HttpProblem {
        String type = contentType(ex);
        byte[] body = readBody(ex);
        List<JsonNode> items = new ArrayList<>();
        if (type.equals("application/x-ndjson") || type.equals("application/jsonl")) {
            int start = 0;
            for (int i = 0; i <= body.length; i++) {
                if (i == body.length || body[i] == '\n') {
                    if (i > start
                            && !new String(body, start, i - start, StandardCharsets.UTF_8)
                                    .isBlank()) {
                        items.add(parseItem(body, start, i - start));
                        requireBatchSize(items.size());
                    }
                    start = i + 1;
                }
            }
        } else if (type.equals("application/json")) {
            JsonNode root;
            try {
                root = JsonSerde.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new HttpProblem(
                        400,
                        RejectReason.MALFORMED_RECORD.tag(),
                        "body is not JSON: " + message(e));
            }
            if (root == null || !root.isArray()) {
                throw new HttpProblem(
                        400,
                        RejectReason.MALFORMED_RECORD.tag(),
                        "batch body must be a JSON array");
            }
            requireBatchSize(root.size());
            root.forEach(items::add);
        } else {
            throw new HttpProblem(
                    415,
                    "unsupported_media_type",
                    "send application/x-ndjson or a JSON array (application/json), not '"
                            + type
                            + "'");
        }
        List<CompletableFuture<Outcome>> futures = new ArrayList<>(items.size());
        for (JsonNode item : items) {
            Origin origin = Origin.of("http");
            if (item == null) {
                futures.add(
                        acceptor.reject(origin, RejectReason.MALFORMED_RECORD, "line is not JSON"));
                continue;
            }
            try {
                futures.add(acceptor.submit(fromJson(item, model, origin)));
            } catch (IllegalArgumentException e) {
                futures.add(
                        acceptor.reject(
                                new Origin(
                                        "http",
                                        "http",
                                        -1,
                                        -1,
                                        null,
                                        item.toString().getBytes(StandardCharsets.UTF_8)),
                                RejectReason.MALFORMED_RECORD,
                                message(e)));
            }
        }
        List<Map<String, Object>> results = new ArrayList<>(futures.size());
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int i = 0; i < futures.size(); i++) {
            Outcome o = await(futures.get(i));
            Map<String, Object> r = outcomeJson(o);
            r.put("index", i);
            results.add(r);
            counts.merge(o.status().name().toLowerCase(Locale.ROOT), 1, Integer::sum);
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("model", model);
        response.put("counts", counts);
        response.put("results", results);
        json(ex, 200, response);
    }

    private static JsonNode parseItem(byte[] body, int offset, int length) {
        try {
            return JsonSerde.MAPPER.readTree(body, offset, length);
        } catch (IOException e) {
            return null;
        }
    }

    private static Submission fromJson(JsonNode node, String model, Origin origin) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("expected a JSON object with image and label");
        }
        JsonNode m = node.get("model");
        if (m != null && !m.isNull() && !model.equals(m.asText())) {
            throw new IllegalArgumentException(
                    "model '"
                            + m.asText()
                            + "' in the body differs from '"
                            + model
                            + "' in the path");
        }
        JsonNode image = node.get("image");
        if (image == null || !image.isTextual()) {
            throw new IllegalArgumentException("field 'image' (base64 string) is missing");
        }
        byte[] bytes = Base64.getDecoder().decode(image.asText());
        JsonNode labelNode = node.get("label");
        if (labelNode == null || labelNode.isNull()) {
            throw new IllegalArgumentException("field 'label' is missing");
        }
        Label label;
        try {
            label = JsonSerde.MAPPER.treeToValue(labelNode, Label.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid label: " + message(e));
        }
        JsonNode source = node.get("source");
        return new Submission(
                model,
                bytes,
                label,
                source == null || source.isNull() ? null : source.asText(),
                origin);
    }

    private static Label labelFromRequest(HttpExchange ex) throws IOException {
        String header = ex.getRequestHeaders().getFirst("X-Label");
        if (header != null) {
            return JsonSerde.MAPPER.readValue(header, Label.class);
        }
        String className = query(ex).get("class");
        if (className != null) {
            return new Label.ClassLabel(className);
        }
        throw new IllegalArgumentException(
                "give the label as X-Label header (JSON) or ?class=<name>");
    }

    private void train(HttpExchange ex, String model) throws IOException, HttpProblem {
        byte[] body = readBody(ex);
        String by = "http";
        if (body.length > 0) {
            try {
                JsonNode node = JsonSerde.MAPPER.readTree(body);
                if (node != null && node.hasNonNull("requestedBy")) {
                    by = node.get("requestedBy").asText();
                }
            } catch (IOException e) {
                throw new HttpProblem(
                        400,
                        RejectReason.MALFORMED_RECORD.tag(),
                        "body is not JSON: " + message(e));
            }
        }
        TrainingRequested request;
        try {
            request = new TrainingRequested(model, by, clock.instant());
        } catch (IllegalArgumentException e) {
            throw new HttpProblem(400, "bad_request", e.getMessage());
        }
        try {
            producer.send(
                            new ProducerRecord<>(
                                    requestsTopic,
                                    model.getBytes(StandardCharsets.UTF_8),
                                    REQUESTED.toBytes(request)))
                    .get(KAFKA_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new UnavailableException(
                    "Kafka did not take the request: " + e.getMessage(), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while waiting for Kafka", false);
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("model", model);
        response.put("requested", true);
        response.put("requestedBy", by);
        json(ex, 202, response);
    }

    private void modelStats(HttpExchange ex, String model) throws IOException, HttpProblem {
        Optional<ModelStats> s = stats.get(model);
        if (s.isEmpty()) {
            Optional<String> owner = stats.owner(model);
            throw new HttpProblem(
                    404,
                    "unknown_model",
                    "no samples for model "
                            + model
                            + " on this instance"
                            + owner.map(o -> " (another instance holds its stats)").orElse(""));
        }
        json(ex, 200, statsJson(s.get()));
    }

    private static Map<String, Object> statsJson(ModelStats s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", s.model());
        m.put("totalSamples", s.totalSamples());
        m.put("pendingSamples", s.pendingSamples());
        m.put("classes", s.sortedClassCounts());
        m.put("triggers", s.triggers());
        m.put("pendingSince", s.pendingSince());
        m.put("lastTriggerAt", s.lastTriggerAt());
        m.put("lastTriggerId", s.lastTriggerId());
        m.put("lastTriggerReason", s.lastTriggerReason());
        return m;
    }

    private static Outcome await(CompletableFuture<Outcome> future) {
        try {
            return future.get(KAFKA_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (ExecutionException | CompletionException e) {
            throw new UnavailableException(
                    "Kafka did not acknowledge the write: " + e.getCause(), false);
        } catch (TimeoutException e) {
            throw new UnavailableException(
                    "Kafka did not acknowledge the write within " + KAFKA_TIMEOUT_S + " s", false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while waiting for Kafka", false);
        }
    }

    private void outcome(HttpExchange ex, Outcome o) throws IOException {
        int status =
                switch (o.status()) {
                    case ACCEPTED -> 201;
                    case RELABELLED, UNCHANGED -> 200;
                    case REJECTED -> o.reason().httpStatus();
                };
        json(ex, status, outcomeJson(o));
    }

    private static Map<String, Object> outcomeJson(Outcome o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", o.status().name().toLowerCase(Locale.ROOT));
        if (o.key() != null) {
            m.put("key", o.key());
            m.put("sampleId", o.key().substring(o.key().indexOf('/') + 1));
        }
        if (o.status() == Outcome.Status.REJECTED) {
            m.put("error", o.reason().tag());
            m.put("detail", o.detail());
        } else {
            m.put("width", o.width());
            m.put("height", o.height());
        }
        return m;
    }

    private byte[] readBody(HttpExchange ex) throws IOException, HttpProblem {
        long max = config.maxRequestBytes();
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.strip()) > max) {
                    drain(ex);
                    throw new HttpProblem(
                            413,
                            "request_too_large",
                            "request body is "
                                    + length.strip()
                                    + " bytes, limit is "
                                    + max
                                    + " (http.max.request.bytes)");
                }
            } catch (NumberFormatException e) {
                throw new HttpProblem(400, "bad_request", "invalid Content-Length");
            }
        }
        // grows with the bytes that arrive: a declared length allocates nothing up front
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = ex.getRequestBody()) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (out.size() + (long) n > max) {
                    drain(ex);
                    throw new HttpProblem(
                            413,
                            "request_too_large",
                            "request body exceeds " + max + " bytes (http.max.request.bytes)");
                }
                out.write(buffer, 0, n);
            }
        }
        return out.toByteArray();
    }

    /**
     * Reads and discards what is left of a refused body, up to {@link #DRAIN_LIMIT}, so the client
     * gets the 413 instead of a connection reset; beyond that the connection is closed.
     */
    private static void drain(HttpExchange ex) {
        ex.getResponseHeaders().set("Connection", "close");
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try {
            InputStream in = ex.getRequestBody();
            int n;
            while (total < DRAIN_LIMIT && (n = in.read(buffer)) > 0) {
                total += n;
            }
        } catch (IOException e) {
            // the client went away; nothing to answer
        }
    }

    private static String contentType(HttpExchange ex) {
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (type == null) {
            return "";
        }
        int semi = type.indexOf(';');
        return (semi >= 0 ? type.substring(0, semi) : type).strip().toLowerCase(Locale.ROOT);
    }

    private static Map<String, String> query(HttpExchange ex) {
        Map<String, String> out = new LinkedHashMap<>();
        String raw = ex.getRequestURI().getRawQuery();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static void json(HttpExchange ex, int status, Object body) throws IOException {
        respond(ex, status, JsonSerde.MAPPER.writeValueAsBytes(body));
    }

    private static void respond(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (var out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static void error(HttpExchange ex, int status, String error, String detail)
            throws IOException {
        ObjectNode node = JsonSerde.MAPPER.createObjectNode();
        node.put("error", error);
        node.put("detail", detail);
        if (status >= 500) {
            log.warn(
                    "{} {} -> {}: {}",
                    ex.getRequestMethod(),
                    ex.getRequestURI().getPath(),
                    status,
                    detail);
        }
        respond(ex, status, JsonSerde.MAPPER.writeValueAsBytes(node));
    }

    private static String message(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl > 0 ? m.substring(0, nl) : m;
    }
}
