package io.streamtune.trainer.gate;

/**
 * One model's results on the gate split, kept per sample so that its metric can be recomputed on
 * any resample of the samples (the paired bootstrap resamples candidate and production alike).
 */
public interface SampleScores {

    /** Number of gate samples. */
    int size();

    /**
     * The metric over {@code sample} (indices into the gate split, repeats allowed), or over every
     * sample when null; NaN when the resample has nothing to score (no ground truth in it).
     */
    double metric(int[] sample);

    /**
     * The task's per-class metric over {@code sample} (as {@link #metric}), keyed by class id, for
     * the classes that have ground truth in it: recall (classification), IoU (segmentation), AP
     * over IoU 0.50:0.95 (detection). Empty when the scores do not know classes.
     */
    default java.util.Map<Integer, Double> perClass(int[] sample) {
        return java.util.Map.of();
    }

    /** Whether the gate split holds any ground truth to score against. */
    boolean hasGroundTruth();
}
