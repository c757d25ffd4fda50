package io.streamtune.vision.metrics;

import io.streamtune.contracts.Box;
import java.util.Objects;

/** A labelled object of one image: class id and box in the same pixels as the predictions. */
public record GroundTruthBox(int classId, Box box) {

    public GroundTruthBox {
        if (classId < 0) {
            throw new IllegalArgumentException("classId must not be negative: " + classId);
        }
        Objects.requireNonNull(box, "box");
    }
}
