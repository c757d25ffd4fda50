package io.streamtune.inference.stream;

import io.streamtune.contracts.ClassificationsEmitted;
import io.streamtune.contracts.DetectionsEmitted;
import io.streamtune.contracts.FrameRef;
import io.streamtune.contracts.SegmentationsEmitted;
import io.streamtune.vision.decode.ClassMask;
import io.streamtune.vision.decode.ClassScore;
import io.streamtune.vision.decode.Detection;
import io.streamtune.vision.decode.InstanceMask;
import io.streamtune.vision.decode.SemanticSegmentation;
import io.streamtune.vision.mask.LabelMap;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Pure conversions from decoder results to the prediction messages of the contracts. */
public final class Predictions {

    private Predictions() {}

    /** Detections, highest score first as the decoder returns them. */
    public static DetectionsEmitted detections(
            FrameRef frame, List<Detection> detections, Instant now) {
        List<DetectionsEmitted.Detection> out = new ArrayList<>(detections.size());
        for (Detection d : detections) {
            out.add(detection(d, null));
        }
        return new DetectionsEmitted(frame, out, now);
    }

    /** Instance-segmentation results: each detection with its mask in COCO compressed RLE. */
    public static DetectionsEmitted instances(
            FrameRef frame, List<InstanceMask> instances, Instant now) {
        List<DetectionsEmitted.Detection> out = new ArrayList<>(instances.size());
        for (InstanceMask m : instances) {
            out.add(
                    detection(
                            m.detection(),
                            new DetectionsEmitted.Mask(
                                    List.of(m.mask().height(), m.mask().width()),
                                    m.mask().toCompressedString())));
        }
        return new DetectionsEmitted(frame, out, now);
    }

    /** One detection of the contract; {@code mask} null for plain detectors. */
    private static DetectionsEmitted.Detection detection(Detection d, DetectionsEmitted.Mask mask) {
        return new DetectionsEmitted.Detection(
                d.label(), d.classId(), clamp01(d.score()), d.box(), mask);
    }

    /** A class map as one multi-class COCO-layout RLE plus the area of each class present. */
    public static SegmentationsEmitted segmentation(
            FrameRef frame, SemanticSegmentation seg, Instant now) {
        List<SegmentationsEmitted.ClassArea> areas = new ArrayList<>();
        for (ClassMask c : seg.classes()) {
            areas.add(new SegmentationsEmitted.ClassArea(c.classId(), c.label(), c.area()));
        }
        return new SegmentationsEmitted(frame, rle(seg.labelMap()), areas, now);
    }

    /** Top classes, most likely first. */
    public static ClassificationsEmitted classification(
            FrameRef frame, List<ClassScore> top, Instant now) {
        List<ClassificationsEmitted.ClassScore> out = new ArrayList<>(top.size());
        for (ClassScore s : top) {
            out.add(
                    new ClassificationsEmitted.ClassScore(
                            s.label(), s.classId(), clamp01(s.score())));
        }
        return new ClassificationsEmitted(frame, out, now);
    }

    /**
     * Runs of equal class id in column-major order (down each column, then the next), COCO's
     * layout.
     */
    static SegmentationsEmitted.RleMask rle(LabelMap map) {
        int w = map.width();
        int h = map.height();
        int[] labels = map.labels();
        List<Integer> values = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        int current = labels[0];
        int run = 0;
        for (int x = 0; x < w; x++) {
            for (int y = 0; y < h; y++) {
                int v = labels[y * w + x];
                if (v != current) {
                    values.add(current);
                    counts.add(run);
                    current = v;
                    run = 0;
                }
                run++;
            }
        }
        values.add(current);
        counts.add(run);
        return new SegmentationsEmitted.RleMask(h, w, values, counts);
    }

    private static double clamp01(double v) {
        return Math.max(0, Math.min(1, v));
    }
}
