package io.streamtune.contracts;

import java.time.Instant;
import java.util.Objects;

/**
 * Which frame a prediction is about and which model made it.
 *
 * @param frameId frame id (header, or topic-partition-offset)
 * @param cameraId camera id (the frame's key), may be empty
 * @param capturedAt capture time
 * @param width source image width
 * @param height source image height
 * @param model model name
 * @param modelVersion model version that made the prediction
 */
public record FrameRef(
        String frameId,
        String cameraId,
        Instant capturedAt,
        int width,
        int height,
        String model,
        int modelVersion) {

    public FrameRef {
        Names.requireText(frameId, "frameId", 512);
        Objects.requireNonNull(cameraId, "cameraId");
        Objects.requireNonNull(capturedAt, "capturedAt");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("width and height must be positive");
        }
        Names.requireModelName(model);
        if (modelVersion < 1) {
            throw new IllegalArgumentException("modelVersion must be >= 1");
        }
    }
}
