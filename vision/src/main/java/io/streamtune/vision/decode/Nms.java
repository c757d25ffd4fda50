package io.streamtune.vision.decode;

import io.streamtune.contracts.Box;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Class-aware greedy non-maximum suppression over plain arrays. */
public final class Nms {

    private Nms() {}

    /**
     * Indices of the kept candidates, best score first.
     *
     * <p>Candidates are visited by descending score (ties by ascending index, so results are
     * deterministic); a candidate is suppressed when its IoU with an already kept candidate of the
     * same class is greater than {@code iouThreshold}. Boxes of different classes never suppress
     * each other. Zero-area boxes are dropped: they cannot be real objects, and their IoU with
     * anything is 0, so they would otherwise survive every suppression. Stops once {@code maxKeep}
     * are kept.
     */
    public static List<Integer> suppress(
            List<Box> boxes, float[] scores, int[] classIds, float iouThreshold, int maxKeep) {
        int n = boxes.size();
        if (scores.length != n || classIds.length != n) {
            throw new IllegalArgumentException("boxes, scores and classIds differ in length");
        }
        double[] x1 = new double[n];
        double[] y1 = new double[n];
        double[] x2 = new double[n];
        double[] y2 = new double[n];
        for (int i = 0; i < n; i++) {
            Box b = boxes.get(i);
            x1[i] = b.x();
            y1[i] = b.y();
            x2[i] = b.x2();
            y2[i] = b.y2();
        }
        int[] kept = suppress(x1, y1, x2, y2, scores, classIds, n, iouThreshold, maxKeep);
        List<Integer> out = new ArrayList<>(kept.length);
        for (int k : kept) {
            out.add(k);
        }
        return out;
    }

    /**
     * The array form of {@link #suppress(List, float[], int[], float, int)} over the first {@code
     * n} candidates.
     */
    static int[] suppress(
            double[] x1,
            double[] y1,
            double[] x2,
            double[] y2,
            float[] scores,
            int[] classIds,
            int n,
            float iouThreshold,
            int maxKeep) {
        int[] order = byDescendingScore(scores, n);
        int[] kept = new int[Math.min(n, maxKeep)];
        int count = 0;
        for (int idx : order) {
            if (count >= maxKeep) {
                break;
            }
            double area = (x2[idx] - x1[idx]) * (y2[idx] - y1[idx]);
            if (!(area > 0)) {
                continue;
            }
            boolean suppressed = false;
            for (int j = 0; j < count; j++) {
                int k = kept[j];
                if (classIds[k] != classIds[idx]) {
                    continue;
                }
                double iw = Math.min(x2[k], x2[idx]) - Math.max(x1[k], x1[idx]);
                double ih = Math.min(y2[k], y2[idx]) - Math.max(y1[k], y1[idx]);
                if (iw <= 0 || ih <= 0) {
                    continue;
                }
                double inter = iw * ih;
                double keptArea = (x2[k] - x1[k]) * (y2[k] - y1[k]);
                if (inter / (keptArea + area - inter) > iouThreshold) {
                    suppressed = true;
                    break;
                }
            }
            if (!suppressed) {
                kept[count++] = idx;
            }
        }
        return Arrays.copyOf(kept, count);
    }

    /** Indices 0..n-1 by descending score, ties by ascending index, without boxing. */
    static int[] byDescendingScore(float[] scores, int n) {
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            // Order-preserving int image of the float, flipped for descending, index in the low
            // bits.
            int bits = Float.floatToIntBits(scores[i]);
            int sortable = bits >= 0 ? bits : bits ^ 0x7FFFFFFF;
            keys[i] = ((long) ~sortable << 32) | i;
        }
        Arrays.sort(keys);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = (int) keys[i];
        }
        return order;
    }
}
