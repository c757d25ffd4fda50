package io.streamtune.trainer.task;

import java.util.List;
import java.util.Objects;

/**
 * One preprocessed training sample at model input size.
 *
 * @param input normalised pixels, planar {@code [3, H, W]}
 * @param classId image class (classification), -1 otherwise
 * @param mask per-pixel class, row-major {@code [H, W]}, 255 = ignore (segmentation), null
 *     otherwise
 * @param boxes objects as {@code {x1, y1, x2, y2, classId}} in input pixels (detection), empty
 *     otherwise
 */
public record Example(float[] input, int classId, int[] mask, List<float[]> boxes) {

    public Example {
        Objects.requireNonNull(input, "input");
        boxes = List.copyOf(boxes);
    }

    public static Example classified(float[] input, int classId) {
        return new Example(input, classId, null, List.of());
    }

    public static Example segmented(float[] input, int[] mask) {
        return new Example(input, -1, mask, List.of());
    }

    public static Example detected(float[] input, List<float[]> boxes) {
        return new Example(input, -1, null, boxes);
    }
}
