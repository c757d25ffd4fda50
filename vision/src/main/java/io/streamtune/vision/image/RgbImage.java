package io.streamtune.vision.image;

import java.awt.image.BufferedImage;
import java.util.Objects;

/**
 * An 8-bit RGB image held as interleaved bytes, row-major ({@code (y * width + x) * 3 + channel}).
 *
 * <p>The pixel array is shared, not copied, so that frames move through the pipeline without extra
 * copies; treat it as read-only once constructed.
 */
public record RgbImage(int width, int height, byte[] pixels) {

    public RgbImage {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("dimensions must be positive: " + width + "x" + height);
        }
        Objects.requireNonNull(pixels, "pixels");
        if (pixels.length != (long) width * height * 3) {
            throw new IllegalArgumentException(
                    "expected " + (long) width * height * 3 + " bytes for " + width + "x" + height + ", got " + pixels.length);
        }
    }

    /** A new image filled with one colour (components 0..255). */
    public static RgbImage filled(int width, int height, int r, int g, int b) {
        byte[] px = new byte[Math.multiplyExact(Math.multiplyExact(width, height), 3)];
        for (int i = 0; i < px.length; i += 3) {
            px[i] = (byte) r;
            px[i + 1] = (byte) g;
            px[i + 2] = (byte) b;
        }
        return new RgbImage(width, height, px);
    }

    /** Copies any {@link BufferedImage} through its colour model (alpha dropped). */
    public static RgbImage of(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] px = new byte[w * h * 3];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            int o = y * w * 3;
            for (int x = 0; x < w; x++) {
                int argb = row[x];
                px[o++] = (byte) (argb >>> 16);
                px[o++] = (byte) (argb >>> 8);
                px[o++] = (byte) argb;
            }
        }
        return new RgbImage(w, h, px);
    }

    /** Component 0..255 of pixel (x, y); channel 0 = red, 1 = green, 2 = blue. */
    public int get(int x, int y, int channel) {
        return pixels[(y * width + x) * 3 + channel] & 0xFF;
    }

    /** A {@link BufferedImage#TYPE_INT_RGB} copy, e.g. for encoding with ImageIO. */
    public BufferedImage toBufferedImage() {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            int o = y * width * 3;
            for (int x = 0; x < width; x++) {
                row[x] = (pixels[o] & 0xFF) << 16 | (pixels[o + 1] & 0xFF) << 8 | (pixels[o + 2] & 0xFF);
                o += 3;
            }
            out.setRGB(0, y, width, 1, row, 0, width);
        }
        return out;
    }
}
