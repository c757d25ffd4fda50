package io.streamtune.contracts;

import java.time.Instant;
import java.util.Objects;

/**
 * A manual "train now" request for a model, keyed by model name.
 *
 * @param model model to train
 * @param requestedBy who asked (user, tool), for the audit trail
 * @param requestedAt when
 */
public record TrainingRequested(String model, String requestedBy, Instant requestedAt) {

    public TrainingRequested {
        Names.requireModelName(model);
        Names.requireText(requestedBy, "requestedBy", 256);
        Objects.requireNonNull(requestedAt, "requestedAt");
    }
}
