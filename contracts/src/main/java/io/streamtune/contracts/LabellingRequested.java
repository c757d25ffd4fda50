package io.streamtune.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A production frame inference picked for a person to label, on {@code labelling.requests}: the
 * frame as it arrived, what the serving model predicted (the pre-annotation, in the task's
 * predictions format) and why it was picked. Key: {@code <model>/<frameId>} (the topic is
 * compacted, so a frame requested twice — a batch redelivered after a crash — stays one request).
 *
 * @param frame the frame and the model version that predicted it
 * @param task the model's task
 * @param image the frame's encoded bytes as consumed (base64 in JSON)
 * @param reason why it was picked: {@code low_confidence}, {@code small_margin}, {@code rare_class}
 *     or {@code random}
 * @param score the score that decided it (top score, top-two margin), NaN for the others
 * @param predictions the prediction as emitted on the task's predictions topic
 * @param requestedAt when
 */
public record LabellingRequested(
        FrameRef frame,
        Task task,
        byte[] image,
        String reason,
        double score,
        JsonNode predictions,
        Instant requestedAt) {

    public LabellingRequested {
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(reason, "reason");
        if (!reason.matches("[a-z_]{1,32}")) {
            throw new IllegalArgumentException("reason must be 1-32 of [a-z_], was " + reason);
        }
        Objects.requireNonNull(predictions, "predictions");
        Objects.requireNonNull(requestedAt, "requestedAt");
    }

    /** The record key: model and frame id. */
    public String key() {
        return frame.model() + "/" + frame.frameId();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabellingRequested r
                && frame.equals(r.frame)
                && task == r.task
                && Arrays.equals(image, r.image)
                && reason.equals(r.reason)
                && Double.compare(score, r.score) == 0
                && predictions.equals(r.predictions)
                && requestedAt.equals(r.requestedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(frame, task, Arrays.hashCode(image), reason, score, requestedAt);
    }

    @Override
    public String toString() {
        return "LabellingRequested[" + key() + ", " + reason + ", " + image.length + " bytes]";
    }
}
