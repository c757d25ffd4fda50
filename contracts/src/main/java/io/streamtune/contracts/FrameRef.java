package io.streamtune.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
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
 * @param embedding the model's embedding summary of the frame (its {@link
 *     ModelMetadataKeys#EMBEDDING_OUTPUT} output), absent when the model has none
 */
public record FrameRef(
        String frameId,
        String cameraId,
        Instant capturedAt,
        int width,
        int height,
        String model,
        int modelVersion,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<Float> embedding) {

    /** A frame reference without an embedding. */
    public FrameRef(
            String frameId,
            String cameraId,
            Instant capturedAt,
            int width,
            int height,
            String model,
            int modelVersion) {
        this(frameId, cameraId, capturedAt, width, height, model, modelVersion, null);
    }

    public FrameRef {
        if (embedding != null) {
            if (embedding.isEmpty() || embedding.size() > DriftReference.Embedding.MAX_DIMENSIONS) {
                throw new IllegalArgumentException(
                        "embedding needs 1 to "
                                + DriftReference.Embedding.MAX_DIMENSIONS
                                + " values, had "
                                + embedding.size());
            }
            embedding = List.copyOf(embedding);
        }
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
