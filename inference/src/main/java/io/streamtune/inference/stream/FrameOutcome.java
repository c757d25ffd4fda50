package io.streamtune.inference.stream;

import io.streamtune.contracts.Task;
import java.util.Objects;

/**
 * What became of one frame of a batch: a prediction to produce, or a reason to park it on the DLQ.
 */
public sealed interface FrameOutcome {

    Frame frame();

    /**
     * A prediction.
     *
     * @param task which predictions topic it goes to
     * @param value a {@code DetectionsEmitted}, {@code SegmentationsEmitted} or {@code
     *     ClassificationsEmitted}
     * @param novelty share of the frame's embedding dimensions outside the central bins of its
     *     version's reference ({@link io.streamtune.contracts.DriftReference.Embedding#novelty}),
     *     NaN when the model or version has none
     */
    record Predicted(Frame frame, Task task, Object value, double novelty) implements FrameOutcome {

        /** A prediction without a novelty measure. */
        public Predicted(Frame frame, Task task, Object value) {
            this(frame, task, value, Double.NaN);
        }

        public Predicted {
            Objects.requireNonNull(frame, "frame");
            Objects.requireNonNull(task, "task");
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * A frame that cannot be predicted.
     *
     * @param reason DLQ reason, low-cardinality
     * @param detail what was wrong, for people
     */
    record Rejected(Frame frame, String reason, String detail) implements FrameOutcome {
        public Rejected {
            Objects.requireNonNull(frame, "frame");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
