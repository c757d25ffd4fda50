package io.streamtune.vision.decode;

import io.streamtune.vision.mask.Rle;
import java.util.Objects;

/**
 * The pixels of one class in a semantic segmentation: id, label, area in pixels and COCO RLE mask.
 */
public record ClassMask(int classId, String label, long area, Rle mask) {

    public ClassMask {
        if (classId < 0) {
            throw new IllegalArgumentException("classId must not be negative: " + classId);
        }
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(mask, "mask");
        if (area != mask.area()) {
            throw new IllegalArgumentException(
                    "area " + area + " disagrees with the mask's " + mask.area());
        }
    }
}
