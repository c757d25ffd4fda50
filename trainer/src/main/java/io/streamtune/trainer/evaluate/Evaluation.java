package io.streamtune.trainer.evaluate;

import java.util.Map;

/**
 * Validation results of one model.
 *
 * @param metricName the gating metric: {@code accuracy}, {@code miou} or {@code map50_95}
 * @param metric its value
 * @param metrics every metric computed
 * @param samples validation images
 */
public record Evaluation(
        String metricName, double metric, Map<String, Double> metrics, int samples) {

    public Evaluation {
        metrics = Map.copyOf(metrics);
    }
}
