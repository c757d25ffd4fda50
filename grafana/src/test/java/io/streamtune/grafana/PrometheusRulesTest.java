package io.streamtune.grafana;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PrometheusRulesTest {

    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    private static final Path DIR = Path.of("../deploy/prometheus");

    @Test
    void shouldPassPromtoolsRuleCheck() throws Exception {
        assumeTrue(
                Files.isExecutable(PROMTOOL),
                "promtool is not installed (apt-get install prometheus)");

        var result = promtool("check", "rules", "streamtune.rules.yml");

        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");
    }

    @Test
    void shouldFireEveryAlertInPromtoolsUnitTests() throws Exception {
        assumeTrue(
                Files.isExecutable(PROMTOOL),
                "promtool is not installed (apt-get install prometheus)");

        var result = promtool("test", "rules", "streamtune.rules.test.yml");

        assertThat(result.exit()).as(result.output()).isZero();
        String tests = Files.readString(DIR.resolve("streamtune.rules.test.yml"));
        for (String alert : Queries.ruleExpressions().keySet()) {
            assertThat(tests).as("unit test for " + alert).contains("alertname: " + alert);
        }
    }

    @Test
    void shouldAcceptTheLocalScrapeConfiguration() throws Exception {
        assumeTrue(
                Files.isExecutable(PROMTOOL),
                "promtool is not installed (apt-get install prometheus)");

        var result = promtool("check", "config", "--syntax-only", "prometheus.yml");

        assertThat(result.exit()).as(result.output()).isZero();
    }

    @Test
    void shouldDiscoverAnnotatedPodsInTheKubernetesScrapeConfiguration() {
        // Debian's promtool is built without Kubernetes service discovery, so this one is checked
        // by structure.
        var config = Queries.read(DIR.resolve("prometheus-kubernetes.yml"), Queries.YAML);
        var job = config.path("scrape_configs").get(0);

        assertThat(job.path("kubernetes_sd_configs").get(0).path("role").asText()).isEqualTo("pod");
        assertThat(job.path("relabel_configs").toString())
                .contains("__meta_kubernetes_pod_annotation_prometheus_io_scrape")
                .contains("__meta_kubernetes_pod_annotation_prometheus_io_port")
                .contains("__meta_kubernetes_pod_annotation_prometheus_io_path");
        assertThat(config.path("rule_files").get(0).asText()).isEqualTo("streamtune.rules.yml");
    }

    private record Result(int exit, String output) {}

    private static Result promtool(String... args) throws Exception {
        var cmd = new java.util.ArrayList<>(List.of(PROMTOOL.toString()));
        cmd.addAll(List.of(args));
        Process p =
                new ProcessBuilder(cmd).directory(DIR.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }
}
