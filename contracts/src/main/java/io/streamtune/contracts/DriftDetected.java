package io.streamtune.contracts;

import java.time.Instant;
import java.util.Objects;

/**
 * One window of a model's live predictions compared with its version's {@link DriftReference}:
 * written to {@code models.drift} for every window judged, drifted or not. Key: model.
 *
 * @param model model name
 * @param version the version whose predictions were counted
 * @param windowStart start of the window (record time)
 * @param windowEnd end of the window
 * @param frames predictions counted
 * @param confidencePsi population-stability index of the top-confidence bins against the reference
 * @param classPsi population-stability index of the top-class shares
 * @param confidenceThreshold what {@code confidencePsi} must exceed to count as drift here
 * @param classThreshold what {@code classPsi} must exceed
 * @param drifted whether either statistic exceeded its threshold
 * @param consecutive drifted windows in a row, this one included (0 when not drifted)
 */
public record DriftDetected(
        String model,
        int version,
        Instant windowStart,
        Instant windowEnd,
        long frames,
        double confidencePsi,
        double classPsi,
        double confidenceThreshold,
        double classThreshold,
        boolean drifted,
        int consecutive) {

    public DriftDetected {
        Names.requireModelName(model);
        Objects.requireNonNull(windowStart, "windowStart");
        Objects.requireNonNull(windowEnd, "windowEnd");
    }

    /** The larger of the two statistics relative to its threshold; above 1 is drift. */
    public double score() {
        return Math.max(confidencePsi / confidenceThreshold, classPsi / classThreshold);
    }
}
