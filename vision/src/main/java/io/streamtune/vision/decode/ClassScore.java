package io.streamtune.vision.decode;

import java.util.Objects;

/** One entry of a classification result: class id, label and probability. */
public record ClassScore(int classId, String label, float score) {

    public ClassScore {
        if (classId < 0) {
            throw new IllegalArgumentException("classId must not be negative: " + classId);
        }
        Objects.requireNonNull(label, "label");
        if (!Float.isFinite(score)) {
            throw new IllegalArgumentException("score must be finite: " + score);
        }
    }
}
