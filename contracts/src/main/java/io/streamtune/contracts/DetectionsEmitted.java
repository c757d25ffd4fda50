package io.streamtune.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Objects found in one frame, keyed by camera id on the detections topic.
 *
 * @param frame the frame and the model version
 * @param detections objects, highest score first
 * @param emittedAt when the prediction was produced
 */
public record DetectionsEmitted(FrameRef frame, List<Detection> detections, Instant emittedAt) {

    /**
     * One detected object, box in source-image pixels.
     *
     * @param mask the object's pixels over the whole source image, from instance-segmentation
     *     models (YOLOv8-seg); absent (not serialized) for plain detectors
     */
    public record Detection(
            String label,
            int classId,
            double score,
            Box box,
            @JsonInclude(JsonInclude.Include.NON_NULL) Mask mask) {
        public Detection {
            Objects.requireNonNull(label, "label");
            if (classId < 0) {
                throw new IllegalArgumentException("classId must be >= 0");
            }
            if (!(score >= 0 && score <= 1)) {
                throw new IllegalArgumentException("score must be in [0,1], was " + score);
            }
            Objects.requireNonNull(box, "box");
        }

        /** A detection without a mask. */
        public Detection(String label, int classId, double score, Box box) {
            this(label, classId, score, box, null);
        }
    }

    /**
     * A binary mask in COCO's compressed RLE, as pycocotools reads it: {@code
     * mask_util.decode({"size": size, "counts": counts})}.
     *
     * @param size {@code [height, width]} of the source image
     * @param counts the run lengths (column-major, background first) in COCO's string encoding
     */
    public record Mask(List<Integer> size, String counts) {
        public Mask {
            size = List.copyOf(Objects.requireNonNull(size, "size"));
            if (size.size() != 2 || size.get(0) <= 0 || size.get(1) <= 0) {
                throw new IllegalArgumentException("size must be [height, width] > 0: " + size);
            }
            Objects.requireNonNull(counts, "counts");
        }
    }

    public DetectionsEmitted {
        Objects.requireNonNull(frame, "frame");
        detections = List.copyOf(Objects.requireNonNull(detections, "detections"));
        Objects.requireNonNull(emittedAt, "emittedAt");
    }
}
