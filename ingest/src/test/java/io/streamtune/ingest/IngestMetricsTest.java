package io.streamtune.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
}
