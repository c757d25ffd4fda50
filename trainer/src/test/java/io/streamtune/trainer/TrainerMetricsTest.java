package io.streamtune.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamtune.contracts.TrainingProgress.Phase;
import java.time.Duration;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TrainerMetricsTest {

    @Test
    void shouldRegisterOnlyDeclaredNamesAndTrackARun() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TrainerMetrics metrics = new TrainerMetrics(registry);

        metrics.triggerReceived();
        metrics.dataset("cats", 120, 2);
        metrics.progress("cats", Phase.FINE_TUNING, 3, 0.25, 0.91);
        metrics.productionVersion("cats", 4);
        metrics.gate("cats", 0.91, 0.88);
        metrics.published("cats", 4, "accuracy", 0.91);
        metrics.runFinished(TrainerMetrics.RunOutcome.PUBLISHED, Duration.ofSeconds(12));

        assertThat(
                        registry.getMeters().stream()
                                .map(m -> m.getId().getName())
                                .collect(Collectors.toSet()))
                .isSubsetOf(TrainerMetrics.NAMES)
                .containsAll(TrainerMetrics.NAMES);
        assertThat(
                        registry.get(TrainerMetrics.VALIDATION_METRIC)
                                .tag("model", "cats")
                                .gauge()
                                .value())
                .isEqualTo(0.91);
        assertThat(registry.get(TrainerMetrics.EPOCH).tag("model", "cats").gauge().value())
                .isEqualTo(3);
        assertThat(registry.get(TrainerMetrics.RUNS).tag("outcome", "published").counter().count())
                .isEqualTo(1);
        assertThat(
                        registry.get(TrainerMetrics.DATASET_CORRUPT)
                                .tag("model", "cats")
                                .counter()
                                .count())
                .isEqualTo(2);
        assertThat(
                        registry.get(TrainerMetrics.PUBLISHED_METRIC)
                                .tags("model", "cats", "version", "4", "metric", "accuracy")
                                .gauge()
                                .value())
                .isEqualTo(0.91);
        assertThat(
                        registry.get(TrainerMetrics.GATE_PRODUCTION)
                                .tag("model", "cats")
                                .gauge()
                                .value())
                .isEqualTo(0.88);
        assertThat(registry.getMeters()).extracting(Meter::getId).isNotEmpty();
    }

    @Test
    void shouldKeepThePublishedMetricOfTheLatestVersionsOnly() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TrainerMetrics metrics = new TrainerMetrics(registry);

        for (int v = 1; v <= 25; v++) {
            metrics.published("cats", v, "accuracy", 0.5 + v / 100.0);
        }

        assertThat(registry.find(TrainerMetrics.PUBLISHED_METRIC).gauges())
                .hasSize(TrainerMetrics.PUBLISHED_VERSIONS_KEPT);
        assertThat(
                        registry.get(TrainerMetrics.PUBLISHED_METRIC)
                                .tags("model", "cats", "version", "25")
                                .gauge()
                                .value())
                .isEqualTo(0.75);
        assertThat(registry.find(TrainerMetrics.PUBLISHED_METRIC).tag("version", "15").gauge())
                .isNull();
    }
}
