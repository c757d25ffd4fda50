package io.streamtune.ingest.trigger;

import io.streamtune.contracts.TrainingTriggered;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The dataset of one model as the trigger topology sees it; the value of the {@code models} store
 * and the body of {@code GET /v1/models/{model}/stats}.
 *
 * @param model model name
 * @param totalSamples samples in the dataset
 * @param pendingSamples new or relabelled samples since the last trigger
 * @param classCounts samples per class (a sample counts once under each class present in its label)
 * @param triggers triggers emitted so far; the next trigger's id ends with this + 1
 * @param pendingSince when the oldest pending sample arrived (wall clock), null when none is
 *     pending
 * @param lastTriggerAt when the last trigger was emitted, null if never
 * @param lastTriggerId id of the last trigger, null if never
 * @param lastTriggerReason why the last trigger was emitted, null if never
 */
public record ModelStats(
        String model,
        long totalSamples,
        long pendingSamples,
        Map<String, Long> classCounts,
        long triggers,
        Instant pendingSince,
        Instant lastTriggerAt,
        String lastTriggerId,
        TrainingTriggered.Reason lastTriggerReason) {

    public ModelStats {
        Objects.requireNonNull(model, "model");
        classCounts = Map.copyOf(classCounts);
    }

    /** A model nothing is known about yet. */
    public static ModelStats empty(String model) {
        return new ModelStats(model, 0, 0, Map.of(), 0, null, null, null, null);
    }

    /** Class counts in name order. */
    public Map<String, Long> sortedClassCounts() {
        return new TreeMap<>(classCounts);
    }
}
