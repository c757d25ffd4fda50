package io.streamtune.contracts;

/**
 * An axis-aligned box in source-image pixels, top-left origin.
 *
 * @param x left edge
 * @param y top edge
 * @param width width, positive
 * @param height height, positive
 */
public record Box(double x, double y, double width, double height) {

    public Box {
        if (!Double.isFinite(x)
                || !Double.isFinite(y)
                || !Double.isFinite(width)
                || !Double.isFinite(height)) {
            throw new IllegalArgumentException("box coordinates must be finite");
        }
        if (width < 0 || height < 0) {
            throw new IllegalArgumentException(
                    "box width and height must be >= 0, was " + width + "x" + height);
        }
    }

    /** Whether the box has positive area and lies within an image of the given size. */
    public boolean isInside(int imageWidth, int imageHeight) {
        return width > 0
                && height > 0
                && x >= 0
                && y >= 0
                && x + width <= imageWidth
                && y + height <= imageHeight;
    }
}
