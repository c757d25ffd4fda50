package io.streamtune.vision.pipeline;

import io.streamtune.vision.decode.DetectionOptions;
import java.util.Objects;

/**
 * Decoding settings of a {@link Predictor}.
 *
 * @param detection score/IoU thresholds and maximum detections for detection and instance
 *     segmentation
 * @param topK classes reported per image for classification
 * @param maskThreshold probability above which an instance-mask pixel is foreground
 */
public record PredictorOptions(DetectionOptions detection, int topK, float maskThreshold) {

    /** Ultralytics' prediction defaults, top-5, mask threshold 0.5. */
    public static final PredictorOptions DEFAULTS =
            new PredictorOptions(DetectionOptions.DEFAULTS, 5, 0.5f);

    /** For COCO-style evaluation: every candidate above 0.001, at most 100 per image. */
    public static final PredictorOptions EVALUATION =
            new PredictorOptions(DetectionOptions.EVALUATION, 5, 0.5f);

    public PredictorOptions {
        Objects.requireNonNull(detection, "detection");
        if (topK <= 0) {
            throw new IllegalArgumentException("topK must be positive: " + topK);
        }
        if (!(maskThreshold > 0 && maskThreshold < 1)) {
            throw new IllegalArgumentException("maskThreshold must be in (0, 1): " + maskThreshold);
        }
    }
}
