package io.streamtune.contracts;

/**
 * Where a model version came from.
 *
 * @param base what training started from: a zoo network, a file, {@code vN} (continued from a
 *     version) or the synthetic-shapes backbone
 * @param datasetFingerprint SHA-256 over the sorted sample ids and labels the run saw (all splits)
 * @param trainSamples samples trained on
 * @param selectionSamples samples that chose the epoch (early stopping)
 * @param gateSamples samples only the gate saw
 * @param settingsFingerprint SHA-256 over the training settings and the base
 * @param drift what the version's predictions look like on its gate split, for drift detection;
 *     null when not recorded
 */
public record Lineage(
        String base,
        String datasetFingerprint,
        int trainSamples,
        int selectionSamples,
        int gateSamples,
        String settingsFingerprint,
        DriftReference drift) {

    /** Lineage without a drift reference. */
    public Lineage(
            String base,
            String datasetFingerprint,
            int trainSamples,
            int selectionSamples,
            int gateSamples,
            String settingsFingerprint) {
        this(
                base,
                datasetFingerprint,
                trainSamples,
                selectionSamples,
                gateSamples,
                settingsFingerprint,
                null);
    }

    /** The same lineage with {@code drift}. */
    public Lineage withDrift(DriftReference drift) {
        return new Lineage(
                base,
                datasetFingerprint,
                trainSamples,
                selectionSamples,
                gateSamples,
                settingsFingerprint,
                drift);
    }

    public Lineage {
        Names.requireText(base, "base", 1024);
        Names.requireText(datasetFingerprint, "datasetFingerprint", 128);
        Names.requireText(settingsFingerprint, "settingsFingerprint", 128);
    }
}
