package io.streamtune.trainer.evaluate;

import java.util.Map;

/**
 * Gate-split results of one model.
 *
 * @param metricName the gating metric: {@code accuracy}, {@code miou} or {@code map50_95}
 * @param metric its value
 * @param metrics every metric computed
 * @param samples gate images
 * @param scores per-sample results, for the gate's resampling
 */
public record Evaluation(
        String metricName,
        double metric,
        Map<String, Double> metrics,
        int samples,
        io.streamtune.trainer.gate.SampleScores scores) {

    public Evaluation {
        metrics = Map.copyOf(metrics);
    }
}
