package io.streamtune.vision.mask;

import java.util.Arrays;
import java.util.List;

/**
 * Rasterizes polygon outlines (COCO {@code segmentation} polygons, YOLO-seg lines scaled to pixels)
 * into masks.
 *
 * <p>A pixel is inside when its centre {@code (x + 0.5, y + 0.5)} is inside the polygon by the
 * even-odd rule; several polygons of one object are united. This is the usual scanline fill; it
 * differs from pycocotools' {@code frPyObjects} by at most a one-pixel band along the outline
 * (pycocotools counts boundary pixels more generously), which matters only for tiny objects.
 */
public final class Polygons {

    private Polygons() {}

    /**
     * The union of {@code polygons} (each {@code [x0, y0, x1, y1, ...]} in pixels) as a row-major
     * 0/1 mask.
     */
    public static byte[] rasterize(List<double[]> polygons, int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("size must be positive: " + width + "x" + height);
        }
        byte[] mask = new byte[Math.multiplyExact(width, height)];
        double[] crossings = new double[16];
        for (double[] polygon : polygons) {
            if (polygon.length < 6 || polygon.length % 2 != 0) {
                throw new IllegalArgumentException(
                        "a polygon needs at least 3 points as x,y pairs, got "
                                + polygon.length
                                + " values");
            }
            for (double v : polygon) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("polygon coordinates must be finite");
                }
            }
            int points = polygon.length / 2;
            if (crossings.length < points) {
                crossings = new double[points];
            }
            for (int y = 0; y < height; y++) {
                double cy = y + 0.5;
                int n = 0;
                for (int i = 0, j = points - 1; i < points; j = i++) {
                    double xi = polygon[2 * i];
                    double yi = polygon[2 * i + 1];
                    double xj = polygon[2 * j];
                    double yj = polygon[2 * j + 1];
                    // Half-open rule so a vertex on the scanline is counted once.
                    if ((yi <= cy) != (yj <= cy)) {
                        crossings[n++] = xi + (cy - yi) * (xj - xi) / (yj - yi);
                    }
                }
                Arrays.sort(crossings, 0, n);
                for (int k = 0; k + 1 < n; k += 2) {
                    // Pixels whose centre x + 0.5 lies in [left, right).
                    int from = Math.max(0, (int) Math.ceil(crossings[k] - 0.5));
                    int to = Math.min(width - 1, (int) Math.ceil(crossings[k + 1] - 0.5) - 1);
                    for (int x = from; x <= to; x++) {
                        mask[y * width + x] = 1;
                    }
                }
            }
        }
        return mask;
    }

    /** {@link #rasterize} as COCO RLE. */
    public static Rle toRle(List<double[]> polygons, int width, int height) {
        return Rle.encode(rasterize(polygons, width, height), width, height);
    }
}
