package io.streamtune.contracts;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A new model version passed its gate and is now the production model. The value of the compacted
 * models topic, keyed by model name, so the latest record is the model in production.
 *
 * @param model model name
 * @param version version number, 1-based
 * @param parentVersion version it was fine-tuned from, null for a first model
 * @param task task
 * @param classes class names, index = class id
 * @param metricName name of the gating metric (accuracy, map50_95, miou)
 * @param metricValue its value on the validation set
 * @param metrics all validation metrics
 * @param artifact where to fetch the ONNX file
 * @param datasetOffsets labelled-images partition -> offset the training data reached
 * @param publishedAt when the version was first published
 * @param gate the gate's numbers, null for versions published before the gate recorded them
 * @param lineage base, dataset and settings fingerprints, split sizes; null when unknown
 * @param promotion who or what made this record's version production (a rollback re-announces an
 *     older version with a new promotion); null for older records
 * @param signature HMAC-SHA256 of the record without it, under {@code models.signing.key}; null
 *     when unsigned
 */
public record ModelPublished(
        String model,
        int version,
        Integer parentVersion,
        Task task,
        List<String> classes,
        String metricName,
        double metricValue,
        Map<String, Double> metrics,
        ArtifactRef artifact,
        Map<Integer, Long> datasetOffsets,
        Instant publishedAt,
        GateEvidence gate,
        Lineage lineage,
        Promotion promotion,
        String signature) {

    /** A record without gate evidence, lineage or promotion (tests, older producers). */
    public ModelPublished(
            String model,
            int version,
            Integer parentVersion,
            Task task,
            List<String> classes,
            String metricName,
            double metricValue,
            Map<String, Double> metrics,
            ArtifactRef artifact,
            Map<Integer, Long> datasetOffsets,
            Instant publishedAt) {
        this(
                model,
                version,
                parentVersion,
                task,
                classes,
                metricName,
                metricValue,
                metrics,
                artifact,
                datasetOffsets,
                publishedAt,
                null,
                null,
                null,
                null);
    }

    /**
     * Version {@code version} of {@code model}, fine-tuned from the version before it (none for
     * version 1), with {@code metricName} its only recorded metric and no dataset offsets: what a
     * producer other than the trainer (a hand-published model, an import) announces.
     */
    public static ModelPublished of(
            String model,
            int version,
            Task task,
            List<String> classes,
            String metricName,
            double metricValue,
            ArtifactRef artifact,
            Instant publishedAt) {
        return new ModelPublished(
                model,
                version,
                version > 1 ? version - 1 : null,
                task,
                classes,
                metricName,
                metricValue,
                Map.of(metricName, metricValue),
                artifact,
                Map.of(),
                publishedAt);
    }

    /** A record with gate evidence, lineage and promotion, unsigned. */
    public ModelPublished(
            String model,
            int version,
            Integer parentVersion,
            Task task,
            List<String> classes,
            String metricName,
            double metricValue,
            Map<String, Double> metrics,
            ArtifactRef artifact,
            Map<Integer, Long> datasetOffsets,
            Instant publishedAt,
            GateEvidence gate,
            Lineage lineage,
            Promotion promotion) {
        this(
                model,
                version,
                parentVersion,
                task,
                classes,
                metricName,
                metricValue,
                metrics,
                artifact,
                datasetOffsets,
                publishedAt,
                gate,
                lineage,
                promotion,
                null);
    }

    /** The same record with {@code signature} (null: unsigned). */
    public ModelPublished withSignature(String signature) {
        return with(promotion, signature);
    }

    /**
     * The same version announced again, promoted by {@code promotion} (a rollback, a promotion
     * after shadow); unsigned, since the content changed.
     */
    public ModelPublished withPromotion(Promotion promotion) {
        return with(promotion, null);
    }

    private ModelPublished with(Promotion promotion, String signature) {
        return new ModelPublished(
                model,
                version,
                parentVersion,
                task,
                classes,
                metricName,
                metricValue,
                metrics,
                artifact,
                datasetOffsets,
                publishedAt,
                gate,
                lineage,
                promotion,
                signature);
    }

    /** Whether this record re-announces an older version as a rollback. */
    public boolean isRollback() {
        return promotion != null && promotion.isRollback();
    }

    public ModelPublished {
        Names.requireModelName(model);
        if (version < 1) {
            throw new IllegalArgumentException("version must be >= 1, was " + version);
        }
        if (parentVersion != null && (parentVersion < 1 || parentVersion >= version)) {
            throw new IllegalArgumentException("parentVersion must be in 1.." + (version - 1));
        }
        Objects.requireNonNull(task, "task");
        classes = List.copyOf(Objects.requireNonNull(classes, "classes"));
        if (classes.isEmpty() && task != Task.STYLIZATION) {
            throw new IllegalArgumentException("classes must not be empty");
        }
        Names.requireText(metricName, "metricName", 64);
        if (!Double.isFinite(metricValue)) {
            throw new IllegalArgumentException("metricValue must be finite");
        }
        metrics = Map.copyOf(Objects.requireNonNull(metrics, "metrics"));
        Objects.requireNonNull(artifact, "artifact");
        datasetOffsets = Map.copyOf(Objects.requireNonNull(datasetOffsets, "datasetOffsets"));
        Objects.requireNonNull(publishedAt, "publishedAt");
    }
}
