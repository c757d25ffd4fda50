package io.streamtune.ingest.trigger;

import java.util.List;
import java.util.Objects;

/**
 * A change to one model's dataset, or a manual request, on the repartition topic keyed by model.
 *
 * @param kind sample change or manual request
 * @param added classes to count up
 * @param removed classes to count down
 * @param totalDelta change of the sample count: +1 new, 0 relabel, -1 deleted
 * @param newData whether this is data the model has not been trained on (new or relabelled)
 * @param requestedBy who asked, for manual requests
 * @param driftWindows drift events: drifted windows in a row (0: the last window did not drift)
 */
public record ModelEvent(
        Kind kind,
        List<String> added,
        List<String> removed,
        int totalDelta,
        boolean newData,
        String requestedBy,
        int driftWindows) {

    /** Event kinds. */
    public enum Kind {
        SAMPLE,
        MANUAL,
        DRIFT
    }

    public ModelEvent {
        Objects.requireNonNull(kind, "kind");
        added = List.copyOf(added);
        removed = List.copyOf(removed);
    }

    static ModelEvent sample(
            List<String> added, List<String> removed, int totalDelta, boolean newData) {
        return new ModelEvent(Kind.SAMPLE, added, removed, totalDelta, newData, null, 0);
    }

    static ModelEvent manual(String requestedBy) {
        return new ModelEvent(Kind.MANUAL, List.of(), List.of(), 0, false, requestedBy, 0);
    }

    static ModelEvent drift(int driftWindows) {
        return new ModelEvent(Kind.DRIFT, List.of(), List.of(), 0, false, null, driftWindows);
    }
}
