package io.streamtune.ingest.bulk;

/** Which label kind to build from formats that can carry several (COCO, YOLO). */
public enum TaskHint {
    /** Segmentation when the dataset has polygons or masks, else detection. */
    AUTO,
    /** Boxes (polygons become their bounding boxes). */
    DETECT,
    /**
     * Semantic masks: class {@code i} of the dataset is mask value {@code i + 1}, 0 is background.
     */
    SEGMENT
}
