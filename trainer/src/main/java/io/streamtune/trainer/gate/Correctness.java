package io.streamtune.trainer.gate;

/**
 * Classification results: whether each gate image's top-1 prediction was right. Accuracy is their
 * mean; two models' correctness on the same images gives McNemar's discordant pairs.
 */
public final class Correctness implements SampleScores {

    private final boolean[] correct;
    private final int[] truth;

    /** Correctness without the true classes: no per-class recall. */
    public Correctness(boolean[] correct) {
        this.correct = correct.clone();
        this.truth = null;
    }

    /** {@code truth}: each gate image's true class id, for per-class recall. */
    public Correctness(boolean[] correct, int[] truth) {
        if (truth.length != correct.length) {
            throw new IllegalArgumentException(
                    correct.length + " results but " + truth.length + " true classes");
        }
        this.correct = correct.clone();
        this.truth = truth.clone();
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

    /** Recall per true class over the resample. */
    @Override
    public java.util.Map<Integer, Double> perClass(int[] sample) {
        if (truth == null) {
            return java.util.Map.of();
        }
        java.util.Map<Integer, int[]> counts = new java.util.TreeMap<>();
        int n = sample == null ? correct.length : sample.length;
        for (int k = 0; k < n; k++) {
            int i = sample == null ? k : sample[k];
            int[] c = counts.computeIfAbsent(truth[i], t -> new int[2]);
            c[0] += correct[i] ? 1 : 0;
            c[1]++;
        }
        java.util.Map<Integer, Double> out = new java.util.TreeMap<>();
        counts.forEach((cls, c) -> out.put(cls, (double) c[0] / c[1]));
        return out;
    }

    @Override
    public boolean hasGroundTruth() {
        return correct.length > 0;
    }
}
