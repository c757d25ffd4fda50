package io.streamtune.grafana;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamtune.contracts.Task;
import io.streamtune.contracts.Topics;
import io.streamtune.deploy.LocalStack;
import io.streamtune.deploy.PrometheusServer;
import io.streamtune.deploy.demo.DemoTraffic;
import io.streamtune.kafka.embedded.EmbeddedKafkaBroker;
import io.streamtune.runtime.ConfigSource;
import io.streamtune.runtime.KafkaSettings;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the demo stack with a real Prometheus scraping it until a model is trained, published and
 * serving, then runs every dashboard query and every alert-rule signal through Prometheus's query
 * API: each must parse and return series.
 */
class DashboardQueriesIT {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void shouldAnswerEveryDashboardAndRuleQueryFromTheRunningServices(@TempDir Path dir)
            throws Exception {
        var binary = PrometheusServer.binary();
        assumeTrue(
                binary.isPresent(),
                "prometheus is not installed (apt-get install prometheus); CI installs it");
        Map<String, String> settings = new LinkedHashMap<>(StackSettings.fastDemo());
        try (var broker = EmbeddedKafkaBroker.builder().build().start(Duration.ofSeconds(60));
                var stack =
                        LocalStack.start(
                                new LocalStack.Options(
                                        dir,
                                        broker.bootstrapServers(),
                                        0,
                                        0,
                                        0,
                                        0,
                                        "127.0.0.1",
                                        settings))) {
            assertThat(stack.awaitReady(Duration.ofSeconds(60))).isTrue();
            Map<String, String> targets = new LinkedHashMap<>();
            stack.urls()
                    .forEach(
                            (service, url) ->
                                    targets.put("streamtune-" + service, url.substring(7)));
            try (var prometheus =
                    PrometheusServer.start(
                            binary.get(),
                            dir.resolve("prometheus"),
                            EmbeddedKafkaBroker.freePort(),
                            targets,
                            Duration.ofSeconds(1))) {
                KafkaSettings kafka =
                        KafkaSettings.from(
                                ConfigSource.of(
                                        Map.of(
                                                "kafka.bootstrap.servers",
                                                broker.bootstrapServers())));
                try (var traffic =
                        DemoTraffic.start(
                                kafka,
                                new DemoTraffic.Options(
                                        "shapes",
                                        Task.CLASSIFICATION,
                                        StackSettings.IMAGE_SIZE,
                                        90,
                                        1.0,
                                        1,
                                        4.0,
                                        null,
                                        null))) {
                    sendBadRecords(kafka);

                    io.streamtune.testkit.Eventually.until(
                            Duration.ofMinutes(6),
                            "a model serving and predictions flowing",
                            () ->
                                    nonEmpty(prometheus.url(), "inference_model_version > 0")
                                            && nonEmpty(
                                                    prometheus.url(),
                                                    "inference_frames_out_total > 0")
                                            && nonEmpty(
                                                    prometheus.url(), "ingest_rejected_total > 0")
                                            && nonEmpty(
                                                    prometheus.url(),
                                                    "inference_frames_rejected_total > 0")
                                            && nonEmpty(
                                                    prometheus.url(),
                                                    "ingest_drift_windows_total > 0"));
                    Thread.sleep(3_000);

                    Map<String, String> queries =
                            new LinkedHashMap<>(Queries.dashboardExpressions());
                    Queries.ruleExpressions()
                            .forEach(
                                    (alert, expr) -> {
                                        List<String> signals = Queries.signals(expr);
                                        for (int i = 0; i < signals.size(); i++) {
                                            queries.put(
                                                    "rule " + alert + " signal " + (i + 1),
                                                    signals.get(i));
                                        }
                                    });
                    List<String> failures = new ArrayList<>();
                    for (var q : queries.entrySet()) {
                        JsonNode answer = query(prometheus.url(), q.getValue());
                        if (!"success".equals(answer.path("status").asText())) {
                            failures.add(
                                    q.getKey()
                                            + ": "
                                            + answer.path("error").asText()
                                            + "  ["
                                            + q.getValue()
                                            + "]");
                        } else if (answer.path("data").path("result").isEmpty()) {
                            failures.add(q.getKey() + ": no series  [" + q.getValue() + "]");
                        }
                    }
                    assertThat(failures)
                            .as("queries without data (of %d)", queries.size())
                            .isEmpty();
                }
            }
        }
    }

    private static void sendBadRecords(KafkaSettings kafka) {
        try (var producer = new KafkaProducer<byte[], byte[]>(kafka.producer("bad-records"))) {
            producer.send(
                    new ProducerRecord<>(
                            Topics.IMAGES_INTAKE.name(),
                            "{not json".getBytes(StandardCharsets.UTF_8)));
            byte[] truncatedJpeg = {
                (byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0
            };
            producer.send(
                    new ProducerRecord<>(
                            Topics.FRAMES.name(),
                            "cam-bad".getBytes(StandardCharsets.UTF_8),
                            truncatedJpeg));
            producer.flush();
        }
    }

    private boolean nonEmpty(String prometheus, String promql) {
        try {
            return !query(prometheus, promql).path("data").path("result").isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    private JsonNode query(String prometheus, String promql) throws Exception {
        var response =
                http.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                prometheus
                                                        + "/api/v1/query?query="
                                                        + URLEncoder.encode(
                                                                promql, StandardCharsets.UTF_8)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return Queries.JSON.readTree(response.body());
    }
}
