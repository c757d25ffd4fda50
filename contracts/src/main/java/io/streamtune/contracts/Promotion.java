package io.streamtune.contracts;

import java.time.Instant;
import java.util.Objects;

/**
 * Who or what made a version the production model, and why.
 *
 * @param by the gate after training, an operator's rollback, or an automatic rollback
 * @param reason in words, with the numbers behind it
 * @param fromVersion the version that was in production before, null when none
 * @param at when
 * @param shadow what the version did in shadow beside production before promotion, null when it had
 *     no shadow phase
 */
public record Promotion(
        By by, String reason, Integer fromVersion, Instant at, ShadowEvidence shadow) {

    /** Who promoted. */
    public enum By {
        /** the offline gate, with no shadow phase (first model, or shadow serving off) */
        GATE,
        /** the offline gate, then a shadow phase without regression */
        SHADOW,
        OPERATOR_ROLLBACK,
        AUTOMATIC_ROLLBACK
    }

    /** A promotion without a shadow phase. */
    public Promotion(By by, String reason, Integer fromVersion, Instant at) {
        this(by, reason, fromVersion, at, null);
    }

    public Promotion {
        Objects.requireNonNull(by, "by");
        Names.requireText(reason, "reason", 2048);
        Objects.requireNonNull(at, "at");
    }

    /** Whether this promotion took a version back. */
    public boolean isRollback() {
        return by == By.OPERATOR_ROLLBACK || by == By.AUTOMATIC_ROLLBACK;
    }
}
