package io.streamtune.vision.preprocess;

import io.streamtune.vision.image.RgbImage;
import java.util.Objects;

/** A letterboxed image together with the transform that maps its coordinates back to the source. */
public record Letterboxed(RgbImage image, ResizeTransform transform) {

    public Letterboxed {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(transform, "transform");
    }
}
