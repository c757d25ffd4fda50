package io.streamtune.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamtune.contracts.Topic;
import io.streamtune.contracts.TopicSpec;
import io.streamtune.contracts.Topics;
import io.streamtune.kafka.embedded.EmbeddedKafkaBroker;
import io.streamtune.kafka.embedded.ServiceSettings;
import io.streamtune.kafka.embedded.SharedKafka;
import io.streamtune.testkit.Http;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SharedKafka.class)
class ServiceShellIT {

    private final HttpClient http = HttpClient.newHttpClient();

    private ServiceConfig config(EmbeddedKafkaBroker broker, String prefix, int port) {
        return ServiceConfig.from(
                ConfigSource.of(
                        ServiceSettings.loopback(
                                broker.bootstrapServers(),
                                prefix,
                                "http.port",
                                Integer.toString(port))),
                "test",
                0);
    }

    @Test
    void shouldCreateOwnedTopicsWithDeclaredConfigsAndFindThemOnASecondStart(
            EmbeddedKafkaBroker broker) throws Exception {
        String prefix = SharedKafka.unique("p") + ".";
        var owned = List.of(Topics.IMAGES_LABELLED, Topics.FRAMES, Topics.FRAMES.deadLetters());

        try (var shell = ServiceShell.start(config(broker, prefix, 0), owned)) {
            assertThat(shell.awaitReady(java.time.Duration.ofSeconds(10))).isTrue();
        }
        try (var again = ServiceShell.start(config(broker, prefix, 0), owned);
                Admin admin =
                        Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            var labelled =
                    new ConfigResource(ConfigResource.Type.TOPIC, prefix + "images.labelled");
            var frames = new ConfigResource(ConfigResource.Type.TOPIC, prefix + "frames");
            var configs = admin.describeConfigs(List.of(labelled, frames)).all().get();
            var descriptions =
                    admin.describeTopics(List.of(prefix + "frames", prefix + "frames.dlq"))
                            .allTopicNames()
                            .get();

            assertThat(configs.get(labelled).get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(configs.get(frames).get("max.message.bytes").value())
                    .isEqualTo(Integer.toString(TopicSpec.MAX_RECORD_BYTES));
            assertThat(descriptions.get(prefix + "frames").partitions()).hasSize(6);
            assertThat(descriptions).containsKey(prefix + "frames.dlq");
        }
    }

    @Test
    void shouldRefuseAnExistingTopicThatIsNotCompactedWhereItMustBe(EmbeddedKafkaBroker broker)
            throws Exception {
        String prefix = SharedKafka.unique("p") + ".";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(prefix + "images.labelled", 1, (short) 1)))
                    .all()
                    .get();
        }

        assertThatThrownBy(
                        () ->
                                ServiceShell.start(
                                        config(broker, prefix, 0), List.of(Topics.IMAGES_LABELLED)))
                .isInstanceOf(IncompatibleTopicException.class)
                .hasMessageContaining(prefix + "images.labelled")
                .hasMessageContaining("cleanup.policy=compact");
    }

    @Test
    void shouldServeHealthAndMetricsThatParseAsPrometheusText(EmbeddedKafkaBroker broker)
            throws Exception {
        var topic = new Topic<>("x", Serdes.String(), Serdes.String(), TopicSpec.log(1, 60_000));
        try (var shell =
                ServiceShell.start(
                        config(broker, SharedKafka.unique("p") + ".", 0), List.of(topic))) {
            String base = shell.http().url();

            var health = get(base + "/health");
            var live = get(base + "/health/live");
            var metrics = get(base + "/metrics");

            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"UP\"").contains("\"kafka\"");
            assertThat(live.statusCode()).isEqualTo(200);
            var parsed = PrometheusText.parse(metrics.body());
            assertThat(parsed.named("jvm_memory_used_bytes")).isNotEmpty();
            assertThat(parsed.named("jvm_memory_used_bytes").get(0).labels())
                    .containsEntry("service", "test");
            assertThat(parsed.samples().stream().anyMatch(s -> s.name().startsWith("kafka_")))
                    .isTrue();

            // A loop that died takes liveness down, so an orchestrator restarts the process.
            var loop = new java.util.concurrent.atomic.AtomicBoolean(true);
            shell.health()
                    .registerLiveness(
                            "loop",
                            () ->
                                    loop.get()
                                            ? Health.Status.up("running")
                                            : Health.Status.down("loop thread died: boom"));
            assertThat(get(base + "/health/live").statusCode()).isEqualTo(200);
            loop.set(false);
            var dead = get(base + "/health/live");
            assertThat(dead.statusCode()).isEqualTo(503);
            assertThat(dead.body()).contains("\"status\":\"DOWN\"").contains("loop thread died");
            assertThat(get(base + "/health").statusCode()).isEqualTo(503);
        }
    }

    @Test
    void shouldNameTheHttpPortKeyWhenThePortIsInUse(EmbeddedKafkaBroker broker) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 0, InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(
                            () ->
                                    ServiceShell.start(
                                            config(broker, "q.", taken.getLocalPort()), List.of()))
                    .hasMessageContaining("http.port")
                    .hasMessageContaining("already in use");
        }
    }

    @Test
    void shouldReportNotReadyWhenKafkaIsGone() throws Exception {
        EmbeddedKafkaBroker own =
                EmbeddedKafkaBroker.builder().build().start(java.time.Duration.ofSeconds(60));
        try (var shell = ServiceShell.start(config(own, "r.", 0), List.of())) {
            own.close();

            io.streamtune.testkit.Eventually.until(
                    java.time.Duration.ofSeconds(30),
                    "health to report Kafka gone",
                    () -> Http.get(shell.http().url() + "/health").statusCode() == 503);
            var health = get(shell.http().url() + "/health");

            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).contains("\"status\":\"DOWN\"").contains("Kafka unreachable");
        } finally {
            own.close();
        }
    }

    private HttpResponse<String> get(String url) throws Exception {
        return Http.get(url);
    }
}
