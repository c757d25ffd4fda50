package io.streamtune.vision.decode;

import io.streamtune.vision.mask.Rle;
import java.util.Objects;

/**
 * One instance from instance segmentation: its detection and its binary mask over the whole source
 * image.
 */
public record InstanceMask(Detection detection, Rle mask) {

    public InstanceMask {
        Objects.requireNonNull(detection, "detection");
        Objects.requireNonNull(mask, "mask");
    }
}
