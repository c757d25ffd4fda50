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
 * @param drift what the model's predictions look like on these samples, the reference live drift is
 *     measured against; null when not computed
 */
public record Evaluation(
        String metricName,
        double metric,
        Map<String, Double> metrics,
        int samples,
        io.streamtune.trainer.gate.SampleScores scores,
        io.streamtune.contracts.DriftReference drift) {

    public Evaluation {
        metrics = Map.copyOf(metrics);
    }

    /** An evaluation without a drift reference. */
    public Evaluation(
            String metricName,
            double metric,
            Map<String, Double> metrics,
            int samples,
            io.streamtune.trainer.gate.SampleScores scores) {
        this(metricName, metric, metrics, samples, scores, null);
    }
}
