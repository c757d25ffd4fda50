package io.streamtune.vision.image;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
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
            throw new IllegalArgumentException(
                    "dimensions must be positive: " + width + "x" + height);
        }
        Objects.requireNonNull(pixels, "pixels");
        if (pixels.length != (long) width * height * 3) {
            throw new IllegalArgumentException(
                    "expected "
                            + (long) width * height * 3
                            + " bytes for "
                            + width
                            + "x"
                            + height
                            + ", got "
                            + pixels.length);
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

    /**
     * Converts any {@link BufferedImage} to 8-bit RGB by {@link ImageDecoder}'s pixel rule: 16-bit
     * samples keep their high byte, fewer than 8 bits are scaled up, palettes are expanded, grey is
     * replicated and alpha dropped; samples are taken as stored, without colour-space conversion.
     */
    public static RgbImage of(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] out = new byte[Math.multiplyExact(Math.multiplyExact(w, h), 3)];
        Raster raster = image.getRaster();
        ColorModel cm = image.getColorModel();
        if (image.getType() == BufferedImage.TYPE_3BYTE_BGR
                && raster.getDataBuffer() instanceof DataBufferByte buffer
                && buffer.getNumBanks() == 1
                && raster.getSampleModelTranslateX() == 0
                && raster.getSampleModelTranslateY() == 0) {
            // Fast path for what ImageIO returns for baseline JPEGs: BGR bytes, tightly packed.
            byte[] bgr = buffer.getData();
            for (int i = 0; i < out.length; i += 3) {
                out[i] = bgr[i + 2];
                out[i + 1] = bgr[i + 1];
                out[i + 2] = bgr[i];
            }
            return new RgbImage(w, h, out);
        }
        int[] samples = new int[w];
        if (cm instanceof IndexColorModel palette) {
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, samples);
                int o = y * w * 3;
                for (int x = 0; x < w; x++) {
                    int index = samples[x];
                    out[o++] = (byte) palette.getRed(index);
                    out[o++] = (byte) palette.getGreen(index);
                    out[o++] = (byte) palette.getBlue(index);
                }
            }
            return new RgbImage(w, h, out);
        }
        int colourBands = cm.getNumColorComponents();
        if (colourBands != 1 && colourBands != 3) {
            return viaColourModel(image);
        }
        for (int band = 0; band < 3; band++) {
            int source = colourBands == 1 ? 0 : band;
            int bits = raster.getSampleModel().getSampleSize(source);
            int max = (1 << bits) - 1;
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, source, samples);
                int o = y * w * 3 + band;
                for (int x = 0; x < w; x++) {
                    int v = samples[x];
                    int eight = bits == 8 ? v : bits > 8 ? v >>> (bits - 8) : v * 255 / max;
                    out[o] = (byte) eight;
                    o += 3;
                }
            }
        }
        return new RgbImage(w, h, out);
    }

    private static RgbImage viaColourModel(BufferedImage image) {
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
                row[x] =
                        (pixels[o] & 0xFF) << 16
                                | (pixels[o + 1] & 0xFF) << 8
                                | (pixels[o + 2] & 0xFF);
                o += 3;
            }
            out.setRGB(0, y, width, 1, row, 0, width);
        }
        return out;
    }
}
