package io.streamtune.vision.metrics;

import java.util.List;

/**
 * Semantic segmentation metrics from a pixel confusion matrix (ignored pixels left out).
 *
 * @param meanIoU mean of the per-class IoU over classes present in ground truth or prediction
 * @param pixelAccuracy share of counted pixels labelled correctly
 * @param iouPerClass IoU by class id, {@code NaN} for a class absent from both
 * @param pixels pixels counted
 */
public record SegmentationReport(
        double meanIoU, double pixelAccuracy, List<Double> iouPerClass, long pixels) {

    public SegmentationReport {
        iouPerClass = List.copyOf(iouPerClass);
    }
}
