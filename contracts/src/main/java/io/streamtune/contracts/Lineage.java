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
 */
public record Lineage(
        String base,
        String datasetFingerprint,
        int trainSamples,
        int selectionSamples,
        int gateSamples,
        String settingsFingerprint) {

    public Lineage {
        Names.requireText(base, "base", 1024);
        Names.requireText(datasetFingerprint, "datasetFingerprint", 128);
        Names.requireText(settingsFingerprint, "settingsFingerprint", 128);
    }
}
