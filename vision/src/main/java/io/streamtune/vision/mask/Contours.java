package io.streamtune.vision.mask;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Outlines of the regions of a label map as polygons: for one class, every 4-connected component's
 * outer boundary traced along pixel edges (so the polygon covers exactly its pixels, holes aside),
 * then simplified (Douglas-Peucker). The inverse, within the tolerance, of {@link
 * Polygons#rasterize}: what a labelling tool's polygon pre-annotation needs.
 */
public final class Contours {

    /**
     * One traced region.
     *
     * @param points {@code x0, y0, x1, y1, ...} in pixel-corner coordinates, clockwise
     * @param pixels the region's pixel count
     */
    public record Outline(double[] points, int pixels) {}

    // clockwise directions in image coordinates (y down): east, south, west, north
    private static final int[] DX = {1, 0, -1, 0};
    private static final int[] DY = {0, 1, 0, -1};

    private Contours() {}

    /**
     * The outlines of {@code classId}'s regions in a row-major label map, largest first: regions
     * under {@code minPixels} are left out, at most {@code maxRegions} returned, each simplified
     * with {@code tolerance} pixels.
     */
    public static List<Outline> of(
            int[] labels,
            int width,
            int height,
            int classId,
            int minPixels,
            int maxRegions,
            double tolerance) {
        if (labels.length != width * height) {
            throw new IllegalArgumentException(
                    labels.length + " labels for " + width + "x" + height);
        }
        int[] component = new int[labels.length];
        List<Outline> out = new ArrayList<>();
        int next = 0;
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int start = 0; start < labels.length; start++) {
            if (labels[start] != classId || component[start] != 0) {
                continue;
            }
            int id = ++next;
            int count = 0;
            component[start] = id;
            queue.add(start);
            while (!queue.isEmpty()) {
                int p = queue.poll();
                count++;
                int x = p % width, y = p / width;
                for (int d = 0; d < 4; d++) {
                    int nx = x + DX[d], ny = y + DY[d];
                    if (nx >= 0 && ny >= 0 && nx < width && ny < height) {
                        int q = ny * width + nx;
                        if (labels[q] == classId && component[q] == 0) {
                            component[q] = id;
                            queue.add(q);
                        }
                    }
                }
            }
            if (count >= minPixels) {
                // the first pixel in row-major order is the component's top-left one
                double[] ring = trace(component, width, height, id, start % width, start / width);
                out.add(new Outline(simplify(ring, tolerance), count));
            }
        }
        out.sort(Comparator.comparingInt(Outline::pixels).reversed());
        return out.size() > maxRegions ? List.copyOf(out.subList(0, maxRegions)) : out;
    }

    /** The outer boundary of component {@code id}, from its top-left pixel, clockwise. */
    private static double[] trace(int[] component, int w, int h, int id, int x0, int y0) {
        List<int[]> vertices = new ArrayList<>();
        int x = x0, y = y0, d = 0;
        vertices.add(new int[] {x, y});
        x += DX[d];
        y += DY[d];
        int guard = 4 * (w + 1) * (h + 1);
        while ((x != x0 || y != y0) && guard-- > 0) {
            int[] left = aheadLeft(x, y, d);
            int[] right = aheadRight(x, y, d);
            int nd;
            if (inside(component, w, h, id, left[0], left[1])) {
                nd = (d + 3) % 4;
            } else if (inside(component, w, h, id, right[0], right[1])) {
                nd = d;
            } else {
                nd = (d + 1) % 4;
            }
            if (nd != d) {
                vertices.add(new int[] {x, y});
            }
            d = nd;
            x += DX[d];
            y += DY[d];
        }
        double[] ring = new double[vertices.size() * 2];
        for (int i = 0; i < vertices.size(); i++) {
            ring[2 * i] = vertices.get(i)[0];
            ring[2 * i + 1] = vertices.get(i)[1];
        }
        return ring;
    }

    /** The pixel ahead on the left of corner (x, y) moving in direction d. */
    private static int[] aheadLeft(int x, int y, int d) {
        return switch (d) {
            case 0 -> new int[] {x, y - 1};
            case 1 -> new int[] {x, y};
            case 2 -> new int[] {x - 1, y};
            default -> new int[] {x - 1, y - 1};
        };
    }

    /** The pixel ahead on the right of corner (x, y) moving in direction d. */
    private static int[] aheadRight(int x, int y, int d) {
        return switch (d) {
            case 0 -> new int[] {x, y};
            case 1 -> new int[] {x - 1, y};
            case 2 -> new int[] {x - 1, y - 1};
            default -> new int[] {x, y - 1};
        };
    }

    private static boolean inside(int[] component, int w, int h, int id, int x, int y) {
        return x >= 0 && y >= 0 && x < w && y < h && component[y * w + x] == id;
    }

    /** Douglas-Peucker on a closed ring; keeps at least three vertices. */
    static double[] simplify(double[] ring, double tolerance) {
        int n = ring.length / 2;
        if (n <= 3 || tolerance <= 0) {
            return ring;
        }
        // split the ring at vertex 0 and the vertex farthest from it
        int far = 0;
        double best = -1;
        for (int i = 1; i < n; i++) {
            double dx = ring[2 * i] - ring[0], dy = ring[2 * i + 1] - ring[1];
            double dist = dx * dx + dy * dy;
            if (dist > best) {
                best = dist;
                far = i;
            }
        }
        boolean[] keep = new boolean[n];
        keep[0] = true;
        keep[far] = true;
        mark(ring, 0, far, tolerance, keep, n);
        mark(ring, far, n, tolerance, keep, n);
        int kept = 0;
        for (boolean k : keep) {
            kept += k ? 1 : 0;
        }
        if (kept < 3) {
            return ring;
        }
        double[] out = new double[2 * kept];
        int j = 0;
        for (int i = 0; i < n; i++) {
            if (keep[i]) {
                out[j++] = ring[2 * i];
                out[j++] = ring[2 * i + 1];
            }
        }
        return out;
    }

    /** Marks the vertices between {@code from} and {@code to} (exclusive, mod n) to keep. */
    private static void mark(
            double[] ring, int from, int to, double tolerance, boolean[] keep, int n) {
        if (to - from < 2) {
            return;
        }
        double ax = ring[2 * from], ay = ring[2 * from + 1];
        double bx = ring[2 * (to % n)], by = ring[2 * (to % n) + 1];
        int worst = -1;
        double worstDist = tolerance;
        for (int i = from + 1; i < to; i++) {
            double dist = distance(ring[2 * i], ring[2 * i + 1], ax, ay, bx, by);
            if (dist > worstDist) {
                worstDist = dist;
                worst = i;
            }
        }
        if (worst >= 0) {
            keep[worst] = true;
            mark(ring, from, worst, tolerance, keep, n);
            mark(ring, worst, to, tolerance, keep, n);
        }
    }

    private static double distance(
            double px, double py, double ax, double ay, double bx, double by) {
        double dx = bx - ax, dy = by - ay;
        double len2 = dx * dx + dy * dy;
        if (len2 == 0) {
            return Math.hypot(px - ax, py - ay);
        }
        double t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2));
        return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
    }
}
