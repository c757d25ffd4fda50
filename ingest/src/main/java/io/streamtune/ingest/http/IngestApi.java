package io.streamtune.ingest.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.Label;
import io.streamtune.contracts.Names;
import io.streamtune.contracts.Topic;
import io.streamtune.contracts.TrainingRequested;
import io.streamtune.ingest.IngestConfig;
import io.streamtune.ingest.accept.Acceptance;
import io.streamtune.ingest.accept.Acceptor;
import io.streamtune.ingest.accept.Origin;
import io.streamtune.ingest.accept.Submission;
import io.streamtune.ingest.intake.IntakeParser;
import io.streamtune.ingest.trigger.ModelStats;
import io.streamtune.ingest.trigger.StatsQueries;
import io.streamtune.ingest.validate.RejectReason;
import io.streamtune.runtime.AdminHttpServer;
import io.streamtune.runtime.ConfigException;
import io.streamtune.runtime.http.BearerAuth;
import io.streamtune.runtime.http.BodyReader;
import io.streamtune.runtime.http.HttpProblem;
import io.streamtune.runtime.http.HttpRequest;
import io.streamtune.runtime.http.JsonResponses;
import io.streamtune.runtime.http.Routes;
import io.streamtune.runtime.http.UnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
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
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest HTTP API, on the service's {@link AdminHttpServer} or a server of its own:
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
 * <p>A JSON sample is read by the intake topic's own {@link IntakeParser}, so both ways in take the
 * same records by the same rules. Every 2xx for an upload is sent only after Kafka acknowledged the
 * write; a write Kafka did not take is 503 with {@code Retry-After} ({@link UnavailableException}),
 * any other failure a 500 with an id to quote. Requests need {@code Authorization: Bearer
 * <http.auth.token>} unless auth is disabled; bodies over {@code http.max.request.bytes} get 413
 * before they are read. Nothing in a request is ever used as a file path.
 */
public final class IngestApi {

    private static final Logger log = LoggerFactory.getLogger(IngestApi.class);
    private static final String REALM = "streamtune-ingest";
    private static final long KAFKA_TIMEOUT_S = 60;

    private final IngestConfig.Http config;
    private final Semaphore uploads;
    private final Acceptor acceptor;
    private final StatsQueries stats;
    private final Producer<byte[], byte[]> producer;
    private final Topic<String, TrainingRequested> requests;
    private final Clock clock;
    private final BearerAuth auth;
    private final BodyReader bodies;
    private final JsonResponses responses = new JsonResponses(JsonSerde.MAPPER);
    private final Routes routes;
    private volatile int apiPort = -1;

    public IngestApi(
            IngestConfig.Http config,
            Acceptor acceptor,
            StatsQueries stats,
            Producer<byte[], byte[]> producer,
            Topic<String, TrainingRequested> requests,
            Clock clock) {
        this.config = config;
        this.uploads = new Semaphore(config.maxConcurrentUploads());
        this.acceptor = acceptor;
        this.stats = stats;
        this.producer = producer;
        this.requests = requests;
        this.clock = clock;
        this.auth =
                config.authEnabled()
                        ? BearerAuth.of(config.token(), REALM)
                        : BearerAuth.disabled(REALM);
        this.bodies = new BodyReader(config.maxRequestBytes(), "http.max.request.bytes");
        this.routes =
                new Routes()
                        .get(
                                "/v1/models",
                                r ->
                                        responses.json(
                                                r.exchange(),
                                                200,
                                                stats.all().stream()
                                                        .map(IngestApi::statsJson)
                                                        .toList()))
                        .post(
                                "/v1/models/{model}/images",
                                r -> upload(r, () -> uploadOne(r, model(r))))
                        .post(
                                "/v1/models/{model}/images/batch",
                                r -> upload(r, () -> uploadBatch(r, model(r))))
                        .post("/v1/models/{model}/train", r -> train(r, model(r)))
                        .get("/v1/models/{model}/stats", r -> modelStats(r, model(r)));
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
                    // the catch inside the try-with-resources: the exchange must still be open
                    // to answer 500
                    try (ex) {
                        try {
                            handle(ex);
                        } catch (IOException | RuntimeException e) {
                            responses.internalError(ex, e);
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

    /** Authorizes, routes and answers one request; a bug propagates (the caller answers 500). */
    private void handle(HttpExchange ex) throws IOException {
        try {
            auth.check(ex);
            routes.dispatch(ex);
        } catch (HttpProblem p) {
            responses.problem(ex, p, REALM);
        } catch (UnavailableException e) {
            responses.unavailable(ex, e);
        }
    }

    private static String model(HttpRequest r) throws HttpProblem {
        try {
            return Names.requireModelName(r.param("model"));
        } catch (IllegalArgumentException e) {
            throw new HttpProblem(400, "bad_model", e.getMessage());
        }
    }

    private void uploadOne(HttpRequest r, String model) throws IOException, HttpProblem {
        String type = r.contentType();
        byte[] body = bodies.read(r.exchange());
        Origin origin = Origin.of("http");
        Submission submission;
        if (type.equals("application/json")) {
            try {
                submission = IntakeParser.parse(body, origin, model);
            } catch (IllegalArgumentException e) {
                outcome(
                        r,
                        await(
                                acceptor.reject(
                                        new Origin("http", "http", -1, -1, null, body),
                                        RejectReason.MALFORMED_RECORD,
                                        message(e))));
                return;
            }
        } else if (type.equals("image/jpeg")
                || type.equals("image/png")
                || type.equals("image/webp")
                || type.equals("application/octet-stream")) {
            Label label;
            try {
                label = labelFromRequest(r);
            } catch (IllegalArgumentException | IOException e) {
                outcome(
                        r,
                        await(
                                acceptor.reject(
                                        origin,
                                        RejectReason.MALFORMED_RECORD,
                                        "label: " + message(e))));
                return;
            }
            submission = new Submission(model, body, label, r.query().get("source"), origin);
        } else {
            // A sample in a format we do not take is still a refused sample: parked and counted
            // like any other.
            outcome(
                    r,
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
        outcome(r, await(acceptor.submit(submission)));
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
    private void upload(HttpRequest r, Upload work) throws IOException, HttpProblem {
        if (!uploads.tryAcquire()) {
            r.exchange().getResponseHeaders().set("Connection", "close");
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

    private void uploadBatch(HttpRequest r, String model) throws IOException, HttpProblem {
        String type = r.contentType();
        byte[] body = bodies.read(r.exchange());
        List<byte[]> items = new ArrayList<>();
        if (type.equals("application/x-ndjson") || type.equals("application/jsonl")) {
            int start = 0;
            for (int i = 0; i <= body.length; i++) {
                if (i == body.length || body[i] == '\n') {
                    if (i > start
                            && !new String(body, start, i - start, StandardCharsets.UTF_8)
                                    .isBlank()) {
                        items.add(Arrays.copyOfRange(body, start, i));
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
            for (JsonNode item : root) {
                items.add(JsonSerde.MAPPER.writeValueAsBytes(item));
            }
        } else {
            throw new HttpProblem(
                    415,
                    "unsupported_media_type",
                    "send application/x-ndjson or a JSON array (application/json), not '"
                            + type
                            + "'");
        }
        List<CompletableFuture<Acceptance>> futures = new ArrayList<>(items.size());
        for (byte[] item : items) {
            try {
                futures.add(acceptor.submit(IntakeParser.parse(item, Origin.of("http"), model)));
            } catch (IllegalArgumentException e) {
                futures.add(
                        acceptor.reject(
                                new Origin("http", "http", -1, -1, null, item),
                                RejectReason.MALFORMED_RECORD,
                                message(e)));
            }
        }
        List<Map<String, Object>> results = new ArrayList<>(futures.size());
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int i = 0; i < futures.size(); i++) {
            Acceptance o = await(futures.get(i));
            Map<String, Object> result = outcomeJson(o);
            result.put("index", i);
            results.add(result);
            counts.merge(o.status().name().toLowerCase(Locale.ROOT), 1, Integer::sum);
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("model", model);
        response.put("counts", counts);
        response.put("results", results);
        responses.json(r.exchange(), 200, response);
    }

    private static Label labelFromRequest(HttpRequest r) throws IOException {
        String header = r.header("X-Label");
        if (header != null) {
            return JsonSerde.MAPPER.readValue(header, Label.class);
        }
        String className = r.query().get("class");
        if (className != null) {
            return new Label.ClassLabel(className);
        }
        throw new IllegalArgumentException(
                "give the label as X-Label header (JSON) or ?class=<name>");
    }

    private void train(HttpRequest r, String model) throws IOException, HttpProblem {
        byte[] body = bodies.read(r.exchange());
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
            producer.send(requests.record(model, request)).get(KAFKA_TIMEOUT_S, TimeUnit.SECONDS);
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
        responses.json(r.exchange(), 202, response);
    }

    private void modelStats(HttpRequest r, String model) throws IOException, HttpProblem {
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
        responses.json(r.exchange(), 200, statsJson(s.get()));
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

    private static Acceptance await(CompletableFuture<Acceptance> future) {
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

    private void outcome(HttpRequest r, Acceptance o) throws IOException {
        int status =
                switch (o.status()) {
                    case ACCEPTED -> 201;
                    case RELABELLED, UNCHANGED -> 200;
                    case REJECTED -> o.reason().httpStatus();
                };
        responses.json(r.exchange(), status, outcomeJson(o));
    }

    private static Map<String, Object> outcomeJson(Acceptance o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", o.status().name().toLowerCase(Locale.ROOT));
        if (o.key() != null) {
            m.put("key", o.key());
            m.put("sampleId", o.key().substring(o.key().indexOf('/') + 1));
        }
        if (o.status() == Acceptance.Status.REJECTED) {
            m.put("error", o.reason().tag());
            m.put("detail", o.detail());
        } else {
            m.put("width", o.width());
            m.put("height", o.height());
        }
        return m;
    }

    private static String message(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl > 0 ? m.substring(0, nl) : m;
    }
}
