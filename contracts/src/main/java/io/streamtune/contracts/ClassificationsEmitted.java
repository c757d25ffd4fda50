package io.streamtune.contracts;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The top classes of one frame, keyed by camera id on the classifications topic.
 *
 * @param frame the frame and the model version
 * @param top classes with probabilities, most likely first
 * @param emittedAt when the prediction was produced
 */
public record ClassificationsEmitted(FrameRef frame, List<ClassScore> top, Instant emittedAt) {

    /** A class and its probability. */
    public record ClassScore(String label, int classId, double probability) {
        public ClassScore {
            Objects.requireNonNull(label, "label");
            if (classId < 0 || !(probability >= 0 && probability <= 1)) {
                throw new IllegalArgumentException("need classId >= 0 and probability in [0,1]");
            }
        }
    }

    public ClassificationsEmitted {
        Objects.requireNonNull(frame, "frame");
        top = List.copyOf(Objects.requireNonNull(top, "top"));
        Objects.requireNonNull(emittedAt, "emittedAt");
    }
}
