package io.streamtune.vision.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * Accumulates classification results and reports accuracy, top-5, per-class P/R/F1 and the
 * confusion matrix; not thread-safe.
 */
public final class ClassificationEvaluator {

    private final int numClasses;
    private final long[][] confusion;
    private long top5Hits;
    private long samples;

    public ClassificationEvaluator(int numClasses) {
        if (numClasses <= 0) {
            throw new IllegalArgumentException("numClasses must be positive: " + numClasses);
        }
        this.numClasses = numClasses;
        this.confusion = new long[numClasses][numClasses];
    }

    /**
     * Adds one sample from its per-class scores (logits or probabilities: only the order matters).
     * The prediction is the best score, ties to the lower id; top-5 counts a hit when fewer than
     * five classes score strictly higher than the true class.
     */
    public void add(int actual, float[] scores) {
        checkClass(actual);
        if (scores.length != numClasses) {
            throw new IllegalArgumentException(
                    "expected " + numClasses + " scores, got " + scores.length);
        }
        int best = 0;
        for (int c = 1; c < numClasses; c++) {
            if (scores[c] > scores[best]) {
                best = c;
            }
        }
        int higher = 0;
        for (int c = 0; c < numClasses; c++) {
            if (scores[c] > scores[actual] || (scores[c] == scores[actual] && c < actual)) {
                higher++;
            }
        }
        confusion[actual][best]++;
        if (higher < 5) {
            top5Hits++;
        }
        samples++;
    }

    private void checkClass(int c) {
        if (c < 0 || c >= numClasses) {
            throw new IllegalArgumentException("class " + c + " outside 0.." + (numClasses - 1));
        }
    }

    public ClassificationReport report() {
        long correct = 0;
        List<ClassStats> stats = new ArrayList<>();
        double f1Sum = 0;
        int f1Count = 0;
        for (int c = 0; c < numClasses; c++) {
            correct += confusion[c][c];
            long support = 0;
            long predicted = 0;
            for (int k = 0; k < numClasses; k++) {
                support += confusion[c][k];
                predicted += confusion[k][c];
            }
            double precision = predicted == 0 ? 0 : (double) confusion[c][c] / predicted;
            double recall = support == 0 ? 0 : (double) confusion[c][c] / support;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            stats.add(new ClassStats(c, precision, recall, f1, support));
            if (support > 0 || predicted > 0) {
                f1Sum += f1;
                f1Count++;
            }
        }
        double accuracy = samples == 0 ? 0 : (double) correct / samples;
        double top5 = samples == 0 ? 0 : (double) top5Hits / samples;
        return new ClassificationReport(
                accuracy, top5, f1Count == 0 ? 0 : f1Sum / f1Count, stats, confusion, samples);
    }
}
