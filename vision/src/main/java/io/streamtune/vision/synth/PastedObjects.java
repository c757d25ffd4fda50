package io.streamtune.vision.synth;

import io.streamtune.contracts.Box;
import io.streamtune.vision.image.RgbImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * Detection scenes made of real photographs: object photos on a black ground (e.g. Fashion-MNIST's
 * product photos) tinted and pasted, without overlap, onto a random crop of a background
 * photograph; each object's box is the tight bound of its visible pixels.
 */
public final class PastedObjects {

    private PastedObjects() {}

    /**
     * A grey object photo on black, and its class.
     *
     * @param pixels row-major grey values 0..255, the ground near 0
     */
    public record Item(String className, int[] pixels, int width, int height) {
        public Item {
            Objects.requireNonNull(className, "className");
            if (pixels.length != width * height) {
                throw new IllegalArgumentException("pixels do not match " + width + "x" + height);
            }
        }
    }

    /** A pasted object: its class and box in scene pixels. */
    public record Placed(String className, Box box) {}

    /**
     * A composed scene.
     *
     * @param mask per pixel, row-major: 0 for the background, {@code k + 1} where an item of class
     *     {@code k} (its index in {@code itemsByClass}) is visible (the pixels its box bounds)
     */
    public record Composite(RgbImage image, List<Placed> objects, int[] mask) {
        public Composite {
            objects = List.copyOf(objects);
        }
    }

    /**
     * Composes a {@code width}x{@code height} scene: a crop of {@code background} covering 50-100 %
     * of its shorter side, and 1 to {@code maxObjects} items whose side is {@code minScale}-{@code
     * maxScale} of the scene's shorter side, each of a class drawn uniformly from {@code
     * itemsByClass} (then an item of that class).
     */
    public static Composite compose(
            Random r,
            RgbImage background,
            int width,
            int height,
            List<List<Item>> itemsByClass,
            int maxObjects,
            double minScale,
            double maxScale) {
        double aspect = (double) width / height;
        int cropH =
                (int)
                        (Math.min(background.height(), background.width() / aspect)
                                * (0.5 + 0.5 * r.nextDouble()));
        int cropW = Math.max(1, (int) (cropH * aspect));
        cropH = Math.max(1, cropH);
        int ox = r.nextInt(Math.max(1, background.width() - cropW + 1));
        int oy = r.nextInt(Math.max(1, background.height() - cropH + 1));
        byte[] px = new byte[width * height * 3];
        int[] mask = new int[width * height];
        for (int y = 0; y < height; y++) {
            int sy = Math.min(background.height() - 1, oy + y * cropH / height);
            for (int x = 0; x < width; x++) {
                int sx = Math.min(background.width() - 1, ox + x * cropW / width);
                for (int ch = 0; ch < 3; ch++) {
                    px[(y * width + x) * 3 + ch] = (byte) background.get(sx, sy, ch);
                }
            }
        }
        List<Placed> placed = new ArrayList<>();
        int count = 1 + r.nextInt(Math.max(1, maxObjects));
        int shorter = Math.min(width, height);
        for (int attempt = 0; attempt < count * 4 && placed.size() < count; attempt++) {
            int classIndex = r.nextInt(itemsByClass.size());
            List<Item> items = itemsByClass.get(classIndex);
            Item item = items.get(r.nextInt(items.size()));
            int side = (int) (shorter * (minScale + (maxScale - minScale) * r.nextDouble()));
            if (side < 4 || side >= shorter) {
                continue;
            }
            int x0 = r.nextInt(width - side), y0 = r.nextInt(height - side);
            Box box = paste(px, mask, classIndex + 1, width, item, x0, y0, side, r, placed);
            if (box != null) {
                placed.add(new Placed(item.className(), box));
            }
        }
        return new Composite(new RgbImage(width, height, px), placed, mask);
    }

    /** Pastes {@code item} scaled to {@code side}; its tight box, or null if it would overlap. */
    private static Box paste(
            byte[] px,
            int[] mask,
            int label,
            int width,
            Item item,
            int x0,
            int y0,
            int side,
            Random r,
            List<Placed> taken) {
        double[] tint = {
            0.4 + 0.6 * r.nextDouble(), 0.4 + 0.6 * r.nextDouble(), 0.4 + 0.6 * r.nextDouble()
        };
        float[] alpha = new float[side * side];
        int minX = Integer.MAX_VALUE, minY = Integer.MAX_VALUE, maxX = -1, maxY = -1;
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                // opacity from the grey value: the dark ground shows the background through
                float a =
                        (float)
                                Math.min(
                                        1,
                                        bilinear(
                                                        item,
                                                        fx(x, side, item.width()),
                                                        fx(y, side, item.height()))
                                                / 255.0
                                                * 4);
                alpha[y * side + x] = a;
                if (a > 0.5) {
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        if (maxX < 0) {
            return null;
        }
        Box box = new Box(x0 + minX, y0 + minY, maxX - minX + 1, maxY - minY + 1);
        for (Placed t : taken) {
            Box o = t.box();
            double ix =
                    Math.min(box.x() + box.width(), o.x() + o.width()) - Math.max(box.x(), o.x());
            double iy =
                    Math.min(box.y() + box.height(), o.y() + o.height()) - Math.max(box.y(), o.y());
            if (ix > 0 && iy > 0) {
                return null;
            }
        }
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                float a = alpha[y * side + x];
                if (a <= 0) {
                    continue;
                }
                if (a > 0.5) {
                    mask[(y0 + y) * width + x0 + x] = label;
                }
                double v = bilinear(item, fx(x, side, item.width()), fx(y, side, item.height()));
                int at = ((y0 + y) * width + x0 + x) * 3;
                for (int ch = 0; ch < 3; ch++) {
                    double bg = px[at + ch] & 0xff;
                    px[at + ch] = (byte) Math.round(a * v * tint[ch] + (1 - a) * bg);
                }
            }
        }
        return box;
    }

    /** Source coordinate of output pixel {@code x} when {@code from} pixels become {@code side}. */
    private static double fx(int x, int side, int from) {
        return (x + 0.5) * from / side - 0.5;
    }

    private static double bilinear(Item item, double x, double y) {
        int x0 = (int) Math.floor(x), y0 = (int) Math.floor(y);
        double dx = x - x0, dy = y - y0;
        return (1 - dx) * (1 - dy) * at(item, x0, y0)
                + dx * (1 - dy) * at(item, x0 + 1, y0)
                + (1 - dx) * dy * at(item, x0, y0 + 1)
                + dx * dy * at(item, x0 + 1, y0 + 1);
    }

    private static int at(Item item, int x, int y) {
        return x < 0 || y < 0 || x >= item.width() || y >= item.height()
                ? 0
                : item.pixels()[y * item.width() + x];
    }
}
