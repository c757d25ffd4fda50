package io.streamtune.vision.synth;

import io.streamtune.vision.image.RgbImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;
import javax.imageio.ImageIO;

/**
 * A generated image with every label it supports.
 *
 * @param image the RGB image
 * @param objects the shapes drawn, in drawing order (objects never overlap)
 * @param mask per-pixel segmentation class, row-major: 0 background, {@code classId + 1} for a
 *     shape (see {@link ShapeKind#segmentationClassNames()})
 */
public record Scene(RgbImage image, List<SceneObject> objects, int[] mask) {

    public Scene {
        Objects.requireNonNull(image, "image");
        objects = List.copyOf(objects);
        Objects.requireNonNull(mask, "mask");
        if (mask.length != image.width() * image.height()) {
            throw new IllegalArgumentException(
                    "mask has "
                            + mask.length
                            + " pixels, image "
                            + image.width()
                            + "x"
                            + image.height());
        }
    }

    public int width() {
        return image.width();
    }

    public int height() {
        return image.height();
    }

    /**
     * The image-level class for classification: the shape covering the most pixels (the first one
     * on ties).
     */
    public ShapeKind dominantShape() {
        if (objects.isEmpty()) {
            throw new IllegalStateException("scene has no objects");
        }
        long[] area = new long[ShapeKind.values().length];
        for (int m : mask) {
            if (m > 0) {
                area[m - 1]++;
            }
        }
        ShapeKind best = objects.get(0).shape();
        for (ShapeKind k : ShapeKind.values()) {
            if (area[k.ordinal()] > area[best.ordinal()]) {
                best = k;
            }
        }
        return best;
    }

    /** The image encoded as PNG. */
    public byte[] png() {
        return encode(image.toBufferedImage());
    }

    /** The mask as an 8-bit grey PNG whose values are the segmentation classes. */
    public byte[] maskPng() {
        BufferedImage grey = new BufferedImage(width(), height(), BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSamples(0, 0, width(), height(), 0, mask);
        return encode(grey);
    }

    private static byte[] encode(BufferedImage image) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("no PNG writer");
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
