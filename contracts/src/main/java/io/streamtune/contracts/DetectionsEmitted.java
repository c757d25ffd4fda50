package io.streamtune.contracts;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Objects found in one frame, keyed by camera id on the detections topic.
 *
 * @param frame the frame and the model version
 * @param detections objects, highest score first
 * @param emittedAt when the prediction was produced
 */
public record DetectionsEmitted(FrameRef frame, List<Detection> detections, Instant emittedAt) {

    /** One detected object, box in source-image pixels. */
    public record Detection(String label, int classId, double score, Box box) {
        public Detection {
            Objects.requireNonNull(label, "label");
            if (classId < 0) {
                throw new IllegalArgumentException("classId must be >= 0");
            }
            if (!(score >= 0 && score <= 1)) {
                throw new IllegalArgumentException("score must be in [0,1], was " + score);
            }
            Objects.requireNonNull(box, "box");
        }
    }

    public DetectionsEmitted {
        Objects.requireNonNull(frame, "frame");
        detections = List.copyOf(Objects.requireNonNull(detections, "detections"));
        Objects.requireNonNull(emittedAt, "emittedAt");
    }
}
