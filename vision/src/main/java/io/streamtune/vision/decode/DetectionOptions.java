package io.streamtune.vision.decode;

/**
 * Thresholds for turning dense detection outputs into a short list.
 *
 * @param scoreThreshold candidates scoring below this are dropped before NMS
 * @param iouThreshold a candidate overlapping a better one of the same class by more than this is
 *     suppressed
 * @param maxDetections at most this many detections per image, best first
 */
public record DetectionOptions(float scoreThreshold, float iouThreshold, int maxDetections) {

    /** Ultralytics' prediction defaults: score 0.25, IoU 0.7, 300 detections. */
    public static final DetectionOptions DEFAULTS = new DetectionOptions(0.25f, 0.7f, 300);

    /** What COCO evaluation wants: every candidate above 0.001, IoU 0.7, 100 detections. */
    public static final DetectionOptions EVALUATION = new DetectionOptions(0.001f, 0.7f, 100);

    public DetectionOptions {
        if (!(scoreThreshold >= 0 && scoreThreshold <= 1)) {
            throw new IllegalArgumentException("scoreThreshold must be in 0..1: " + scoreThreshold);
        }
        if (!(iouThreshold >= 0 && iouThreshold <= 1)) {
            throw new IllegalArgumentException("iouThreshold must be in 0..1: " + iouThreshold);
        }
        if (maxDetections <= 0) {
            throw new IllegalArgumentException("maxDetections must be positive: " + maxDetections);
        }
    }
}
