package io.streamtune.vision.mask;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A per-pixel class map, row-major ({@code labels[y * width + x]}). The array is shared, not copied;
 * treat it as read-only.
 */
public record LabelMap(int width, int height, int[] labels) {

    public LabelMap {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("size must be positive: " + width + "x" + height);
        }
        Objects.requireNonNull(labels, "labels");
        if (labels.length != (long) width * height) {
            throw new IllegalArgumentException("expected " + (long) width * height + " labels, got " + labels.length);
        }
    }

    public int get(int x, int y) {
        return labels[y * width + x];
    }

    /** Pixel count per class present, by ascending class id. */
    public Map<Integer, Long> areas() {
        Map<Integer, Long> areas = new TreeMap<>();
        for (int label : labels) {
            areas.merge(label, 1L, Long::sum);
        }
        return areas;
    }

    /** The pixels of one class as COCO RLE. */
    public Rle rle(int classId) {
        return Rle.encode(labels, width, height, classId);
    }
}
