package io.streamtune.inference.shadow;

import io.streamtune.contracts.Box;
import io.streamtune.contracts.ClassificationsEmitted;
import io.streamtune.contracts.DetectionsEmitted;
import io.streamtune.contracts.SegmentationsEmitted;
import java.util.List;

/**
 * How much two predictions of the same frame agree, and how confident one is: top-1 agreement for
 * classifications, box-match F1 at IoU 0.5 (same label, greedy by score) for detections, the share
 * of equal pixels for segmentations.
 */
public final class Agreement {

    /** IoU at which two boxes are the same object. */
    public static final double IOU = 0.5;

    private Agreement() {}

    /** Agreement in [0, 1] of two emitted predictions of one frame (same task). */
    public static double of(Object production, Object candidate) {
        if (production instanceof ClassificationsEmitted a
                && candidate instanceof ClassificationsEmitted b) {
            if (a.top().isEmpty() || b.top().isEmpty()) {
                return a.top().isEmpty() && b.top().isEmpty() ? 1 : 0;
            }
            return a.top().get(0).label().equals(b.top().get(0).label()) ? 1 : 0;
        }
        if (production instanceof DetectionsEmitted a && candidate instanceof DetectionsEmitted b) {
            return boxF1(a.detections(), b.detections());
        }
        if (production instanceof SegmentationsEmitted a
                && candidate instanceof SegmentationsEmitted b) {
            return pixels(a.mask(), b.mask());
        }
        throw new IllegalArgumentException(
                "cannot compare "
                        + production.getClass().getSimpleName()
                        + " with "
                        + candidate.getClass().getSimpleName());
    }

    /** The prediction's confidence: top-1 probability, best box score; NaN when it has none. */
    public static double confidence(Object emitted) {
        if (emitted instanceof ClassificationsEmitted c) {
            return c.top().isEmpty() ? Double.NaN : c.top().get(0).probability();
        }
        if (emitted instanceof DetectionsEmitted d) {
            double best = Double.NaN;
            for (DetectionsEmitted.Detection x : d.detections()) {
                best = Double.isNaN(best) ? x.score() : Math.max(best, x.score());
            }
            return best;
        }
        return Double.NaN;
    }

    /** F1 of matching {@code b}'s boxes to {@code a}'s; 1 when both are empty. */
    static double boxF1(List<DetectionsEmitted.Detection> a, List<DetectionsEmitted.Detection> b) {
        if (a.isEmpty() && b.isEmpty()) {
            return 1;
        }
        if (a.isEmpty() || b.isEmpty()) {
            return 0;
        }
        boolean[] taken = new boolean[a.size()];
        int matched = 0;
        List<DetectionsEmitted.Detection> byScore =
                b.stream().sorted((x, y) -> Double.compare(y.score(), x.score())).toList();
        for (DetectionsEmitted.Detection d : byScore) {
            int best = -1;
            double bestIou = IOU;
            for (int i = 0; i < a.size(); i++) {
                if (taken[i] || !a.get(i).label().equals(d.label())) {
                    continue;
                }
                double iou = iou(a.get(i).box(), d.box());
                if (iou >= bestIou) {
                    bestIou = iou;
                    best = i;
                }
            }
            if (best >= 0) {
                taken[best] = true;
                matched++;
            }
        }
        return 2.0 * matched / (a.size() + b.size());
    }

    static double iou(Box a, Box b) {
        double x0 = Math.max(a.x(), b.x());
        double y0 = Math.max(a.y(), b.y());
        double x1 = Math.min(a.x() + a.width(), b.x() + b.width());
        double y1 = Math.min(a.y() + a.height(), b.y() + b.height());
        double inter = Math.max(0, x1 - x0) * Math.max(0, y1 - y0);
        double union = a.width() * a.height() + b.width() * b.height() - inter;
        return union <= 0 ? 0 : inter / union;
    }

    /**
     * Share of pixels with the same class in two run-length masks of one frame, walking both runs
     * at once; masks of different sizes agree nowhere.
     */
    static double pixels(SegmentationsEmitted.RleMask a, SegmentationsEmitted.RleMask b) {
        if (a.height() != b.height() || a.width() != b.width()) {
            return 0;
        }
        long total = (long) a.height() * a.width();
        if (total == 0) {
            return 1;
        }
        int i = 0;
        int j = 0;
        long leftA = a.counts().isEmpty() ? 0 : a.counts().get(0);
        long leftB = b.counts().isEmpty() ? 0 : b.counts().get(0);
        long same = 0;
        long seen = 0;
        while (i < a.counts().size() && j < b.counts().size() && seen < total) {
            long step = Math.min(leftA, leftB);
            if (a.values().get(i).equals(b.values().get(j))) {
                same += step;
            }
            seen += step;
            leftA -= step;
            leftB -= step;
            if (leftA == 0 && ++i < a.counts().size()) {
                leftA = a.counts().get(i);
            }
            if (leftB == 0 && ++j < b.counts().size()) {
                leftB = b.counts().get(j);
            }
        }
        return (double) same / total;
    }
}
