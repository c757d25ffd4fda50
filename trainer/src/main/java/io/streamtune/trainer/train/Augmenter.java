package io.streamtune.trainer.train;

import io.streamtune.trainer.task.Example;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Applies an {@link Augmentation} to one example: flip, crop-and-resize and rotation are composed
 * into one affine map, applied bilinearly to pixels, nearest to masks (uncovered pixels become
 * "ignore") and to box corners (then clipped; boxes that mostly leave the image are dropped).
 */
public final class Augmenter {

    private static final int IGNORE = 255;

    private final Augmentation a;

    public Augmenter(Augmentation augmentation) {
        this.a = augmentation;
    }

    /** An augmented copy of {@code e} ({@code e} itself when augmentation is off). */
    public Example apply(Example e, int height, int width, Random r) {
        if (!a.enabled()) {
            return e;
        }
        // Forward map source -> output: crop (scale + translate), rotate about the centre, flip.
        double cw = width, ch = height, cx0 = 0, cy0 = 0;
        if (a.minCropScale() < 1) {
            double area = a.minCropScale() + r.nextDouble() * (1 - a.minCropScale());
            double ratio = Math.exp(Math.log(3.0 / 4) + r.nextDouble() * Math.log(16.0 / 9));
            cw = Math.min(width, width * Math.sqrt(area * ratio));
            ch = Math.min(height, height * Math.sqrt(area / ratio));
            cx0 = r.nextDouble() * (width - cw);
            cy0 = r.nextDouble() * (height - ch);
        }
        double angle =
                a.maxRotationDegrees() > 0
                        ? Math.toRadians((r.nextDouble() * 2 - 1) * a.maxRotationDegrees())
                        : 0;
        boolean flip = a.horizontalFlip() && r.nextBoolean();
        // Affine as [m00 m01 m02; m10 m11 m12].
        double[] crop = {width / cw, 0, -cx0 * width / cw, 0, height / ch, -cy0 * height / ch};
        double cos = Math.cos(angle), sin = Math.sin(angle), hx = width / 2.0, hy = height / 2.0;
        double[] rot = {cos, -sin, hx - cos * hx + sin * hy, sin, cos, hy - sin * hx - cos * hy};
        double[] fl = flip ? new double[] {-1, 0, width, 0, 1, 0} : new double[] {1, 0, 0, 0, 1, 0};
        double[] fwd = compose(fl, compose(rot, crop));
        double[] inv = invert(fwd);

        int hw = height * width;
        float[] in = e.input();
        float[] out = new float[in.length];
        int[] mask = e.mask() == null ? null : new int[hw];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double u = x + 0.5, v = y + 0.5;
                double sx = inv[0] * u + inv[1] * v + inv[2] - 0.5;
                double sy = inv[3] * u + inv[4] * v + inv[5] - 0.5;
                int p = y * width + x;
                boolean inside = sx > -0.5 && sy > -0.5 && sx < width - 0.5 && sy < height - 0.5;
                if (mask != null) {
                    int nx = (int) Math.round(sx), ny = (int) Math.round(sy);
                    mask[p] =
                            inside
                                    ? e.mask()[
                                            Math.max(0, Math.min(height - 1, ny)) * width
                                                    + Math.max(0, Math.min(width - 1, nx))]
                                    : IGNORE;
                }
                if (!inside) {
                    continue; // 0 = the normalised mean, a neutral fill
                }
                double fx = Math.max(0, Math.min(width - 1, sx)),
                        fy = Math.max(0, Math.min(height - 1, sy));
                int x0 = (int) fx, y0 = (int) fy;
                int x1 = Math.min(x0 + 1, width - 1), y1 = Math.min(y0 + 1, height - 1);
                double wx = fx - x0, wy = fy - y0;
                for (int c = 0; c < 3; c++) {
                    int base = c * hw;
                    double top =
                            in[base + y0 * width + x0] * (1 - wx) + in[base + y0 * width + x1] * wx;
                    double bot =
                            in[base + y1 * width + x0] * (1 - wx) + in[base + y1 * width + x1] * wx;
                    out[base + p] = (float) (top * (1 - wy) + bot * wy);
                }
            }
        }
        if (a.colourJitter() > 0) {
            double contrast = 1 + (r.nextDouble() * 2 - 1) * a.colourJitter();
            double brightness = (r.nextDouble() * 2 - 1) * a.colourJitter();
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) (out[i] * contrast + brightness);
            }
        }
        List<float[]> boxes = new ArrayList<>();
        for (float[] b : e.boxes()) {
            double minX = Double.MAX_VALUE,
                    minY = Double.MAX_VALUE,
                    maxX = -Double.MAX_VALUE,
                    maxY = -Double.MAX_VALUE;
            for (double[] c :
                    new double[][] {{b[0], b[1]}, {b[2], b[1]}, {b[0], b[3]}, {b[2], b[3]}}) {
                double px = fwd[0] * c[0] + fwd[1] * c[1] + fwd[2];
                double py = fwd[3] * c[0] + fwd[4] * c[1] + fwd[5];
                minX = Math.min(minX, px);
                minY = Math.min(minY, py);
                maxX = Math.max(maxX, px);
                maxY = Math.max(maxY, py);
            }
            double area = (maxX - minX) * (maxY - minY);
            double x1 = Math.max(0, minX),
                    y1 = Math.max(0, minY),
                    x2 = Math.min(width, maxX),
                    y2 = Math.min(height, maxY);
            if (x2 - x1 >= 2 && y2 - y1 >= 2 && (x2 - x1) * (y2 - y1) >= 0.5 * area) {
                boxes.add(new float[] {(float) x1, (float) y1, (float) x2, (float) y2, b[4]});
            }
        }
        return new Example(out, e.classId(), mask, boxes);
    }

    private static double[] compose(double[] a, double[] b) {
        // a after b
        return new double[] {
            a[0] * b[0] + a[1] * b[3], a[0] * b[1] + a[1] * b[4], a[0] * b[2] + a[1] * b[5] + a[2],
            a[3] * b[0] + a[4] * b[3], a[3] * b[1] + a[4] * b[4], a[3] * b[2] + a[4] * b[5] + a[5]
        };
    }

    private static double[] invert(double[] m) {
        double det = m[0] * m[4] - m[1] * m[3];
        double i00 = m[4] / det, i01 = -m[1] / det, i10 = -m[3] / det, i11 = m[0] / det;
        return new double[] {
            i00, i01, -(i00 * m[2] + i01 * m[5]), i10, i11, -(i10 * m[2] + i11 * m[5])
        };
    }
}
