package io.streamtune.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamtune.kafka.embedded.EmbeddedKafkaBroker;
import io.streamtune.kafka.embedded.SharedKafka;
import io.streamtune.runtime.ConfigSource;
import io.streamtune.runtime.PrometheusText;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SharedKafka.class)
class IngestServiceIT {

    @Test
    void shouldAnswerHealthAndServeParseableMetrics(EmbeddedKafkaBroker broker) throws Exception {
        var config = IngestConfig.from(ConfigSource.of(Map.of(
                "kafka.bootstrap.servers", broker.bootstrapServers(),
                "topic.prefix", SharedKafka.unique("ingest") + ".",
                "http.host", "127.0.0.1",
                "http.port", "0",
                "http.auth.enabled", "false",
                "streams.state.dir", System.getProperty("java.io.tmpdir") + "/" + SharedKafka.unique("st"))));

        try (var service = IngestService.start(config)) {
            assertThat(service.shell().awaitReady(Duration.ofSeconds(30))).isTrue();
            var client = HttpClient.newHttpClient();
            String base = service.shell().http().url();

            var health = client.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            var metrics = client.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"service\":\"ingest\"");
            var parsed = PrometheusText.parse(metrics.body());
            assertThat(parsed.named("jvm_threads_live_threads")).isNotEmpty();
            assertThat(parsed.named("jvm_threads_live_threads").get(0).labels()).containsEntry("service", "ingest");
        }
    }
}
