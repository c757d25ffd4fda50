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
 */
public record Promotion(By by, String reason, Integer fromVersion, Instant at) {

    /** Who promoted. */
    public enum By {
        GATE,
        OPERATOR_ROLLBACK,
        AUTOMATIC_ROLLBACK
    }

    public Promotion {
        Objects.requireNonNull(by, "by");
        Names.requireText(reason, "reason", 2048);
        Objects.requireNonNull(at, "at");
    }

    /** Whether this promotion took a version back. */
    public boolean isRollback() {
        return by != By.GATE;
    }
}
