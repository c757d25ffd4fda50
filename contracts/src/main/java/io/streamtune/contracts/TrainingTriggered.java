package io.streamtune.contracts;

import java.time.Instant;
import java.util.Objects;

/**
 * Enough new data arrived (or the schedule or a person said so): train this model. Keyed by model
 * name; at most one trigger per batch of new samples.
 *
 * @param triggerId unique id of this trigger
 * @param model model to train
 * @param reason why now
 * @param newSamples samples accepted since the previous trigger
 * @param totalSamples samples accepted in all
 * @param triggeredAt when
 */
public record TrainingTriggered(
        String triggerId,
        String model,
        Reason reason,
        long newSamples,
        long totalSamples,
        Instant triggeredAt) {

    /** What caused a trigger. */
    public enum Reason {
        THRESHOLD,
        SCHEDULE,
        MANUAL,
        /** the live stream drifted from the production version's reference for several windows */
        DRIFT
    }

    public TrainingTriggered {
        Names.requireText(triggerId, "triggerId", 128);
        Names.requireModelName(model);
        Objects.requireNonNull(reason, "reason");
        if (newSamples < 0 || totalSamples < newSamples) {
            throw new IllegalArgumentException(
                    "need 0 <= newSamples <= totalSamples, was " + newSamples + "/" + totalSamples);
        }
        Objects.requireNonNull(triggeredAt, "triggeredAt");
    }
}
