package io.streamtune.ingest;

import static io.streamtune.testkit.Eventually.eventually;
import static io.streamtune.testkit.Eventually.until;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamtune.contracts.DeadLetter;
import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.Label;
import io.streamtune.contracts.LabelledImageAccepted;
import io.streamtune.contracts.LabelledImageSubmitted;
import io.streamtune.contracts.TrainingTriggered;
import io.streamtune.ingest.fixtures.TestImages;
import io.streamtune.kafka.embedded.EmbeddedKafkaBroker;
import io.streamtune.kafka.embedded.ServiceSettings;
import io.streamtune.kafka.embedded.SharedKafka;
import io.streamtune.kafka.embedded.TopicClients;
import io.streamtune.runtime.ConfigSource;
import io.streamtune.runtime.PrometheusText;
import io.streamtune.testkit.Http;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SharedKafka.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngestServiceIT {

    private static final String TOKEN = "it-secret-token-0123456789";

    private final HttpClient client = HttpClient.newHttpClient();
    private EmbeddedKafkaBroker broker;
    private IngestService service;
    private String prefix;
    private String base;

    @BeforeAll
    void start(EmbeddedKafkaBroker broker, @TempDir Path state) throws Exception {
        this.broker = broker;
        this.prefix = SharedKafka.unique("ingest") + ".";
        var config =
                IngestConfig.from(
                        ConfigSource.of(
                                Map.ofEntries(
                                        Map.entry(
                                                "kafka.bootstrap.servers",
                                                broker.bootstrapServers()),
                                        Map.entry("topic.prefix", prefix),
                                        Map.entry("http.host", "127.0.0.1"),
                                        Map.entry("http.port", "0"),
                                        Map.entry("http.auth.token", TOKEN),
                                        Map.entry("http.max.request.bytes", "2MiB"),
                                        Map.entry("image.max.bytes", "1MiB"),
                                        Map.entry("image.check", "decode"),
                                        Map.entry("trigger.threshold", "3"),
                                        Map.entry("streams.state.dir", state.toString()),
                                        Map.entry("streams.stats.refresh", "200ms"))));
        service = IngestService.start(config);
        assertThat(service.shell().awaitReady(Duration.ofSeconds(60))).isTrue();
        base = service.shell().http().url();
    }

    @AfterAll
    void stop() {
        service.close();
    }

    @Test
    void shouldAnswerHealthAndServeParseableMetrics() throws Exception {
        var health = Http.get(base + "/health");
        var metrics = Http.get(base + "/metrics");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body())
                .contains("\"service\":\"ingest\"")
                .contains("\"streams\"")
                .contains("\"intake\"");
        var parsed = PrometheusText.parse(metrics.body());
        assertThat(parsed.named("jvm_threads_live_threads").get(0).labels())
                .containsEntry("service", "ingest");
    }

    @Test
    void shouldCarryAnHttpUploadToTheLabelledTopicAndTriggerTrainingAtTheThreshold()
            throws Exception {
        String model = "http-pets";
        byte[] first = TestImages.jpeg(64, 48, 101);

        var accepted = upload(model, first, "class=cat");
        var repeat = upload(model, first, "class=cat");
        var relabel = upload(model, first, "class=dog");
        var second = upload(model, TestImages.png(40, 30, 102), "class=cat");

        assertThat(accepted.statusCode()).isEqualTo(201);
        assertThat(json(accepted).get("status").asText()).isEqualTo("accepted");
        assertThat(json(repeat).get("status").asText()).isEqualTo("unchanged");
        assertThat(relabel.statusCode()).isEqualTo(200);
        assertThat(json(relabel).get("status").asText()).isEqualTo("relabelled");
        assertThat(second.statusCode()).isEqualTo(201);

        List<ConsumerRecord<byte[], byte[]>> labelled =
                TopicClients.readAll(broker.bootstrapServers(), prefix + "images.labelled");
        var values =
                labelled.stream()
                        .map(r -> JsonSerde.of(LabelledImageAccepted.class).fromBytes(r.value()))
                        .filter(v -> v.model().equals(model))
                        .toList();
        String firstKey = json(accepted).get("key").asText();
        var firstVersions = values.stream().filter(v -> v.key().equals(firstKey)).toList();
        assertThat(values).hasSize(3);
        assertThat(firstVersions)
                .extracting(v -> ((Label.ClassLabel) v.label()).className())
                .containsExactly("cat", "dog");
        assertThat(firstVersions.get(0).image()).isEqualTo(first);

        var triggers =
                TopicClients.awaitRecords(
                        broker.bootstrapServers(),
                        prefix + "training.triggers",
                        Duration.ofSeconds(30),
                        l -> l.size() >= 1);
        var trigger = JsonSerde.of(TrainingTriggered.class).fromBytes(triggers.get(0).value());
        assertThat(triggers).hasSize(1);
        assertThat(trigger.model()).isEqualTo(model);
        assertThat(trigger.reason()).isEqualTo(TrainingTriggered.Reason.THRESHOLD);
        assertThat(trigger.totalSamples()).isEqualTo(2);

        var stats = awaitStats(model, s -> s.get("totalSamples").asLong() == 2);
        assertThat(stats.get("classes").get("cat").asLong()).isEqualTo(1);
        assertThat(stats.get("classes").get("dog").asLong()).isEqualTo(1);

        var metrics =
                awaitMetrics(
                        m ->
                                m.sum("ingest_dataset_size", Map.of("model", model)) == 2
                                        && m.sum(
                                                        "ingest_dataset_samples",
                                                        Map.of("model", model, "class", "dog"))
                                                == 1);
        assertThat(metrics.sum("ingest_dataset_samples", Map.of("model", model, "class", "cat")))
                .isEqualTo(1);
        assertThat(metrics.sum("ingest_accepted_total", Map.of("source", "http")))
                .isGreaterThanOrEqualTo(3);
        assertThat(metrics.sum("ingest_triggers_total", Map.of("reason", "threshold")))
                .isGreaterThanOrEqualTo(1);
        assertThat(metrics.named("kafka_producer_record_send_total")).isNotEmpty();
        assertThat(metrics.samples()).anyMatch(sample -> sample.name().startsWith("kafka_stream_"));
        // The label-index follower passes every record this instance wrote, mostly unread.
        var followed =
                awaitMetrics(
                        m ->
                                m.sum("ingest_index_follow_records_total", Map.of())
                                        >= m.sum("ingest_accepted_total", Map.of()));
        assertThat(followed.named("ingest_index_follow_records_total")).hasSize(3);
    }

    @Test
    void shouldRefuseBadUploadsWithTheRightStatusAndParkThemInTheDeadLetterTopic()
            throws Exception {
        String model = "http-bad";

        var unauthenticated =
                client.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                base + "/v1/models/" + model + "/images?class=cat"))
                                .header("Content-Type", "image/jpeg")
                                .POST(
                                        HttpRequest.BodyPublishers.ofByteArray(
                                                TestImages.jpeg(8, 8, 1)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        var truncated =
                upload(model, TestImages.truncated(TestImages.jpeg(64, 64, 2), 0.5), "class=cat");
        var empty = upload(model, new byte[0], "class=cat");
        var bomb = upload(model, TestImages.pngClaiming(50_000, 50_000), "class=cat");
        var text = upload(model, "not an image".getBytes(StandardCharsets.UTF_8), "class=cat");
        var outside =
                uploadJson(
                        model,
                        TestImages.jpeg(20, 20, 3),
                        "{\"type\":\"boxes\",\"objects\":[{\"className\":\"cat\",\"box\":{\"x\":10,\"y\":10,\"width\":20,\"height\":5}}]}");
        var badJson =
                send("/v1/models/" + model + "/images", "application/json", "{not json".getBytes());
        var tooBig =
                send("/v1/models/" + model + "/images?class=cat", "image/jpeg", new byte[3 << 20]);
        var gif = send("/v1/models/" + model + "/images", "image/gif", new byte[10]);
        var sixteen = upload(model, TestImages.png16(16, 16), "class=cat");
        var overImageLimit = upload(model, new byte[(3 << 20) / 2], "class=cat");

        assertThat(unauthenticated.statusCode()).isEqualTo(401);
        assertThat(truncated.statusCode()).isEqualTo(422);
        assertThat(json(truncated).get("error").asText()).isEqualTo("corrupt_image");
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(json(empty).get("error").asText()).isEqualTo("empty_image");
        assertThat(bomb.statusCode()).isEqualTo(413);
        assertThat(json(bomb).get("error").asText()).isEqualTo("too_many_pixels");
        assertThat(text.statusCode()).isEqualTo(415);
        assertThat(json(text).get("error").asText()).isEqualTo("unsupported_format");
        assertThat(outside.statusCode()).isEqualTo(422);
        assertThat(json(outside).get("error").asText()).isEqualTo("box_out_of_bounds");
        assertThat(json(outside).get("detail").asText()).contains("not inside");
        assertThat(badJson.statusCode()).isEqualTo(400);
        assertThat(json(badJson).get("error").asText()).isEqualTo("malformed_record");
        assertThat(tooBig.statusCode()).isEqualTo(413);
        assertThat(gif.statusCode()).isEqualTo(415);
        assertThat(json(gif).get("error").asText()).isEqualTo("unsupported_format");
        assertThat(sixteen.statusCode()).isEqualTo(201);
        assertThat(overImageLimit.statusCode()).isEqualTo(413);
        assertThat(json(overImageLimit).get("error").asText()).isEqualTo("too_large");

        Set<String> expected =
                Set.of(
                        "corrupt_image",
                        "empty_image",
                        "too_many_pixels",
                        "unsupported_format",
                        "box_out_of_bounds",
                        "malformed_record",
                        "too_large");
        var letters =
                TopicClients.awaitRecords(
                        broker.bootstrapServers(),
                        prefix + "images.intake.dlq",
                        Duration.ofSeconds(10),
                        l -> httpReasons(l).containsAll(expected));
        assertThat(httpReasons(letters)).containsAll(expected);
        var health = Http.get(base + "/health");
        assertThat(health.statusCode()).isEqualTo(200);
    }

    @Test
    void shouldAcceptABatchAndAManualTrigger() throws Exception {
        String model = "http-batch";
        StringBuilder ndjson = new StringBuilder();
        for (int i = 0; i < 2; i++) {
            ndjson.append(
                            item(
                                    TestImages.jpeg(32, 32, 200 + i),
                                    "{\"type\":\"class\",\"className\":\"c" + i + "\"}"))
                    .append('\n');
        }
        ndjson.append("{broken\n");

        var batch =
                send(
                        "/v1/models/" + model + "/images/batch",
                        "application/x-ndjson",
                        ndjson.toString().getBytes(StandardCharsets.UTF_8));
        awaitStats(model, s -> s.get("totalSamples").asLong() == 2);
        var train =
                send(
                        "/v1/models/" + model + "/train",
                        "application/json",
                        "{\"requestedBy\":\"it\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(batch.statusCode()).isEqualTo(200);
        assertThat(json(batch).get("counts").get("accepted").asInt()).isEqualTo(2);
        assertThat(json(batch).get("counts").get("rejected").asInt()).isEqualTo(1);
        assertThat(train.statusCode()).isEqualTo(202);
        var triggers =
                TopicClients.awaitRecords(
                        broker.bootstrapServers(),
                        prefix + "training.triggers",
                        Duration.ofSeconds(30),
                        l -> l.stream().anyMatch(r -> new String(r.key()).equals(model)));
        var manual =
                triggers.stream()
                        .filter(r -> new String(r.key()).equals(model))
                        .map(r -> JsonSerde.of(TrainingTriggered.class).fromBytes(r.value()))
                        .toList();
        assertThat(manual).hasSize(1);
        assertThat(manual.get(0).reason()).isEqualTo(TrainingTriggered.Reason.MANUAL);
        assertThat(manual.get(0).newSamples()).isEqualTo(2);
    }

    @Test
    void shouldForwardValidIntakeRecordsAndDeadLetterMalformedOnes() throws Exception {
        String model = "kafka-pets";
        byte[] image = TestImages.jpeg(24, 24, 300);
        var submitted =
                new LabelledImageSubmitted(model, image, new Label.ClassLabel("cat"), "kcat");
        byte[] raw = TestImages.jpeg(24, 24, 301);

        try (var producer = TopicClients.producer(broker.bootstrapServers())) {
            producer.send(
                            new ProducerRecord<>(
                                    prefix + "images.intake",
                                    null,
                                    JsonSerde.of(LabelledImageSubmitted.class).toBytes(submitted)))
                    .get();
            // the binary way in: the JPEG as the value, the label in headers
            producer.send(
                            io.streamtune.contracts.BinaryIntake.record(
                                    prefix + "images.intake",
                                    null,
                                    new LabelledImageSubmitted(
                                            model, raw, new Label.ClassLabel("dog"), "kcat")))
                    .get();
            producer.send(
                            new ProducerRecord<>(
                                    prefix + "images.intake",
                                    "k".getBytes(),
                                    "{\"model\":\"kafka-pets\",\"image\":"
                                            .getBytes(StandardCharsets.UTF_8)))
                    .get();
        }

        var labelled =
                TopicClients.awaitRecords(
                        broker.bootstrapServers(),
                        prefix + "images.labelled",
                        Duration.ofSeconds(30),
                        l ->
                                l.stream()
                                                .filter(
                                                        r ->
                                                                new String(r.key())
                                                                        .startsWith(model + "/"))
                                                .count()
                                        >= 2);
        var letters =
                TopicClients.awaitRecords(
                                broker.bootstrapServers(),
                                prefix + "images.intake.dlq",
                                Duration.ofSeconds(30),
                                l ->
                                        l.stream()
                                                .map(DeadLetter::fromConsumerRecord)
                                                .anyMatch(
                                                        d ->
                                                                d.sourceTopic()
                                                                        .equals(
                                                                                prefix
                                                                                        + "images.intake")))
                        .stream()
                        .map(DeadLetter::fromConsumerRecord)
                        .filter(d -> d.sourceTopic().equals(prefix + "images.intake"))
                        .toList();
        Set<String> keys =
                labelled.stream().map(r -> new String(r.key())).collect(Collectors.toSet());
        assertThat(keys)
                .contains(
                        model + "/" + io.streamtune.ingest.validate.Digests.sha256Hex(image),
                        model + "/" + io.streamtune.ingest.validate.Digests.sha256Hex(raw));
        assertThat(letters).hasSize(1);
        assertThat(letters.get(0).reason()).isEqualTo("malformed_record");
        assertThat(new String(letters.get(0).key())).isEqualTo("k");
        assertThat(letters.get(0).sourceOffset()).isGreaterThanOrEqualTo(0);
    }

    private static Set<String> httpReasons(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream()
                .map(DeadLetter::fromConsumerRecord)
                .filter(d -> d.sourceTopic().equals("http"))
                .map(DeadLetter::reason)
                .collect(Collectors.toSet());
    }

    @Test
    void shouldSeeSamplesImportedByAnotherProcessAsAlreadyIn(@TempDir Path dir) throws Exception {
        String model = "imported";
        byte[] image = TestImages.jpeg(20, 20, 400);
        java.nio.file.Files.createDirectories(dir.resolve("cat"));
        java.nio.file.Files.write(dir.resolve("cat/a.jpg"), image);
        java.nio.file.Files.write(dir.resolve("cat/b.jpg"), TestImages.jpeg(20, 20, 401));
        // a link out of the dataset folder: refused unread, never copied into a dead letter
        Path outside = java.nio.file.Files.createTempFile("secret", ".jpg");
        java.nio.file.Files.write(outside, TestImages.jpeg(20, 20, 402));
        java.nio.file.Files.createSymbolicLink(dir.resolve("cat/c.jpg"), outside);
        var importConfig =
                IngestConfig.from(
                        ConfigSource.of(
                                ServiceSettings.loopback(
                                        broker.bootstrapServers(),
                                        prefix,
                                        "http.auth.enabled",
                                        "false")));

        var report =
                ImportMain.run(
                        importConfig,
                        new io.streamtune.ingest.bulk.ImportRequest(
                                model,
                                io.streamtune.ingest.bulk.DatasetFormat.IMAGEFOLDER,
                                dir,
                                null,
                                io.streamtune.ingest.bulk.TaskHint.AUTO,
                                4,
                                0),
                        null);

        assertThat(report.completed()).isTrue();
        assertThat(report.accepted()).isEqualTo(2);
        assertThat(report.rejected()).containsEntry("outside_dataset", 1L);
        java.nio.file.Files.delete(outside);
        String key = model + "/" + io.streamtune.ingest.validate.Digests.sha256Hex(image);
        until(
                Duration.ofSeconds(20),
                "the service's index saw the other writer's sample",
                () -> service.acceptor().index().get(key).isPresent());
        String status = json(upload(model, image, "class=cat")).get("status").asText();
        String relabel = json(upload(model, image, "class=dog")).get("status").asText();

        assertThat(status)
                .as("the service's index follows writes by others")
                .isEqualTo("unchanged");
        assertThat(relabel).isEqualTo("relabelled");
    }

    @Test
    void shouldServeTheApiOnItsOwnPortWhenConfigured() throws Exception {
        var config =
                IngestConfig.from(
                        ConfigSource.of(
                                ServiceSettings.loopback(
                                        broker.bootstrapServers(),
                                        prefix,
                                        "http.auth.token",
                                        TOKEN,
                                        "http.api.port",
                                        "0",
                                        "http.api.threads",
                                        "8",
                                        "http.max.batch.items",
                                        "2",
                                        "streams.enabled",
                                        "false",
                                        "intake.enabled",
                                        "false")));

        try (var second = IngestService.start(config)) {
            var upload =
                    client.send(
                            HttpRequest.newBuilder(
                                            URI.create(
                                                    second.apiUrl()
                                                            + "/v1/models/own-port/images?class=cat"))
                                    .header("Authorization", "Bearer " + TOKEN)
                                    .header("Content-Type", "image/jpeg")
                                    .POST(
                                            HttpRequest.BodyPublishers.ofByteArray(
                                                    TestImages.jpeg(16, 16, 500)))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            var onAdminPort =
                    client.send(
                            HttpRequest.newBuilder(
                                            URI.create(second.shell().http().url() + "/v1/models"))
                                    .header("Authorization", "Bearer " + TOKEN)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());

            String item = "{\"label\":{\"type\":\"class\",\"className\":\"cat\"}}\n";
            var tooMany =
                    client.send(
                            HttpRequest.newBuilder(
                                            URI.create(
                                                    second.apiUrl()
                                                            + "/v1/models/own-port/images/batch"))
                                    .header("Authorization", "Bearer " + TOKEN)
                                    .header("Content-Type", "application/x-ndjson")
                                    .POST(HttpRequest.BodyPublishers.ofString(item.repeat(3)))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());

            assertThat(second.apiUrl()).isNotEqualTo(second.shell().http().url());
            assertThat(upload.statusCode()).isEqualTo(201);
            assertThat(onAdminPort.statusCode()).isEqualTo(404);
            assertThat(tooMany.statusCode()).isEqualTo(413);
            assertThat(tooMany.body()).contains("http.max.batch.items");
        }
    }

    @Test
    void shouldParkASampleKafkaRefusesForItsSize() throws Exception {
        var config =
                IngestConfig.from(
                        ConfigSource.of(
                                ServiceSettings.loopback(
                                        broker.bootstrapServers(),
                                        prefix,
                                        "kafka.max.record.bytes",
                                        "1MiB",
                                        "http.auth.enabled",
                                        "false",
                                        "streams.enabled",
                                        "false",
                                        "intake.enabled",
                                        "false")));
        byte[] big = TestImages.png(700, 700, 600);

        try (var small = IngestService.start(config)) {
            var response =
                    client.send(
                            HttpRequest.newBuilder(
                                            URI.create(
                                                    small.apiUrl()
                                                            + "/v1/models/big/images?class=cat"))
                                    .header("Content-Type", "image/png")
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(big))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            var after =
                    client.send(
                            HttpRequest.newBuilder(
                                            URI.create(
                                                    small.apiUrl()
                                                            + "/v1/models/big/images?class=cat"))
                                    .header("Content-Type", "image/png")
                                    .POST(
                                            HttpRequest.BodyPublishers.ofByteArray(
                                                    TestImages.png(8, 8, 601)))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());

            assertThat(big.length).isGreaterThan(1 << 20);
            assertThat(response.statusCode()).isEqualTo(413);
            assertThat(json(response).get("error").asText()).isEqualTo("too_large");
            assertThat(json(response).get("detail").asText()).contains("refused by Kafka");
            assertThat(after.statusCode()).isEqualTo(201);
        }
    }

    private HttpResponse<String> upload(String model, byte[] image, String query) throws Exception {
        return send("/v1/models/" + model + "/images?" + query, "image/jpeg", image);
    }

    private HttpResponse<String> uploadJson(String model, byte[] image, String labelJson)
            throws Exception {
        return send(
                "/v1/models/" + model + "/images",
                "application/json",
                item(image, labelJson).getBytes(StandardCharsets.UTF_8));
    }

    private static String item(byte[] image, String labelJson) {
        return "{\"image\":\""
                + Base64.getEncoder().encodeToString(image)
                + "\",\"label\":"
                + labelJson
                + "}";
    }

    private HttpResponse<String> send(String path, String type, byte[] body) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .header("Authorization", "Bearer " + TOKEN)
                        .header("Content-Type", type)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode awaitStats(String model, java.util.function.Predicate<JsonNode> done)
            throws Exception {
        return eventually(
                Duration.ofSeconds(30),
                () -> {
                    var r =
                            client.send(
                                    HttpRequest.newBuilder(
                                                    URI.create(
                                                            base
                                                                    + "/v1/models/"
                                                                    + URLEncoder.encode(
                                                                            model,
                                                                            StandardCharsets.UTF_8)
                                                                    + "/stats"))
                                            .header("Authorization", "Bearer " + TOKEN)
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200) {
                        throw new AssertionError("stats of " + model + ": HTTP " + r.statusCode());
                    }
                    return json(r);
                },
                done);
    }

    private PrometheusText awaitMetrics(java.util.function.Predicate<PrometheusText> done)
            throws Exception {
        return eventually(
                Duration.ofSeconds(30),
                () ->
                        PrometheusText.parse(
                                client.send(
                                                HttpRequest.newBuilder(
                                                                URI.create(base + "/metrics"))
                                                        .build(),
                                                HttpResponse.BodyHandlers.ofString())
                                        .body()),
                done);
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JsonSerde.MAPPER.readTree(r.body());
    }
}
