package io.streamtune.ingest.bulk;

/**
 * Decodes COCO run-length masks: runs over pixels in column-major order, alternating background and
 * foreground, starting with background. {@code counts} comes as a list of run lengths or as COCO's
 * compact string (each count, from the third on as the difference to the one two before, in
 * little-endian 5-bit groups with a continuation bit, sign-extended from the last group, each group
 * + 48 as ASCII).
 */
final class CocoRle {

    private CocoRle() {}

    /** Row-major 0/1 mask from uncompressed run lengths. */
    static byte[] decode(int[] runs, int height, int width) {
        long total = 0;
        for (int r : runs) {
            if (r < 0) {
                throw new IllegalArgumentException("negative run length in RLE");
            }
            total += r;
        }
        if (total != (long) height * width) {
            throw new IllegalArgumentException(
                    "RLE covers " + total + " pixels, mask has " + (long) height * width);
        }
        byte[] mask = new byte[height * width];
        int position = 0;
        for (int i = 0; i < runs.length; i++) {
            if ((i & 1) == 1) {
                for (int k = 0; k < runs[i]; k++) {
                    int p = position + k;
                    mask[(p % height) * width + p / height] = 1;
                }
            }
            position += runs[i];
        }
        return mask;
    }

    /** Run lengths from COCO's compact string. */
    static int[] parseCompressed(String s) {
        int[] runs = new int[Math.max(4, s.length())];
        int n = 0;
        int p = 0;
        while (p < s.length()) {
            long x = 0;
            int shift = 0;
            int group;
            do {
                if (p >= s.length()) {
                    throw new IllegalArgumentException("RLE string ends inside a count");
                }
                group = s.charAt(p++) - 48;
                if (group < 0 || group > 63) {
                    throw new IllegalArgumentException("invalid character in RLE string");
                }
                x |= (long) (group & 0x1F) << shift;
                shift += 5;
                if (shift > 60) {
                    throw new IllegalArgumentException("RLE count too long");
                }
            } while ((group & 0x20) != 0);
            if ((group & 0x10) != 0) {
                x |= -1L << shift;
            }
            if (n > 2) {
                x += runs[n - 2];
            }
            if (x < 0 || x > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("invalid run length " + x + " in RLE string");
            }
            runs[n++] = (int) x;
        }
        return java.util.Arrays.copyOf(runs, n);
    }
}
