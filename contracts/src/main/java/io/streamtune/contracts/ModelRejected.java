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
 * @param verdict why, as a category; null from older producers
 * @param evidence the gate's numbers (interval, sample count), null when the run did not get to the
 *     gate
 */
public record ModelRejected(
        String model,
        String runId,
        String reason,
        String metricName,
        double candidateMetric,
        double productionMetric,
        double minDelta,
        Instant rejectedAt,
        Verdict verdict,
        GateEvidence evidence) {

    /** Why a candidate was not published. */
    public enum Verdict {
        /** the candidate is significantly worse than production */
        WORSE,
        /**
         * better or level overall, but significantly worse on some class than production (it
         * forgets what production knew); the reason names the class
         */
        FORGETS_CLASS,
        /** the difference is within noise (or below the required margin) */
        NOT_SIGNIFICANT,
        /** a first model whose interval does not clear the floor */
        BELOW_FLOOR,
        /** too few gate samples, overall or for some class */
        NOT_ENOUGH_EVIDENCE,
        /** no ground truth in the gate split */
        NOT_COMPARABLE,
        /** nothing changed since production was trained: same data, same settings */
        UNCHANGED,
        /** the run diverged */
        DIVERGED,
        /** passed the offline gate, then regressed while serving in shadow beside production */
        SHADOW_REGRESSION,
        /** gated against a version that is no longer production (another was promoted since) */
        STALE,
        /** a newer candidate replaced it in shadow before a decision */
        SUPERSEDED
    }

    /** A rejection without verdict and evidence (older producers, tests). */
    public ModelRejected(
            String model,
            String runId,
            String reason,
            String metricName,
            double candidateMetric,
            double productionMetric,
            double minDelta,
            Instant rejectedAt) {
        this(
                model,
                runId,
                reason,
                metricName,
                candidateMetric,
                productionMetric,
                minDelta,
                rejectedAt,
                null,
                null);
    }

    public ModelRejected {
        Names.requireModelName(model);
        Names.requireText(runId, "runId", 128);
        Names.requireText(reason, "reason", 2048);
        Names.requireText(metricName, "metricName", 64);
        Objects.requireNonNull(rejectedAt, "rejectedAt");
    }
}
