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

    /** Whether the gate split holds any ground truth to score against. */
    boolean hasGroundTruth();
}
