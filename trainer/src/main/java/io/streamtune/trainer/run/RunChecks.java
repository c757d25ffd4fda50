package io.streamtune.trainer.run;

import io.streamtune.contracts.ModelPublished;
import io.streamtune.contracts.ModelRejected.Verdict;
import java.util.Optional;

/**
 * The checks a run makes before it trains, as pure functions: too little data is a dataset problem
 * (the run cannot start), unchanged data or too few gate samples is a refusal (announced as a
 * rejection with its verdict).
 */
final class RunChecks {

    private RunChecks() {}

    /** Why a run is refused before training. */
    record Refusal(Verdict verdict, String reason) {}

    /** How a run's data was split. */
    record Counts(int train, int selection, int gate, int skipped) {
        int total() {
            return train + selection + gate;
        }
    }

    /**
     * The dataset problem when {@code counts} cannot make a run: fewer than {@code minSamples} in
     * all, fewer than two to train on or none to select the epoch by.
     *
     * @param what what the samples are ("samples", "content images")
     */
    static Optional<String> tooFew(String what, Counts counts, int minSamples) {
        if (counts.total() >= minSamples && counts.train() >= 2 && counts.selection() >= 1) {
            return Optional.empty();
        }
        return Optional.of(
                "not enough usable "
                        + what
                        + ": "
                        + counts.train()
                        + " train / "
                        + counts.selection()
                        + " selection / "
                        + counts.gate()
                        + " gate ("
                        + counts.skipped()
                        + " skipped), need "
                        + minSamples);
    }

    /**
     * A refusal when production was trained on the same data ({@code dataFingerprint}) with the
     * same settings: a retrain would differ from it by noise only.
     *
     * @param what what the data is ("samples and labels", "style and content images")
     */
    static Optional<Refusal> unchanged(
            Optional<ModelPublished> production,
            String dataFingerprint,
            String settingsFingerprint,
            String what) {
        if (production.isEmpty() || production.get().lineage() == null) {
            return Optional.empty();
        }
        var lineage = production.get().lineage();
        if (!lineage.datasetFingerprint().equals(dataFingerprint)
                || !lineage.settingsFingerprint().equals(settingsFingerprint)) {
            return Optional.empty();
        }
        return Optional.of(
                new Refusal(
                        Verdict.UNCHANGED,
                        "production v"
                                + production.get().version()
                                + " was trained on the same "
                                + what
                                + " with the same settings; not retrained (a retrain would"
                                + " differ from it by noise only)"));
    }

    /** A refusal when the gate split cannot judge a candidate ({@code shortfall} says why). */
    static Optional<Refusal> notEnoughEvidence(Optional<String> shortfall) {
        return shortfall.map(
                why ->
                        new Refusal(
                                Verdict.NOT_ENOUGH_EVIDENCE,
                                "not enough evidence to judge: " + why + "; not trained"));
    }
}
