package io.streamtune.contracts;

import java.time.Instant;
import java.util.Objects;

/**
 * An inference instance switched to a new model version, or refused to.
 *
 * @param instance inference instance id
 * @param model model name
 * @param version version it tried to load
 * @param outcome result
 * @param detail why it failed, or null
 * @param servingVersion the version serving after the attempt, 0 when none
 * @param at when
 */
public record ModelSwapReported(
        String instance,
        String model,
        int version,
        Outcome outcome,
        String detail,
        int servingVersion,
        Instant at) {

    /** Result of a swap attempt. */
    public enum Outcome {
        SWAPPED,
        DOWNLOAD_FAILED,
        CHECKSUM_MISMATCH,
        LOAD_FAILED,
        /** the announcement is not signed with models.signing.key */
        SIGNATURE_INVALID
    }

    public ModelSwapReported {
        Names.requireText(instance, "instance", 256);
        Names.requireModelName(model);
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(at, "at");
    }
}
