package io.streamtune.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.Topics;
import io.streamtune.ingest.IngestConfig;
import io.streamtune.ingest.accept.Acceptor;
import io.streamtune.ingest.fixtures.Acceptors;
import io.streamtune.ingest.fixtures.TestImages;
import io.streamtune.ingest.trigger.ModelStats;
import io.streamtune.ingest.trigger.StatsQueries;
import io.streamtune.kafka.embedded.MockClients;
import io.streamtune.runtime.ConfigSource;
import io.streamtune.runtime.http.UnavailableException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every route of the ingest API over real loopback HTTP, with Kafka's own MockProducer as the
 * broker and the dataset counts from a map: no broker, no Kafka Streams.
 */
class IngestApiTest {

    private static final String TOKEN = "a-token-of-sixteen-chars";

    private final HttpClient client = HttpClient.newHttpClient();
    private final AtomicReference<RuntimeException> statsFailure = new AtomicReference<>();
    private final Map<String, ModelStats> stats =
            Map.of(
                    "cams",
                    new ModelStats(
                            "cams",
                            12,
                            3,
                            Map.of("cat", 7L, "dog", 5L),
                            1,
                            null,
                            null,
                            null,
                            null));
    private MockProducer<byte[], byte[]> producer;
    private AutoCloseable server;
    private String base;

    private void start(boolean autoComplete, Map<String, String> settings) {
        Map<String, String> all = new java.util.HashMap<>(settings);
        all.put("http.auth.token", TOKEN);
        IngestConfig config = IngestConfig.from(ConfigSource.of(all));
        producer = MockClients.producer(autoComplete);
        Acceptor acceptor = Acceptors.of(config, producer, "labelled", "dlq");
        StatsQueries queries =
                new StatsQueries() {
                    @Override
                    public Optional<ModelStats> get(String model) {
                        fail();
                        return Optional.ofNullable(stats.get(model));
                    }

                    @Override
                    public List<ModelStats> all() {
                        fail();
                        return List.copyOf(stats.values());
                    }

                    @Override
                    public Optional<String> owner(String model) {
                        return Optional.empty();
                    }

                    private void fail() {
                        if (statsFailure.get() != null) {
                            throw statsFailure.get();
                        }
                    }
                };
        IngestApi api =
                new IngestApi(
                        config.http(),
                        acceptor,
                        queries,
                        producer,
                        Topics.TRAINING_REQUESTS.withPrefix("t."),
                        Clock.systemUTC());
        server = api.serve("127.0.0.1", 0, 4);
        base = "http://127.0.0.1:" + api.apiPort();
    }

    private void start() {
        start(true, Map.of());
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> send(String method, String path, String type, byte[] body)
            throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(base + path))
                        .header("Authorization", "Bearer " + TOKEN)
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (type != null) {
            b.header("Content-Type", type);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JsonSerde.MAPPER.readTree(r.body());
    }

    private List<ProducerRecord<byte[], byte[]>> written(String topic) {
        return producer.history().stream().filter(r -> r.topic().equals(topic)).toList();
    }

    private static String sampleJson(String model, byte[] image, String className) {
        return "{"
                + (model == null ? "" : "\"model\":\"" + model + "\",")
                + "\"image\":\""
                + Base64.getEncoder().encodeToString(image)
                + "\",\"label\":{\"type\":\"class\",\"className\":\""
                + className
                + "\"}}";
    }

    @Test
    void shouldAcceptARawImageLabelledByQueryAfterKafkaAcknowledged() throws Exception {
        start();

        var r =
                send(
                        "POST",
                        "/v1/models/cams/images?class=cat&source=cam-1",
                        "image/jpeg",
                        TestImages.jpeg(64, 48, 1));

        assertThat(r.statusCode()).isEqualTo(201);
        JsonNode body = json(r);
        assertThat(body.get("status").asText()).isEqualTo("accepted");
        assertThat(body.get("width").asInt()).isEqualTo(64);
        assertThat(body.get("key").asText()).startsWith("cams/");
        assertThat(written("labelled")).hasSize(1);
    }

    @Test
    void shouldAcceptAJsonSampleThatLeavesTheModelToThePath() throws Exception {
        start();

        var r =
                send(
                        "POST",
                        "/v1/models/cams/images",
                        "application/json",
                        sampleJson(null, TestImages.png(32, 32, 2), "dog")
                                .getBytes(StandardCharsets.UTF_8));

        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(written("labelled")).hasSize(1);
    }

    @Test
    void shouldParkAJsonSampleForAnotherModelOrWithoutALabelAsMalformed() throws Exception {
        start();

        var other =
                send(
                        "POST",
                        "/v1/models/cams/images",
                        "application/json",
                        sampleJson("pets", TestImages.png(32, 32, 2), "dog")
                                .getBytes(StandardCharsets.UTF_8));
        var unlabelled =
                send(
                        "POST",
                        "/v1/models/cams/images",
                        "application/json",
                        "{\"image\":\"AAAA\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(other.statusCode()).isEqualTo(400);
        assertThat(json(other).get("error").asText()).isEqualTo("malformed_record");
        assertThat(json(other).get("detail").asText())
                .contains("model 'pets' in the body differs from 'cams' in the path");
        assertThat(json(unlabelled).get("detail").asText()).contains("field 'label' is missing");
        assertThat(written("dlq")).hasSize(2);
        assertThat(written("labelled")).isEmpty();
    }

    @Test
    void shouldAnswerEachItemOfANdjsonBatch() throws Exception {
        start();
        String batch =
                sampleJson(null, TestImages.png(32, 32, 3), "cat")
                        + "\n\n{not json\n"
                        + sampleJson("cams", TestImages.jpeg(40, 40, 4), "dog")
                        + "\n";

        var r =
                send(
                        "POST",
                        "/v1/models/cams/images/batch",
                        "application/x-ndjson",
                        batch.getBytes(StandardCharsets.UTF_8));

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.get("counts").get("accepted").asInt()).isEqualTo(2);
        assertThat(body.get("counts").get("rejected").asInt()).isEqualTo(1);
        assertThat(body.get("results").get(1).get("error").asText()).isEqualTo("malformed_record");
        assertThat(body.get("results").get(2).get("index").asInt()).isEqualTo(2);
    }

    @Test
    void shouldAnswerEachItemOfAJsonArrayBatchAndRefuseOneTooLarge() throws Exception {
        start(true, Map.of("http.max.batch.items", "2"));
        String two = "[" + sampleJson(null, TestImages.png(32, 32, 5), "cat") + ",7]";
        String three = "[{},{},{}]";

        var r =
                send(
                        "POST",
                        "/v1/models/cams/images/batch",
                        "application/json",
                        two.getBytes(StandardCharsets.UTF_8));
        var tooMany =
                send(
                        "POST",
                        "/v1/models/cams/images/batch",
                        "application/json",
                        three.getBytes(StandardCharsets.UTF_8));

        assertThat(json(r).get("counts").get("accepted").asInt()).isEqualTo(1);
        assertThat(json(r).get("counts").get("rejected").asInt()).isEqualTo(1);
        assertThat(tooMany.statusCode()).isEqualTo(413);
        assertThat(json(tooMany).get("detail").asText()).contains("http.max.batch.items");
    }

    @Test
    void shouldWriteATrainingRequest() throws Exception {
        start();

        var r =
                send(
                        "POST",
                        "/v1/models/cams/train",
                        "application/json",
                        "{\"requestedBy\":\"labeller-7\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(json(r).get("requestedBy").asText()).isEqualTo("labeller-7");
        assertThat(written("t.training.requests")).hasSize(1);
        assertThat(new String(written("t.training.requests").get(0).key(), StandardCharsets.UTF_8))
                .isEqualTo("cams");
    }

    @Test
    void shouldAnswerStatsOfOneModelAndOfAll() throws Exception {
        start();

        var one = send("GET", "/v1/models/cams/stats", null, null);
        var all = send("GET", "/v1/models", null, null);
        var unknown = send("GET", "/v1/models/pets/stats", null, null);

        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(json(one).get("classes").get("cat").asLong()).isEqualTo(7);
        assertThat(json(all).get(0).get("model").asText()).isEqualTo("cams");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).get("error").asText()).isEqualTo("unknown_model");
    }

    @Test
    void shouldRefuseWithoutTheTokenAndNameTheRealm() throws Exception {
        start();

        var r =
                client.send(
                        HttpRequest.newBuilder(URI.create(base + "/v1/models")).GET().build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate"))
                .hasValue("Bearer realm=\"streamtune-ingest\"");
    }

    @Test
    void shouldAnswer404And405ByTheRouteTable() throws Exception {
        start();

        var missing = send("GET", "/v1/cameras", null, null);
        var wrongMethod = send("GET", "/v1/models/cams/images", null, null);
        var badModel = send("GET", "/v1/models/Bad%20Name/stats", null, null);

        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("POST");
        assertThat(badModel.statusCode()).isEqualTo(400);
        assertThat(json(badModel).get("error").asText()).isEqualTo("bad_model");
    }

    @Test
    void shouldAnswer503WithRetryAfterWhenKafkaRefusesTheWrite() throws Exception {
        start(false, Map.of());
        Thread refuse =
                MockClients.refuseFirstSend(
                        producer,
                        new org.apache.kafka.common.errors.TimeoutException(
                                "broker 10.0.0.7:9092 is unreachable"));

        var r = send("POST", "/v1/models/cams/train", null, null);

        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(json(r).get("detail").asText())
                .as("the broker's address stays in the log")
                .doesNotContain("10.0.0.7");
    }

    @Test
    void shouldAnswer503WhenTheStatsStoreIsUnavailableButInternalErrorForABug() throws Exception {
        start();

        statsFailure.set(
                new UnavailableException(
                        "stats are not available: the store is being rebuilt; retry", true));
        var rebuilding = send("GET", "/v1/models", null, null);
        statsFailure.set(new IllegalStateException("a bug"));
        var bug = send("GET", "/v1/models", null, null);

        assertThat(rebuilding.statusCode()).isEqualTo(503);
        assertThat(json(rebuilding).get("detail").asText()).contains("being rebuilt");
        assertThat(bug.statusCode()).as("a bug never looks like an outage").isEqualTo(500);
        assertThat(json(bug).get("error").asText()).isEqualTo("internal_error");
        assertThat(bug.body()).doesNotContain("a bug");
    }

    @Test
    void shouldRefuseABodyOverTheLimitNamingTheSetting() throws Exception {
        start(true, Map.of("http.max.request.bytes", "2048"));

        var r = send("POST", "/v1/models/cams/images?class=cat", "image/jpeg", new byte[10_000]);

        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(json(r).get("detail").asText()).contains("http.max.request.bytes");
        assertThat(producer.history()).isEmpty();
    }
}
