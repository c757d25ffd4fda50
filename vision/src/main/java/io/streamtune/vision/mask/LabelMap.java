package io.streamtune.vision.mask;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A per-pixel class map, row-major ({@code labels[y * width + x]}). The array is shared, not
 * copied; treat it as read-only.
 */
public record LabelMap(int width, int height, int[] labels) {

    public LabelMap {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("size must be positive: " + width + "x" + height);
        }
        Objects.requireNonNull(labels, "labels");
        if (labels.length != (long) width * height) {
            throw new IllegalArgumentException(
                    "expected " + (long) width * height + " labels, got " + labels.length);
        }
    }

    public int get(int x, int y) {
        return labels[y * width + x];
    }

    /** Pixel count per class present, by ascending class id. */
    public Map<Integer, Long> areas() {
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (int label : labels) {
            min = Math.min(min, label);
            max = Math.max(max, label);
        }
        Map<Integer, Long> areas = new TreeMap<>();
        if (min >= 0 && max < 65_536) {
            long[] counts = new long[max + 1];
            for (int label : labels) {
                counts[label]++;
            }
            for (int c = 0; c <= max; c++) {
                if (counts[c] > 0) {
                    areas.put(c, counts[c]);
                }
            }
            return areas;
        }
        for (int label : labels) {
            areas.merge(label, 1L, Long::sum);
        }
        return areas;
    }

    /** The pixels of one class as COCO RLE. */
    public Rle rle(int classId) {
        return Rle.encode(labels, width, height, classId);
    }

    /**
     * One COCO RLE per class present, by ascending class id, built in a single column-major pass:
     * where the label changes from a to b, a's mask ends a run and b's starts one.
     */
    public Map<Integer, Rle> rles() {
        Map<Integer, int[]> changes = new HashMap<>();
        Map<Integer, Integer> sizes = new HashMap<>();
        int total = width * height;
        int position = 0;
        boolean first = true;
        int previous = 0;
        for (int x = 0; x < width; x++) {
            for (int y = 0, i = x; y < height; y++, i += width, position++) {
                int label = labels[i];
                if (first || label != previous) {
                    if (!first) {
                        addChange(changes, sizes, previous, position);
                    }
                    addChange(changes, sizes, label, position);
                    previous = label;
                    first = false;
                }
            }
        }
        Map<Integer, Rle> out = new TreeMap<>();
        for (Map.Entry<Integer, int[]> e : changes.entrySet()) {
            int[] at = e.getValue();
            int n = sizes.get(e.getKey());
            // Changes alternate foreground start / end; a mask still on at the end closes at total.
            int[] counts = new int[n + 1];
            int last = 0;
            for (int k = 0; k < n; k++) {
                counts[k] = at[k] - last;
                last = at[k];
            }
            counts[n] = total - last;
            out.put(e.getKey(), new Rle(height, width, counts));
        }
        return out;
    }

    private static void addChange(
            Map<Integer, int[]> changes, Map<Integer, Integer> sizes, int label, int position) {
        int[] at = changes.computeIfAbsent(label, k -> new int[8]);
        int n = sizes.getOrDefault(label, 0);
        if (n == at.length) {
            at = java.util.Arrays.copyOf(at, n * 2);
            changes.put(label, at);
        }
        at[n] = position;
        sizes.put(label, n + 1);
    }
}
