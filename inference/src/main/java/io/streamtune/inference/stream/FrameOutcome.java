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
     */
    record Predicted(Frame frame, Task task, Object value) implements FrameOutcome {
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
