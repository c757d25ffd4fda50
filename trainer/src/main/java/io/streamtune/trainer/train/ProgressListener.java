package io.streamtune.trainer.train;

import io.streamtune.contracts.TrainingProgress.Phase;

/** Receives training progress; implementations publish it (topic, metrics, console). */
@FunctionalInterface
public interface ProgressListener {

    /**
     * One step of progress.
     *
     * @param phase current phase
     * @param epoch finished epochs of the phase
     * @param epochs planned epochs of the phase
     * @param loss mean training loss of the last epoch, NaN when none
     * @param metric validation metric after the last epoch, NaN when none
     * @param etaSeconds estimated seconds left, -1 when unknown
     */
    void onProgress(
            Phase phase, int epoch, int epochs, double loss, double metric, long etaSeconds);

    /** Ignores everything. */
    ProgressListener NONE = (p, e, n, l, m, eta) -> {};

    /** Calls both. */
    default ProgressListener and(ProgressListener other) {
        return (p, e, n, l, m, eta) -> {
            onProgress(p, e, n, l, m, eta);
            other.onProgress(p, e, n, l, m, eta);
        };
    }
}
