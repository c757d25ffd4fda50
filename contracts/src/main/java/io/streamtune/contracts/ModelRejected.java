package io.streamtune.contracts;

import java.time.Instant;
import java.util.Objects;

/**
 * A candidate model was not published: it did not beat production by the required margin, or the
 * run diverged. Both numbers are reported.
 *
 * @param model model name
 * @param runId the training run
 * @param reason why, in words
 * @param metricName gating metric
 * @param candidateMetric candidate's value (NaN if the run diverged)
 * @param productionMetric production's value on the same validation set (NaN if none)
 * @param minDelta required improvement
 * @param rejectedAt when
 */
public record ModelRejected(
        String model,
        String runId,
        String reason,
        String metricName,
        double candidateMetric,
        double productionMetric,
        double minDelta,
        Instant rejectedAt) {

    public ModelRejected {
        Names.requireModelName(model);
        Names.requireText(runId, "runId", 128);
        Names.requireText(reason, "reason", 2048);
        Names.requireText(metricName, "metricName", 64);
        Objects.requireNonNull(rejectedAt, "rejectedAt");
    }
}
