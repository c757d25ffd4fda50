package io.streamtune.trainer.train;

/**
 * Random training-time transformations; geometric ones move masks and boxes with the pixels.
 *
 * @param horizontalFlip flip left-right with probability 0.5
 * @param minCropScale random resized crop keeps an area share in [minCropScale, 1] (1 disables)
 * @param maxRotationDegrees rotation uniformly in [-max, max] (0 disables)
 * @param colourJitter brightness/contrast change up to this fraction (0 disables)
 */
public record Augmentation(
        boolean horizontalFlip,
        double minCropScale,
        double maxRotationDegrees,
        double colourJitter) {

    public Augmentation {
        if (minCropScale <= 0
                || minCropScale > 1
                || maxRotationDegrees < 0
                || maxRotationDegrees > 180
                || colourJitter < 0
                || colourJitter > 1) {
            throw new IllegalArgumentException(
                    "invalid augmentation "
                            + minCropScale
                            + "/"
                            + maxRotationDegrees
                            + "/"
                            + colourJitter);
        }
    }

    public static Augmentation defaults() {
        return new Augmentation(true, 0.7, 10, 0.2);
    }

    public static Augmentation none() {
        return new Augmentation(false, 1, 0, 0);
    }

    public boolean enabled() {
        return horizontalFlip || minCropScale < 1 || maxRotationDegrees > 0 || colourJitter > 0;
    }
}
