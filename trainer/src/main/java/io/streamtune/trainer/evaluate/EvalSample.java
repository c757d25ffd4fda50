package io.streamtune.trainer.evaluate;

import io.streamtune.vision.image.RgbImage;
import io.streamtune.vision.metrics.GroundTruthBox;
import java.util.List;
import java.util.Objects;

/**
 * A validation image with its ground truth in source pixels.
 *
 * @param image decoded source image
 * @param classId class (classification), -1 otherwise
 * @param mask source-size class per pixel, 255 = ignore (segmentation), null otherwise
 * @param boxes objects (detection), empty otherwise
 */
public record EvalSample(RgbImage image, int classId, int[] mask, List<GroundTruthBox> boxes) {

    public EvalSample {
        Objects.requireNonNull(image, "image");
        boxes = List.copyOf(boxes);
    }
}
