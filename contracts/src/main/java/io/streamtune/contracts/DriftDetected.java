package io.streamtune.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
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
 * @param drifted whether any statistic exceeded its threshold
 * @param consecutive drifted windows in a row, this one included (0 when not drifted)
 * @param embeddingPsi the largest population-stability index over the dimensions of the embedding
 *     summary, absent when the version's reference has no embedding distribution
 * @param embeddingThreshold what {@code embeddingPsi} must exceed (absent likewise)
 * @param dispersion how much more the window's statistics vary than for independent frames (from
 *     its time blocks; at least 1), by which its part of every threshold was scaled
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
        int consecutive,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double embeddingPsi,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double embeddingThreshold,
        double dispersion) {

    public DriftDetected {
        Names.requireModelName(model);
        Objects.requireNonNull(windowStart, "windowStart");
        Objects.requireNonNull(windowEnd, "windowEnd");
        if ((embeddingPsi == null) != (embeddingThreshold == null)) {
            throw new IllegalArgumentException("embeddingPsi and embeddingThreshold come together");
        }
    }

    /** The largest statistic relative to its threshold; above 1 is drift. */
    public double score() {
        double s = Math.max(confidencePsi / confidenceThreshold, classPsi / classThreshold);
        return embeddingPsi == null ? s : Math.max(s, embeddingPsi / embeddingThreshold);
    }
}
