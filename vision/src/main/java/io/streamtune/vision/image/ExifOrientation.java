package io.streamtune.vision.image;

/**
 * The EXIF orientation of a JPEG, PNG ({@code eXIf} chunk) or WebP ({@code EXIF} chunk) — tag
 * 0x0112 of the first image directory — and the transform that shows its pixels upright. Phones
 * store the sensor's pixels and say in this tag how to turn them; browsers (and so labelling tools
 * such as Label Studio), OpenCV and Pillow's {@code exif_transpose} show and label the turned
 * image, so streamtune decodes to it too: boxes and masks drawn on a phone photo then fit the
 * pixels the model sees.
 *
 * <p>Values (EXIF 2.3, TIFF 6.0): 1 upright, 2 mirrored left-right, 3 turned 180°, 4 mirrored
 * top-bottom, 5 transposed (mirror along the main diagonal), 6 turned 90° clockwise to show, 7
 * transversed, 8 turned 90° counter-clockwise to show. Anything unreadable counts as 1.
 */
public final class ExifOrientation {

    /** No change. */
    public static final int UPRIGHT = 1;

    private static final int MAX_SCAN = 1 << 20;

    private ExifOrientation() {}

    /**
     * The orientation a JPEG, PNG or WebP declares; {@link #UPRIGHT} when none, or for any other
     * format.
     */
    public static int of(byte[] jpeg) {
        try {
            return read(jpeg);
        } catch (RuntimeException e) {
            return UPRIGHT; // a malformed APP1 segment is no reason to refuse the pixels
        }
    }

    private static int read(byte[] b) {
        if (b.length >= 8 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            return png(b);
        }
        if (b.length >= 12
                && b[0] == 'R'
                && b[1] == 'I'
                && b[2] == 'F'
                && b[3] == 'F'
                && b[8] == 'W'
                && b[9] == 'E'
                && b[10] == 'B'
                && b[11] == 'P') {
            return webp(b);
        }
        if (b.length < 4 || (b[0] & 0xFF) != 0xFF || (b[1] & 0xFF) != 0xD8) {
            return UPRIGHT;
        }
        int p = 2;
        int end = Math.min(b.length, MAX_SCAN);
        while (p + 4 <= end) {
            if ((b[p] & 0xFF) != 0xFF) {
                return UPRIGHT;
            }
            int marker = b[p + 1] & 0xFF;
            if (marker == 0xFF) {
                p++; // fill byte
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) {
                return UPRIGHT; // start of scan or end of image: no EXIF before the pixels
            }
            int length = ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
            if (length < 2) {
                return UPRIGHT;
            }
            int data = p + 4;
            if (marker == 0xE1
                    && length >= 16
                    && data + 6 <= b.length
                    && b[data] == 'E'
                    && b[data + 1] == 'x'
                    && b[data + 2] == 'i'
                    && b[data + 3] == 'f'
                    && b[data + 4] == 0
                    && b[data + 5] == 0) {
                return tiff(b, data + 6, Math.min(b.length, p + 2 + length));
            }
            p += 2 + length;
        }
        return UPRIGHT;
    }

    /**
     * A PNG's {@code eXIf} chunk (PNG 1.5 extensions; written by Pillow, ExifTool, phones' PNG
     * screenshots): the TIFF structure itself, or after an {@code Exif\0\0} prefix as some writers
     * add. Chunks are walked by their lengths up to the first {@code IDAT}, where the chunk must
     * come before.
     */
    private static int png(byte[] b) {
        int p = 8;
        while (p + 8 <= b.length) {
            long length = u32(b, p, false);
            int type = p + 4;
            int data = p + 8;
            if (length > b.length - data) {
                return UPRIGHT;
            }
            if (is(b, type, "IDAT") || is(b, type, "IEND")) {
                return UPRIGHT;
            }
            if (is(b, type, "eXIf")) {
                return exifPayload(b, data, (int) (data + length));
            }
            p = (int) (data + length + 4); // data and CRC
        }
        return UPRIGHT;
    }

    /**
     * A WebP's {@code EXIF} chunk (extended format, after {@code VP8X}; cwebp {@code -metadata
     * exif}, Pillow, phones): chunks are walked by their little-endian sizes, padded to even.
     */
    private static int webp(byte[] b) {
        int p = 12;
        while (p + 8 <= b.length) {
            long size = u32(b, p + 4, true);
            int data = p + 8;
            if (size > b.length - data) {
                return UPRIGHT;
            }
            if (is(b, p, "EXIF")) {
                return exifPayload(b, data, (int) (data + size));
            }
            p = (int) (data + size + (size & 1));
        }
        return UPRIGHT;
    }

    /** A TIFF structure in {@code b[start, end)}, with or without the {@code Exif\0\0} prefix. */
    private static int exifPayload(byte[] b, int start, int end) {
        if (end - start >= 6 && is(b, start, "Exif") && b[start + 4] == 0 && b[start + 5] == 0) {
            start += 6;
        }
        return end - start >= 8 ? tiff(b, start, end) : UPRIGHT;
    }

    private static boolean is(byte[] b, int at, String fourCc) {
        for (int i = 0; i < 4; i++) {
            if (b[at + i] != fourCc.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Tag 0x0112 of IFD0 of the TIFF structure in {@code b[start, end)}. */
    private static int tiff(byte[] b, int start, int end) {
        boolean little;
        if (b[start] == 'I' && b[start + 1] == 'I') {
            little = true;
        } else if (b[start] == 'M' && b[start + 1] == 'M') {
            little = false;
        } else {
            return UPRIGHT;
        }
        if (u16(b, start + 2, little) != 42) {
            return UPRIGHT;
        }
        long ifd = u32(b, start + 4, little);
        if (ifd < 8 || start + ifd + 2 > end) {
            return UPRIGHT;
        }
        int at = (int) (start + ifd);
        int entries = u16(b, at, little);
        for (int i = 0; i < entries; i++) {
            int e = at + 2 + 12 * i;
            if (e + 12 > end) {
                return UPRIGHT;
            }
            if (u16(b, e, little) == 0x0112) {
                int type = u16(b, e + 2, little);
                // SHORT as written, LONG by a few encoders; the value sits in the first bytes
                int value =
                        type == 3
                                ? u16(b, e + 8, little)
                                : type == 4 ? (int) u32(b, e + 8, little) : 0;
                return value >= 1 && value <= 8 ? value : UPRIGHT;
            }
        }
        return UPRIGHT;
    }

    private static int u16(byte[] b, int i, boolean little) {
        int a = b[i] & 0xFF;
        int c = b[i + 1] & 0xFF;
        return little ? a | (c << 8) : (a << 8) | c;
    }

    private static long u32(byte[] b, int i, boolean little) {
        long v = 0;
        for (int k = 0; k < 4; k++) {
            long x = b[i + k] & 0xFF;
            v |= little ? x << (8 * k) : x << (8 * (3 - k));
        }
        return v;
    }

    /** Whether showing an image of this orientation swaps its width and height. */
    public static boolean swapsAxes(int orientation) {
        return orientation >= 5 && orientation <= 8;
    }

    /** The pixels shown upright: {@code image} itself for {@link #UPRIGHT}. */
    public static RgbImage apply(RgbImage image, int orientation) {
        if (orientation < 2 || orientation > 8) {
            return image;
        }
        int w = image.width();
        int h = image.height();
        boolean swap = swapsAxes(orientation);
        int ow = swap ? h : w;
        int oh = swap ? w : h;
        byte[] src = image.pixels();
        byte[] out = new byte[src.length];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                // source pixel shown at (x, y)
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> {
                        sx = w - 1 - x;
                        sy = y;
                    }
                    case 3 -> {
                        sx = w - 1 - x;
                        sy = h - 1 - y;
                    }
                    case 4 -> {
                        sx = x;
                        sy = h - 1 - y;
                    }
                    case 5 -> {
                        sx = y;
                        sy = x;
                    }
                    case 6 -> {
                        sx = y;
                        sy = h - 1 - x;
                    }
                    case 7 -> {
                        sx = w - 1 - y;
                        sy = h - 1 - x;
                    }
                    default -> { // 8
                        sx = w - 1 - y;
                        sy = x;
                    }
                }
                int s = (sy * w + sx) * 3;
                int d = (y * ow + x) * 3;
                out[d] = src[s];
                out[d + 1] = src[s + 1];
                out[d + 2] = src[s + 2];
            }
        }
        return new RgbImage(ow, oh, out);
    }
}
