package io.streamtune.vision.metrics;

import java.util.List;

/**
 * Classification metrics over a set of samples.
 *
 * @param accuracy share of samples whose best-scoring class is the true one
 * @param top5Accuracy share of samples whose true class is among the five best-scoring ones
 * @param macroF1 unweighted mean of the per-class F1 over classes with support or predictions
 * @param perClass statistics by class id
 * @param confusion {@code confusion[actual][predicted]} sample counts (a copy)
 * @param samples number of samples
 */
public record ClassificationReport(
        double accuracy,
        double top5Accuracy,
        double macroF1,
        List<ClassStats> perClass,
        long[][] confusion,
        long samples) {

    public ClassificationReport {
        perClass = List.copyOf(perClass);
        confusion = copy(confusion);
    }

    @Override
    public long[][] confusion() {
        return copy(confusion);
    }

    private static long[][] copy(long[][] m) {
        long[][] out = new long[m.length][];
        for (int i = 0; i < m.length; i++) {
            out[i] = m[i].clone();
        }
        return out;
    }
}
