package io.streamtune.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.streamtune.inference.InferenceConfig;
import io.streamtune.ingest.IngestConfig;
import io.streamtune.runtime.ConfigSource;
import io.streamtune.trainer.TrainerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class KubernetesManifestsTest {

    private static final Path DIR = Path.of("k8s");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static List<JsonNode> documents() throws Exception {
        List<JsonNode> docs = new ArrayList<>();
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                try (var parser = YAML.getFactory().createParser(file.toFile())) {
                    var it = YAML.readValues(parser, JsonNode.class);
                    while (it.hasNext()) {
                        JsonNode doc = it.next();
                        if (doc != null && !doc.isNull() && !doc.isEmpty()) {
                            docs.add(doc);
                        }
                    }
                }
            }
        }
        return docs;
    }

    private static List<JsonNode> workloads() throws Exception {
        return documents().stream()
                .filter(d -> List.of("Deployment", "StatefulSet").contains(d.path("kind").asText()))
                .toList();
    }

    @Test
    void shouldDeclareEveryObjectWithApiVersionKindNameAndNamespace() throws Exception {
        var docs = documents();

        assertThat(docs).hasSizeGreaterThanOrEqualTo(9);
        for (JsonNode d : docs) {
            assertThat(d.path("apiVersion").asText()).as(d.toString()).isNotBlank();
            assertThat(d.path("kind").asText()).isNotBlank();
            assertThat(d.path("metadata").path("name").asText())
                    .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
            if (!d.path("kind").asText().equals("Namespace")) {
                assertThat(d.path("metadata").path("namespace").asText()).isEqualTo("streamtune");
            }
        }
    }

    @Test
    void shouldRunEachServiceWithProbesResourcesScrapeAnnotationsAndARealMainClass()
            throws Exception {
        var names = new ArrayList<String>();
        for (JsonNode w : workloads()) {
            JsonNode template = w.path("spec").path("template");
            JsonNode container = template.path("spec").path("containers").get(0);
            names.add(w.path("metadata").path("name").asText());

            assertThat(w.path("spec").path("selector").path("matchLabels"))
                    .isEqualTo(
                            ((com.fasterxml.jackson.databind.node.ObjectNode)
                                            template.path("metadata").path("labels").deepCopy())
                                    .without("app.kubernetes.io/part-of"));
            assertThat(
                            template.path("metadata")
                                    .path("annotations")
                                    .path("prometheus.io/scrape")
                                    .asText())
                    .isEqualTo("true");
            assertThat(
                            template.path("metadata")
                                    .path("annotations")
                                    .path("prometheus.io/path")
                                    .asText())
                    .isEqualTo("/metrics");
            assertThat(container.path("livenessProbe").path("httpGet").path("path").asText())
                    .isEqualTo("/health/live");
            assertThat(container.path("readinessProbe").path("httpGet").path("path").asText())
                    .isEqualTo("/health");
            for (String kind : List.of("requests", "limits")) {
                assertThat(container.path("resources").path(kind).path("cpu").asText())
                        .isNotBlank();
                assertThat(container.path("resources").path(kind).path("memory").asText())
                        .isNotBlank();
            }
            String mainClass = container.path("args").get(0).asText();
            assertThat(Class.forName(mainClass).getMethod("main", String[].class)).isNotNull();
            var envFrom = container.path("envFrom").findValuesAsText("name");
            assertThat(envFrom)
                    .contains(
                            "streamtune-config",
                            "streamtune-secrets",
                            w.path("metadata")
                                    .path("name")
                                    .asText()
                                    .replace("streamtune-", "streamtune-kafka-"));
        }
        assertThat(names)
                .containsExactlyInAnyOrder(
                        "streamtune-ingest", "streamtune-trainer", "streamtune-inference");
    }

    /**
     * Each service logs in to Kafka as its own principal, and the ACLs let only the trainer write
     * the model topics; every topic the services use is covered by some service's ACLs.
     */
    @Test
    void shouldGiveEachServiceItsOwnPrincipalAndOnlyTheTrainerTheModelTopics() throws Exception {
        var docs = documents();
        Map<String, JsonNode> users = new HashMap<>();
        docs.stream()
                .filter(d -> d.path("kind").asText().equals("KafkaUser"))
                .forEach(d -> users.put(d.path("metadata").path("name").asText(), d));
        for (JsonNode w : workloads()) {
            String name = w.path("metadata").path("name").asText();
            String secret = name.replace("streamtune-", "streamtune-kafka-");
            JsonNode s =
                    docs.stream()
                            .filter(
                                    d ->
                                            d.path("kind").asText().equals("Secret")
                                                    && d.path("metadata")
                                                            .path("name")
                                                            .asText()
                                                            .equals(secret))
                            .findFirst()
                            .orElseThrow();
            assertThat(s.path("stringData").path("STREAMTUNE_KAFKA_SASL_JAAS_CONFIG").asText())
                    .contains("username=\"" + name + "\"");
            assertThat(users).containsKey(name);
        }
        List<String> modelTopics =
                List.of(
                        io.streamtune.contracts.Topics.MODELS_PUBLISHED.name(),
                        io.streamtune.contracts.Topics.MODELS_ARTIFACTS.name(),
                        io.streamtune.contracts.Topics.MODELS_CANDIDATES.name(),
                        io.streamtune.contracts.Topics.MODELS_REJECTED.name());
        List<String> covered = new ArrayList<>();
        users.forEach(
                (user, d) -> {
                    for (JsonNode acl : d.path("spec").path("authorization").path("acls")) {
                        JsonNode r = acl.path("resource");
                        if (!r.path("type").asText().equals("topic")) {
                            continue;
                        }
                        String topic = r.path("name").asText();
                        boolean prefix = r.path("patternType").asText().equals("prefix");
                        List<String> ops = new ArrayList<>();
                        acl.path("operations").forEach(o -> ops.add(o.asText()));
                        for (String t : modelTopics) {
                            boolean matches = prefix ? t.startsWith(topic) : t.equals(topic);
                            if (matches && (ops.contains("Write") || ops.contains("All"))) {
                                assertThat(user).as("writes " + t).isEqualTo("streamtune-trainer");
                            }
                        }
                        covered.add((prefix ? "prefix:" : "") + topic);
                    }
                });
        for (var t : io.streamtune.contracts.Topics.all()) {
            assertThat(covered)
                    .as("some service's ACLs cover " + t.name())
                    .anyMatch(
                            c ->
                                    c.startsWith("prefix:")
                                            ? t.name().startsWith(c.substring(7))
                                            : c.equals(t.name()));
        }
    }

    @Test
    void shouldGiveServicesAConfigurationTheyAcceptAndServeOnTheProbedPort() throws Exception {
        Map<String, String> env = new HashMap<>();
        for (JsonNode d : documents()) {
            String kind = d.path("kind").asText();
            JsonNode data =
                    kind.equals("ConfigMap")
                            ? d.path("data")
                            : kind.equals("Secret") ? d.path("stringData") : null;
            if (data != null) {
                data.fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
            }
        }
        env.put("STREAMTUNE_INSTANCE_ID", "pod-0");
        // As shipped, the secret holds placeholders: the services refuse them, naming the key.
        ConfigSource shipped = ConfigSource.fromEnvironment(env, Map.of());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> IngestConfig.from(shipped))
                .hasMessageContaining("http.auth.token")
                .hasMessageNotContaining("CHANGE-ME");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TrainerConfig.from(shipped))
                .hasMessageContaining("models.signing.key");
        // Filled in as the comment says, they start.
        env.replaceAll(
                (k, v) ->
                        v.equals("CHANGE-ME")
                                ? java.util.HexFormat.of()
                                        .formatHex(java.security.SecureRandom.getSeed(32))
                                : v);
        ConfigSource config = ConfigSource.fromEnvironment(env, Map.of());
        assertThat(InferenceConfig.from(config).signer()).isNotNull();

        var ingest = IngestConfig.from(config).service();
        var trainer = TrainerConfig.from(config).service();
        var inference = InferenceConfig.from(config).service();

        assertThat(ingest.kafka().clientProperties())
                .containsEntry("security.protocol", "SASL_SSL")
                .containsKey("sasl.jaas.config");
        assertThat(List.of(ingest.httpPort(), trainer.httpPort(), inference.httpPort()))
                .containsOnly(8080);
        for (JsonNode w : workloads()) {
            JsonNode container =
                    w.path("spec").path("template").path("spec").path("containers").get(0);
            assertThat(container.path("ports").get(0).path("containerPort").asInt())
                    .isEqualTo(8080);
            if (w.path("metadata").path("name").asText().equals("streamtune-ingest")) {
                // the API has a server of its own, so probes on 8080 answer whatever clients do
                Map<String, String> own = new HashMap<>(env);
                container
                        .path("env")
                        .forEach(
                                e -> {
                                    if (e.has("value")) {
                                        own.put(e.path("name").asText(), e.path("value").asText());
                                    }
                                });
                int api =
                        IngestConfig.from(ConfigSource.fromEnvironment(own, Map.of()))
                                .http()
                                .apiPort();
                assertThat(api).isEqualTo(8081);
                assertThat(container.path("ports").findValuesAsText("name"))
                        .contains("http", "api");
            }
        }
    }
}
