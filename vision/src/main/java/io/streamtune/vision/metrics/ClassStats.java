package io.streamtune.vision.metrics;

/**
 * Per-class precision, recall and F1; each is 0 when its denominator is 0 (as scikit-learn's {@code
 * zero_division=0}).
 *
 * @param support number of samples whose true class is this one
 */
public record ClassStats(int classId, double precision, double recall, double f1, long support) {

    public ClassStats {
        if (classId < 0) {
            throw new IllegalArgumentException("classId must not be negative: " + classId);
        }
        if (support < 0) {
            throw new IllegalArgumentException("support must not be negative: " + support);
        }
    }
}
