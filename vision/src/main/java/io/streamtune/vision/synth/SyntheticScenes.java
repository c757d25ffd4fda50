package io.streamtune.vision.synth;

import io.streamtune.contracts.Box;
import io.streamtune.vision.image.RgbImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates labelled scenes: circles, squares and triangles in solid colours on textured
 * backgrounds (stripes, checkers, noise, gradients). The same seed and arguments always give the
 * same scene, pixel for pixel.
 */
public final class SyntheticScenes {

    /** Smallest object side in pixels (objects shrink with the image below 64 pixels). */
    private static final int MIN_SIDE = 6;

    private SyntheticScenes() {}

    /**
     * A scene with 1..{@code maxObjects} non-overlapping shapes of random kinds, sizes and places.
     */
    public static Scene generate(long seed, int width, int height, int maxObjects) {
        if (maxObjects < 1) {
            throw new IllegalArgumentException("maxObjects must be >= 1: " + maxObjects);
        }
        Random r = new Random(seed);
        int count = 1 + r.nextInt(maxObjects);
        List<ShapeKind> kinds = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            kinds.add(ShapeKind.values()[r.nextInt(ShapeKind.values().length)]);
        }
        return draw(r, width, height, kinds, 0.2, 0.5);
    }

    /**
     * A scene with exactly one shape of the given kind covering a good part of the image (for
     * classification).
     */
    public static Scene single(long seed, int width, int height, ShapeKind shape) {
        return draw(new Random(seed), width, height, List.of(shape), 0.35, 0.8);
    }

    /**
     * A classification scene whose shape kind is drawn from the seed: {@code single(seed, w, h,
     * kind)}.
     */
    public static Scene single(long seed, int width, int height) {
        ShapeKind kind =
                ShapeKind.values()[(int) Math.floorMod(seed * 0x9E3779B97F4A7C15L >>> 33, 3L)];
        return single(seed, width, height, kind);
    }

    private static Scene draw(
            Random r,
            int width,
            int height,
            List<ShapeKind> kinds,
            double minFrac,
            double maxFrac) {
        if (width < 8 || height < 8) {
            throw new IllegalArgumentException(
                    "image must be at least 8x8, was " + width + "x" + height);
        }
        byte[] px = new byte[width * height * 3];
        int[] bg = background(r, width, height, px);
        int[] mask = new int[width * height];
        List<SceneObject> objects = new ArrayList<>();
        int shortSide = Math.min(width, height);
        for (ShapeKind kind : kinds) {
            for (int attempt = 0; attempt < 30; attempt++) {
                int lo =
                        Math.max(
                                Math.min(MIN_SIDE, shortSide),
                                (int) Math.round(shortSide * minFrac));
                int hi = Math.max(lo, (int) Math.round(shortSide * maxFrac));
                int side = lo + r.nextInt(hi - lo + 1);
                // Triangles and circles may be a little wider or taller than square.
                int w =
                        kind == ShapeKind.SQUARE
                                ? side
                                : Math.min(
                                        width,
                                        (int) Math.round(side * (0.85 + 0.3 * r.nextDouble())));
                int h = side;
                int x = r.nextInt(width - w + 1);
                int y = r.nextInt(height - h + 1);
                if (overlaps(objects, x, y, w, h)) {
                    continue;
                }
                int[] colour = contrasting(r, bg);
                int minX = Integer.MAX_VALUE, minY = Integer.MAX_VALUE, maxX = -1, maxY = -1;
                for (int yy = y; yy < y + h; yy++) {
                    for (int xx = x; xx < x + w; xx++) {
                        if (kind.contains(xx + 0.5, yy + 0.5, x, y, w, h)) {
                            int i = yy * width + xx;
                            mask[i] = kind.classId() + 1;
                            px[i * 3] = (byte) colour[0];
                            px[i * 3 + 1] = (byte) colour[1];
                            px[i * 3 + 2] = (byte) colour[2];
                            minX = Math.min(minX, xx);
                            minY = Math.min(minY, yy);
                            maxX = Math.max(maxX, xx);
                            maxY = Math.max(maxY, yy);
                        }
                    }
                }
                if (maxX >= 0) {
                    objects.add(
                            new SceneObject(
                                    kind, new Box(minX, minY, maxX - minX + 1, maxY - minY + 1)));
                }
                break;
            }
        }
        if (objects.isEmpty()) {
            throw new IllegalStateException("could not place any shape in " + width + "x" + height);
        }
        return new Scene(new RgbImage(width, height, px), objects, mask);
    }

    private static boolean overlaps(List<SceneObject> objects, int x, int y, int w, int h) {
        for (SceneObject o : objects) {
            Box b = o.box();
            // One pixel of margin keeps boxes and masks from touching.
            if (x < b.x() + b.width() + 1
                    && b.x() < x + w + 1
                    && y < b.y() + b.height() + 1
                    && b.y() < y + h + 1) {
                return true;
            }
        }
        return false;
    }

    /** Fills a textured background; returns its mean colour. */
    private static int[] background(Random r, int width, int height, byte[] px) {
        int[] a = randomColour(r);
        int[] b = randomColour(r);
        int pattern = r.nextInt(4);
        int period = 3 + r.nextInt(8);
        double angle = r.nextDouble() * Math.PI;
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        int noise = 10 + r.nextInt(30);
        long sum0 = 0, sum1 = 0, sum2 = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double t =
                        switch (pattern) {
                            case 0 ->
                                    ((int) Math.floor((x * cos + y * sin) / period) & 1); // stripes
                            case 1 -> ((x / period + y / period) & 1); // checkers
                            case 2 ->
                                    (x * cos + y * sin) / Math.max(width, height) * 0.5
                                            + 0.5; // gradient
                            default -> r.nextDouble(); // speckle
                        };
                int i = (y * width + x) * 3;
                for (int c = 0; c < 3; c++) {
                    int v =
                            (int) Math.round(a[c] * (1 - t) + b[c] * t)
                                    + r.nextInt(2 * noise + 1)
                                    - noise;
                    px[i + c] = (byte) Math.max(0, Math.min(255, v));
                }
                sum0 += px[i] & 0xff;
                sum1 += px[i + 1] & 0xff;
                sum2 += px[i + 2] & 0xff;
            }
        }
        long n = (long) width * height;
        return new int[] {(int) (sum0 / n), (int) (sum1 / n), (int) (sum2 / n)};
    }

    private static int[] randomColour(Random r) {
        return new int[] {r.nextInt(256), r.nextInt(256), r.nextInt(256)};
    }

    /** A solid colour far enough from the background mean to be visible. */
    private static int[] contrasting(Random r, int[] bg) {
        int[] best = randomColour(r);
        for (int i = 0; i < 20; i++) {
            int[] c = randomColour(r);
            if (distance(c, bg) > distance(best, bg)) {
                best = c;
            }
            if (distance(best, bg) > 160) {
                break;
            }
        }
        return best;
    }

    private static double distance(int[] a, int[] b) {
        double d = 0;
        for (int c = 0; c < 3; c++) {
            d += (a[c] - b[c]) * (a[c] - b[c]);
        }
        return Math.sqrt(d);
    }
}
