package io.streamtune.vision.image;

/**
 * The EXIF orientation of a JPEG (tag 0x0112 of the first image directory), and the transform that
 * shows its pixels upright. Phones store the sensor's pixels and say in this tag how to turn them;
 * browsers (and so labelling tools such as Label Studio), OpenCV and Pillow's {@code
 * exif_transpose} show and label the turned image, so streamtune decodes to it too: boxes and masks
 * drawn on a phone photo then fit the pixels the model sees.
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

    /** The orientation a JPEG declares; {@link #UPRIGHT} when none, or for anything not a JPEG. */
    public static int of(byte[] jpeg) {
        try {
            return read(jpeg);
        } catch (RuntimeException e) {
            return UPRIGHT; // a malformed APP1 segment is no reason to refuse the pixels
        }
    }

    private static int read(byte[] b) {
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
