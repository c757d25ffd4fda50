package io.streamtune.vision.metrics;

import io.streamtune.contracts.Box;
import io.streamtune.vision.decode.Detection;
import java.util.Objects;

/** A predicted object of one image: class id, confidence score and box. */
public record PredictedBox(int classId, double score, Box box) {

    public PredictedBox {
        if (classId < 0) {
            throw new IllegalArgumentException("classId must not be negative: " + classId);
        }
        if (!Double.isFinite(score)) {
            throw new IllegalArgumentException("score must be finite: " + score);
        }
        Objects.requireNonNull(box, "box");
    }

    public static PredictedBox of(Detection d) {
        return new PredictedBox(d.classId(), d.score(), d.box());
    }
}
