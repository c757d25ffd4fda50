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
            throw new IllegalArgumentException(
                    "box values must be finite: " + x + "," + y + "," + width + "," + height);
        }
        if (width < 0 || height < 0) {
            throw new IllegalArgumentException(
                    "box width and height must be >= 0, was " + width + "x" + height);
        }
    }

    /** From corner coordinates; corners given in the wrong order are refused. */
    public static Box fromCorners(double x1, double y1, double x2, double y2) {
        return new Box(x1, y1, x2 - x1, y2 - y1);
    }

    /** From centre and size, the YOLO convention. */
    public static Box fromCenter(double cx, double cy, double width, double height) {
        return new Box(cx - width / 2, cy - height / 2, width, height);
    }

    /** Right edge. */
    public double x2() {
        return x + width;
    }

    /** Bottom edge. */
    public double y2() {
        return y + height;
    }

    public double area() {
        return width * height;
    }

    /** Intersection over union; 0 when the union is empty. */
    public double iou(Box other) {
        double iw = Math.min(x2(), other.x2()) - Math.max(x, other.x);
        double ih = Math.min(y2(), other.y2()) - Math.max(y, other.y);
        if (iw <= 0 || ih <= 0) {
            return 0;
        }
        double inter = iw * ih;
        double union = area() + other.area() - inter;
        return union > 0 ? inter / union : 0;
    }

    /**
     * This box cut to {@code [0, maxWidth] × [0, maxHeight]}; a box entirely outside becomes
     * zero-area.
     */
    public Box clip(double maxWidth, double maxHeight) {
        double x1c = Math.max(0, Math.min(maxWidth, x));
        double y1c = Math.max(0, Math.min(maxHeight, y));
        double x2c = Math.max(0, Math.min(maxWidth, x2()));
        double y2c = Math.max(0, Math.min(maxHeight, y2()));
        return fromCorners(x1c, y1c, Math.max(x1c, x2c), Math.max(y1c, y2c));
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
