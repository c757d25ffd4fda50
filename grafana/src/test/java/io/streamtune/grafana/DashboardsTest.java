package io.streamtune.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DashboardsTest {

    @Test
    void shouldHaveThePipelineAndModelQualityDashboardsWithUniqueIdsAndPanels() {
        Set<String> uids = new HashSet<>();
        for (Path file : Queries.dashboardFiles()) {
            JsonNode d = Queries.read(file, Queries.JSON);
            assertThat(uids.add(d.path("uid").asText())).as("unique uid in " + file).isTrue();
            Set<Integer> ids = new HashSet<>();
            for (JsonNode panel : d.path("panels")) {
                assertThat(ids.add(panel.path("id").asInt()))
                        .as("unique panel id in " + file)
                        .isTrue();
                assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
            }
        }
        assertThat(uids)
                .containsExactlyInAnyOrder("streamtune-pipeline", "streamtune-model-quality");
    }

    @Test
    void shouldQueryTheProvisionedPrometheusDatasourceEverywhere() {
        JsonNode datasources =
                Queries.read(Path.of("provisioning/datasources/prometheus.yml"), Queries.YAML);
        String uid = datasources.path("datasources").get(0).path("uid").asText();

        for (Path file : Queries.dashboardFiles()) {
            for (JsonNode panel : Queries.read(file, Queries.JSON).path("panels")) {
                assertThat(panel.path("datasource").path("uid").asText()).isEqualTo(uid);
                for (JsonNode target : panel.path("targets")) {
                    assertThat(target.path("datasource").path("uid").asText()).isEqualTo(uid);
                    assertThat(target.path("expr").asText()).isNotBlank();
                }
            }
        }
        assertThat(
                        Queries.read(
                                        Path.of("provisioning/dashboards/streamtune.yml"),
                                        Queries.YAML)
                                .path("providers")
                                .get(0)
                                .path("type")
                                .asText())
                .isEqualTo("file");
    }

    @Test
    void shouldCoverWhatTheIssueAsksOfThePipelineDashboard() {
        var exprs = String.join("\n", Queries.dashboardExpressions().values());

        for (String metric :
                List.of(
                        "ingest_accepted_total",
                        "ingest_rejected_total",
                        "ingest_dataset_samples",
                        "ingest_triggers_total",
                        "trainer_runs_total",
                        "trainer_run_duration_seconds",
                        "trainer_validation_metric",
                        "inference_model_version",
                        "inference_frames_out_total",
                        "inference_frame_latency_seconds_bucket",
                        "inference_batch_size_frames",
                        "inference_consumer_lag_records",
                        "inference_frames_rejected_total")) {
            assertThat(exprs).contains(metric);
        }
    }

    @Test
    void shouldSplitRuleExpressionsIntoSignals() {
        assertThat(Queries.signals("sum by (job) (rate(x_total[5m])) > 0.5"))
                .containsExactly("sum by (job) (rate(x_total[5m]))");
        assertThat(Queries.signals("a > 500 and delta(a[5m]) > 0"))
                .containsExactly("a", "delta(a[5m])");
        assertThat(Queries.ruleExpressions())
                .hasSizeGreaterThanOrEqualTo(6)
                .allSatisfy((name, expr) -> assertThat(Queries.signals(expr)).isNotEmpty());
    }
}
