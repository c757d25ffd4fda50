package io.streamtune.vision.decode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** Class-aware greedy non-maximum suppression over plain arrays. */
public final class Nms {

    private Nms() {}

    /**
     * Indices of the kept candidates, best score first.
     *
     * <p>Candidates are visited by descending score (ties by ascending index, so results are
     * deterministic); a candidate is suppressed when its IoU with an already kept candidate of the same
     * class is greater than {@code iouThreshold}. Boxes of different classes never suppress each other.
     * Zero-area boxes are dropped: they cannot be real objects, and their IoU with anything is 0, so
     * they would otherwise survive every suppression.
     */
    public static List<Integer> suppress(List<Box> boxes, float[] scores, int[] classIds, float iouThreshold, int maxKeep) {
        int n = boxes.size();
        if (scores.length != n || classIds.length != n) {
            throw new IllegalArgumentException("boxes, scores and classIds differ in length");
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingInt(i -> i));
        List<Integer> kept = new ArrayList<>();
        for (int idx : order) {
            if (kept.size() >= maxKeep) {
                break;
            }
            Box candidate = boxes.get(idx);
            if (!(candidate.area() > 0)) {
                continue;
            }
            boolean suppressed = false;
            for (int k : kept) {
                if (classIds[k] == classIds[idx] && boxes.get(k).iou(candidate) > iouThreshold) {
                    suppressed = true;
                    break;
                }
            }
            if (!suppressed) {
                kept.add(idx);
            }
        }
        return kept;
    }
}
