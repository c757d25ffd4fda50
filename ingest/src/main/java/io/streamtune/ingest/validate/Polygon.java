package io.streamtune.ingest.validate;

import java.util.Arrays;

/**
 * A closed polygon in image pixels, as labelling tools export segmentation outlines.
 *
 * @param xy alternating x, y coordinates
 */
public record Polygon(double[] xy) {

    /** How far (pixels) a vertex may lie outside the image: tools round outlines outwards. */
    public static final double TOLERANCE_PX = 1.0;

    public Polygon {
        xy = xy.clone();
    }

    /** Number of vertices. */
    public int points() {
        return xy.length / 2;
    }

    /**
     * Checks sanity: an even number of finite coordinates, at least three vertices, inside the
     * image, positive area.
     */
    public void check(int width, int height) throws SampleRejectedException {
        if (xy.length % 2 != 0) {
            throw new SampleRejectedException(
                    RejectReason.BAD_POLYGON,
                    "polygon has an odd number of coordinates: " + xy.length);
        }
        if (points() < 3) {
            throw new SampleRejectedException(
                    RejectReason.BAD_POLYGON, "polygon has " + points() + " points, needs >= 3");
        }
        for (int i = 0; i < xy.length; i += 2) {
            double x = xy[i];
            double y = xy[i + 1];
            if (!Double.isFinite(x) || !Double.isFinite(y)) {
                throw new SampleRejectedException(
                        RejectReason.BAD_POLYGON, "polygon point " + i / 2 + " is not finite");
            }
            if (x < -TOLERANCE_PX
                    || y < -TOLERANCE_PX
                    || x > width + TOLERANCE_PX
                    || y > height + TOLERANCE_PX) {
                throw new SampleRejectedException(
                        RejectReason.BAD_POLYGON,
                        "polygon point ("
                                + x
                                + ","
                                + y
                                + ") lies outside the "
                                + width
                                + "x"
                                + height
                                + " image");
            }
        }
        if (Math.abs(area()) < 1e-9) {
            throw new SampleRejectedException(RejectReason.BAD_POLYGON, "polygon has zero area");
        }
    }

    /** Signed area (shoelace). */
    public double area() {
        double a = 0;
        int n = points();
        for (int i = 0; i < n; i++) {
            int j = (i + 1) % n;
            a += xy[2 * i] * xy[2 * j + 1] - xy[2 * j] * xy[2 * i + 1];
        }
        return a / 2;
    }

    /** Bounding box as {minX, minY, maxX, maxY}. */
    public double[] bounds() {
        double[] b = {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        for (int i = 0; i < xy.length; i += 2) {
            b[0] = Math.min(b[0], xy[i]);
            b[1] = Math.min(b[1], xy[i + 1]);
            b[2] = Math.max(b[2], xy[i]);
            b[3] = Math.max(b[3], xy[i + 1]);
        }
        return b;
    }

    /**
     * Fills the polygon into a row-major label map with {@code value} (even-odd rule, pixel
     * centres).
     */
    public void fill(byte[] labels, int width, int height, byte value) {
        int n = points();
        double[] crossings = new double[n];
        for (int y = 0; y < height; y++) {
            double cy = y + 0.5;
            int k = 0;
            for (int i = 0; i < n; i++) {
                int j = (i + 1) % n;
                double y0 = xy[2 * i + 1];
                double y1 = xy[2 * j + 1];
                if ((y0 <= cy && y1 > cy) || (y1 <= cy && y0 > cy)) {
                    double x0 = xy[2 * i];
                    double x1 = xy[2 * j];
                    crossings[k++] = x0 + (cy - y0) * (x1 - x0) / (y1 - y0);
                }
            }
            Arrays.sort(crossings, 0, k);
            for (int c = 0; c + 1 < k; c += 2) {
                int from = (int) Math.max(0, Math.ceil(crossings[c] - 0.5));
                int to = (int) Math.min(width - 1, Math.floor(crossings[c + 1] - 0.5));
                for (int x = from; x <= to; x++) {
                    labels[y * width + x] = value;
                }
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Polygon p && Arrays.equals(xy, p.xy);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(xy);
    }

    @Override
    public String toString() {
        return "Polygon" + Arrays.toString(xy);
    }
}
