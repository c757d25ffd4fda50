package io.streamtune.trainer.gate;

/**
 * Classification results: whether each gate image's top-1 prediction was right. Accuracy is their
 * mean; two models' correctness on the same images gives McNemar's discordant pairs.
 */
public final class Correctness implements SampleScores {

    private final boolean[] correct;

    public Correctness(boolean[] correct) {
        this.correct = correct.clone();
    }

    /** Whether sample {@code i} was classified right. */
    public boolean correct(int i) {
        return correct[i];
    }

    @Override
    public int size() {
        return correct.length;
    }

    @Override
    public double metric(int[] sample) {
        int n = sample == null ? correct.length : sample.length;
        if (n == 0) {
            return Double.NaN;
        }
        int right = 0;
        for (int k = 0; k < n; k++) {
            right += correct[sample == null ? k : sample[k]] ? 1 : 0;
        }
        return (double) right / n;
    }

    @Override
    public boolean hasGroundTruth() {
        return correct.length > 0;
    }
}
