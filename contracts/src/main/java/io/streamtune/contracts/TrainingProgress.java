package io.streamtune.contracts;

import java.time.Instant;
import java.util.Objects;

/**
 * Where a training run is, keyed by model name.
 *
 * @param runId the run
 * @param model model being trained
 * @param phase phase of the schedule
 * @param epoch epoch within the phase, 0 before the first
 * @param epochs planned epochs of the phase
 * @param loss last training loss, NaN when not yet known
 * @param validationMetric last validation metric, NaN when not yet known
 * @param etaSeconds estimated seconds left in the run, -1 when unknown
 * @param message human-readable detail (failure reason, summary), may be null
 * @param at when
 */
public record TrainingProgress(
        String runId,
        String model,
        Phase phase,
        int epoch,
        int epochs,
        double loss,
        double validationMetric,
        long etaSeconds,
        String message,
        Instant at) {

    /** Phases of a training run. */
    public enum Phase {
        PREPARING,
        FEATURE_EXTRACTION,
        FINE_TUNING,
        /** a stylizer's optimisation: {@code epoch} counts steps, not epochs */
        STYLE_TRAINING,
        EVALUATING,
        PUBLISHED,
        REJECTED,
        FAILED,
        /** passed the offline gate; serving in shadow beside production until promoted */
        SHADOW
    }

    public TrainingProgress {
        Names.requireText(runId, "runId", 128);
        Names.requireModelName(model);
        Objects.requireNonNull(phase, "phase");
        if (epoch < 0 || epochs < 0 || epoch > epochs) {
            throw new IllegalArgumentException(
                    "need 0 <= epoch <= epochs, was " + epoch + "/" + epochs);
        }
        Objects.requireNonNull(at, "at");
    }
}
