package io.streamtune.contracts;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A per-pixel class map of one frame, keyed by camera id on the segmentations topic.
 *
 * @param frame the frame and the model version
 * @param mask class-id mask in source-image size as COCO RLE
 * @param classAreas pixels per class present in the frame
 * @param emittedAt when the prediction was produced
 */
public record SegmentationsEmitted(
        FrameRef frame, RleMask mask, List<ClassArea> classAreas, Instant emittedAt) {

    /**
     * A run-length encoded class-id map in COCO's layout: column-major, runs of equal class id.
     *
     * @param height rows
     * @param width columns
     * @param values class id of each run
     * @param counts length of each run
     */
    public record RleMask(int height, int width, List<Integer> values, List<Integer> counts) {
        public RleMask {
            values = List.copyOf(Objects.requireNonNull(values, "values"));
            counts = List.copyOf(Objects.requireNonNull(counts, "counts"));
            if (values.size() != counts.size()) {
                throw new IllegalArgumentException("values and counts must have the same length");
            }
            long total = counts.stream().mapToLong(Integer::longValue).sum();
            if (total != (long) height * width) {
                throw new IllegalArgumentException(
                        "run lengths sum to " + total + ", expected " + height * width);
            }
        }
    }

    /** Area of one class in pixels of the source image. */
    public record ClassArea(int classId, String label, long pixels) {
        public ClassArea {
            Objects.requireNonNull(label, "label");
            if (classId < 0 || pixels < 0) {
                throw new IllegalArgumentException("classId and pixels must be >= 0");
            }
        }
    }

    public SegmentationsEmitted {
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(mask, "mask");
        classAreas = List.copyOf(Objects.requireNonNull(classAreas, "classAreas"));
        Objects.requireNonNull(emittedAt, "emittedAt");
    }
}
