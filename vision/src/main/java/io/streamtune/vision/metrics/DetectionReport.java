package io.streamtune.vision.metrics;

import java.util.Map;

/**
 * COCO box metrics. Values are -1 where nothing could be evaluated (no ground truth at all), as
 * pycocotools reports them.
 *
 * @param map mean AP over IoU 0.50:0.05:0.95 and the evaluated classes (COCO "AP")
 * @param map50 mean AP at IoU 0.5 ("AP50")
 * @param map75 mean AP at IoU 0.75 ("AP75")
 * @param apPerClass AP over IoU 0.50:0.95 per evaluated class id (classes with ground truth)
 * @param ap50PerClass AP at IoU 0.5 per evaluated class id
 * @param images number of images evaluated
 */
public record DetectionReport(
        double map,
        double map50,
        double map75,
        Map<Integer, Double> apPerClass,
        Map<Integer, Double> ap50PerClass,
        int images) {

    public DetectionReport {
        apPerClass = Map.copyOf(apPerClass);
        ap50PerClass = Map.copyOf(ap50PerClass);
    }
}
