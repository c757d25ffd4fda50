package io.streamtune.vision.image;

import java.awt.image.Raster;

/**
 * Four-component JPEGs (CMYK and YCCK, as Photoshop, ImageMagick and print workflows write them)
 * converted to RGB the way browsers and libjpeg-based viewers show them, without a colour profile.
 *
 * <p>ImageIO decodes such a file through a generic CMYK profile (colours visibly washed out: a
 * pixel shown as 156, 135, 122 comes out 205, 192, 184) and libjpeg-turbo's RGB output refuses it,
 * so the decoder reads the raw components and converts them here. With an Adobe APP14 segment the
 * components are stored inverted (Adobe's convention): transform 2 (YCCK) first turns Y, Cb, Cr
 * back into the inverted C, M, Y with the JFIF equations, then {@code R = C' × K' / 255} for C', K'
 * as stored. Without an Adobe segment the components are taken as plain CMYK: {@code R = (255 −
 * C)(255 − K) / 255}.
 */
final class CmykJpeg {

    /** No Adobe APP14 segment before the first scan. */
    static final int NO_ADOBE = -1;

    private CmykJpeg() {}

    /** The header facts that decide the conversion: component count and Adobe transform. */
    record Header(int components, int adobeTransform) {
        boolean fourComponents() {
            return components == 4;
        }
    }

    /**
     * Walks the markers up to the first scan: the frame's component count (0 when no frame header
     * is found) and the Adobe transform flag ({@link #NO_ADOBE} when there is no Adobe segment).
     */
    static Header header(byte[] b) {
        int components = 0;
        int transform = NO_ADOBE;
        int i = 2;
        while (i + 4 <= b.length) {
            if ((b[i] & 0xFF) != 0xFF) {
                break;
            }
            int marker = b[i + 1] & 0xFF;
            if (marker == 0xFF) {
                i++; // fill byte
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) {
                break;
            }
            if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
                i += 2; // markers without a length
                continue;
            }
            int length = ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
            if (length < 2 || i + 2 + length > b.length) {
                break;
            }
            boolean frame =
                    marker >= 0xC0
                            && marker <= 0xCF
                            && marker != 0xC4
                            && marker != 0xC8
                            && marker != 0xCC;
            if (frame && length >= 8) {
                components = b[i + 9] & 0xFF;
            } else if (marker == 0xEE
                    && length >= 14
                    && b[i + 4] == 'A'
                    && b[i + 5] == 'd'
                    && b[i + 6] == 'o'
                    && b[i + 7] == 'b'
                    && b[i + 8] == 'e') {
                transform = b[i + 15] & 0xFF;
            }
            i += 2 + length;
        }
        return new Header(components, transform);
    }

    /** The raw four-band raster ImageIO decodes, as 8-bit RGB. */
    static RgbImage toRgb(Raster raster, int adobeTransform) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        if (raster.getNumBands() != 4) {
            throw new IllegalArgumentException(
                    "expected 4 components, got " + raster.getNumBands());
        }
        byte[] out = new byte[Math.multiplyExact(Math.multiplyExact(w, h), 3)];
        int[] row = new int[w * 4];
        int minX = raster.getMinX();
        int minY = raster.getMinY();
        for (int y = 0; y < h; y++) {
            raster.getPixels(minX, minY + y, w, 1, row);
            for (int x = 0; x < w; x++) {
                int p = x * 4;
                int c = row[p];
                int m = row[p + 1];
                int ye = row[p + 2];
                int k = row[p + 3];
                int o = (y * w + x) * 3;
                if (adobeTransform == NO_ADOBE) {
                    out[o] = (byte) mul(255 - c, 255 - k);
                    out[o + 1] = (byte) mul(255 - m, 255 - k);
                    out[o + 2] = (byte) mul(255 - ye, 255 - k);
                    continue;
                }
                if (adobeTransform == 2) {
                    // YCCK: Y, Cb, Cr of the inverted C, M, Y (libjpeg's YCC→RGB, then inverted)
                    double yy = c;
                    double cb = m - 128.0;
                    double cr = ye - 128.0;
                    c = 255 - clamp(yy + 1.402 * cr);
                    m = 255 - clamp(yy - 0.344136 * cb - 0.714136 * cr);
                    ye = 255 - clamp(yy + 1.772 * cb);
                }
                out[o] = (byte) mul(c, k);
                out[o + 1] = (byte) mul(m, k);
                out[o + 2] = (byte) mul(ye, k);
            }
        }
        return new RgbImage(w, h, out);
    }

    private static int mul(int a, int b) {
        return (a * b + 127) / 255;
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
