package io.streamtune.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamtune.contracts.DriftDetected;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestMetricsTest {

    @Test
    void shouldBoundTheClassSeriesClientsCanCreate() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        IngestMetrics metrics = new IngestMetrics(registry);
        Map<String, Long> perClass = new LinkedHashMap<>();
        for (int c = 0; c < IngestMetrics.MAX_CLASS_SERIES + 500; c++) {
            perClass.put("class-" + c, 10_000L - c);
        }

        metrics.dataset(List.of(new IngestMetrics.DatasetCounts("m", 1, 0, perClass)));

        var series = registry.find(IngestMetrics.DATASET_SAMPLES).gauges();
        assertThat(series).hasSize(IngestMetrics.MAX_CLASS_SERIES + 1);
        double other =
                registry.get(IngestMetrics.DATASET_SAMPLES).tag("class", "_other").gauge().value();
        long expected = 0;
        for (int c = IngestMetrics.MAX_CLASS_SERIES;
                c < IngestMetrics.MAX_CLASS_SERIES + 500;
                c++) {
            expected += 10_000L - c;
        }
        assertThat(other).isEqualTo((double) expected);
        assertThat(
                        registry.get(IngestMetrics.DATASET_SAMPLES)
                                .tag("class", "class-0")
                                .gauge()
                                .value())
                .isEqualTo(10_000.0);
    }

    @Test
    void shouldShowBothDriftSeriesFromTheFirstJudgedWindow() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        IngestMetrics metrics = new IngestMetrics(registry);
        Instant t = Instant.parse("2026-12-04T10:00:00Z");

        metrics.drift(
                "cams",
                new DriftDetected(
                        "cams",
                        1,
                        t,
                        t.plusSeconds(60),
                        300,
                        0.1,
                        0.05,
                        0.5,
                        0.4,
                        false,
                        0,
                        0.3,
                        0.9,
                        1.0));

        assertThat(windows(registry, "cams", "true")).isZero();
        assertThat(windows(registry, "cams", "false")).isEqualTo(1.0);
        assertThat(registry.get(IngestMetrics.DRIFT_SCORE).tag("model", "cams").gauge().value())
                .isEqualTo(0.3 / 0.9, org.assertj.core.api.Assertions.within(1e-9));

        metrics.drift(
                "cams",
                new DriftDetected(
                        "cams",
                        1,
                        t.plusSeconds(60),
                        t.plusSeconds(120),
                        300,
                        0.1,
                        0.05,
                        0.5,
                        0.4,
                        true,
                        1,
                        1.8,
                        0.9,
                        1.0));

        assertThat(windows(registry, "cams", "true")).isEqualTo(1.0);
        assertThat(windows(registry, "cams", "false")).isEqualTo(1.0);
        assertThat(registry.get(IngestMetrics.DRIFT_SCORE).tag("model", "cams").gauge().value())
                .isEqualTo(2.0, org.assertj.core.api.Assertions.within(1e-9));
    }

    private static double windows(SimpleMeterRegistry registry, String model, String drifted) {
        return registry.get(IngestMetrics.DRIFT_WINDOWS)
                .tag("model", model)
                .tag("drifted", drifted)
                .counter()
                .count();
    }
}
