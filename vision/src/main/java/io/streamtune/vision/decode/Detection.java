package io.streamtune.vision.decode;

import io.streamtune.contracts.Box;
import java.util.Objects;

/** One detected object: class id and label, confidence score, and box in source-image pixels. */
public record Detection(int classId, String label, float score, Box box) {

    public Detection {
        if (classId < 0) {
            throw new IllegalArgumentException("classId must not be negative: " + classId);
        }
        Objects.requireNonNull(label, "label");
        if (!(score >= 0) || score > 1.0001f) {
            throw new IllegalArgumentException("score must be in 0..1: " + score);
        }
        Objects.requireNonNull(box, "box");
    }
}
