package io.streamtune.vision.mask;

import java.util.Arrays;
import java.util.Objects;

/**
 * A binary mask as COCO run-length encoding: runs over the pixels in column-major order (down the
 * first column, then the next), alternating background and foreground, starting with background (a
 * leading 0 when the first pixel is foreground). {@code size} is {@code [height, width]} as in
 * COCO.
 *
 * <p>{@link #toCompressedString()} gives the compact string form pycocotools uses in JSON ({@code
 * counts} as a string); {@link #counts()} is the uncompressed form ({@code counts} as a list).
 */
public record Rle(int height, int width, int[] counts) {

    public Rle {
        if (height < 0 || width < 0) {
            throw new IllegalArgumentException(
                    "size must not be negative: " + height + "x" + width);
        }
        Objects.requireNonNull(counts, "counts");
        counts = counts.clone();
        long total = 0;
        for (int c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException(
                        "run lengths must not be negative: " + Arrays.toString(counts));
            }
            total += c;
        }
        if (total != (long) height * width) {
            throw new IllegalArgumentException(
                    "runs cover " + total + " pixels, mask has " + (long) height * width);
        }
    }

    /** Encodes a row-major mask ({@code mask[y * width + x]}, non-zero = foreground). */
    public static Rle encode(byte[] mask, int width, int height) {
        if (mask.length != (long) width * height) {
            throw new IllegalArgumentException(
                    "mask has " + mask.length + " values, expected " + (long) width * height);
        }
        return encode(i -> mask[i] != 0, width, height);
    }

    /** Encodes the pixels of a row-major label map that equal {@code classId}. */
    public static Rle encode(int[] labels, int width, int height, int classId) {
        if (labels.length != (long) width * height) {
            throw new IllegalArgumentException(
                    "labels have " + labels.length + " values, expected " + (long) width * height);
        }
        return encode(i -> labels[i] == classId, width, height);
    }

    /**
     * Encodes a mask that is background everywhere except possibly inside a window: {@code window}
     * is row-major {@code windowWidth × windowHeight} with its top-left pixel at ({@code left},
     * {@code top}) of a {@code width × height} image. Costs O(width + window area) instead of
     * O(width × height).
     */
    public static Rle encodeWindow(
            byte[] window,
            int left,
            int top,
            int windowWidth,
            int windowHeight,
            int width,
            int height) {
        if (left < 0
                || top < 0
                || windowWidth < 0
                || windowHeight < 0
                || left + windowWidth > width
                || top + windowHeight > height) {
            throw new IllegalArgumentException(
                    "window "
                            + windowWidth
                            + "x"
                            + windowHeight
                            + " at "
                            + left
                            + ","
                            + top
                            + " is not inside "
                            + width
                            + "x"
                            + height);
        }
        if (window.length != windowWidth * windowHeight) {
            throw new IllegalArgumentException(
                    "window has "
                            + window.length
                            + " values, expected "
                            + windowWidth * windowHeight);
        }
        int[] runs = new int[16];
        int n = 0;
        boolean current = false;
        long run = 0;
        for (int x = 0; x < width; x++) {
            if (x < left || x >= left + windowWidth) {
                if (current) {
                    if (n + 1 >= runs.length) {
                        runs = Arrays.copyOf(runs, runs.length * 2);
                    }
                    runs[n++] = (int) run;
                    run = 0;
                    current = false;
                }
                run += height;
                continue;
            }
            for (int y = 0; y < height; y++) {
                boolean v =
                        y >= top
                                && y < top + windowHeight
                                && window[(y - top) * windowWidth + (x - left)] != 0;
                if (v != current) {
                    if (n + 1 >= runs.length) {
                        runs = Arrays.copyOf(runs, runs.length * 2);
                    }
                    runs[n++] = (int) run;
                    run = 0;
                    current = v;
                }
                run++;
            }
        }
        if (n >= runs.length) {
            runs = Arrays.copyOf(runs, n + 1);
        }
        runs[n++] = (int) run;
        return new Rle(height, width, Arrays.copyOf(runs, n));
    }

    private interface RowMajorMask {
        boolean at(int rowMajorIndex);
    }

    private static Rle encode(RowMajorMask mask, int width, int height) {
        int[] runs = new int[16];
        int n = 0;
        boolean current = false;
        int run = 0;
        for (int x = 0; x < width; x++) {
            for (int y = 0; y < height; y++) {
                boolean v = mask.at(y * width + x);
                if (v != current) {
                    if (n == runs.length) {
                        runs = Arrays.copyOf(runs, n * 2);
                    }
                    runs[n++] = run;
                    run = 0;
                    current = v;
                }
                run++;
            }
        }
        if (n == runs.length) {
            runs = Arrays.copyOf(runs, n + 1);
        }
        runs[n++] = run;
        return new Rle(height, width, Arrays.copyOf(runs, n));
    }

    /** Run lengths, a copy. */
    @Override
    public int[] counts() {
        return counts.clone();
    }

    /** Number of foreground pixels. */
    public long area() {
        long area = 0;
        for (int i = 1; i < counts.length; i += 2) {
            area += counts[i];
        }
        return area;
    }

    /** The mask as row-major 0/1 bytes. */
    public byte[] decode() {
        byte[] mask = new byte[Math.multiplyExact(height, width)];
        int position = 0;
        for (int i = 0; i < counts.length; i++) {
            boolean foreground = (i & 1) == 1;
            for (int k = 0; k < counts[i]; k++, position++) {
                if (foreground) {
                    int x = position / height;
                    int y = position % height;
                    mask[y * width + x] = 1;
                }
            }
        }
        return mask;
    }

    /**
     * COCO's compressed string: each count (from the third on, as the difference to the count two
     * before) written as little-endian 5-bit groups with a continuation bit, sign-extended from the
     * last group, each group offset by 48 into printable ASCII.
     */
    public String toCompressedString() {
        StringBuilder out = new StringBuilder(counts.length * 2);
        for (int i = 0; i < counts.length; i++) {
            long x = counts[i];
            if (i > 2) {
                x -= counts[i - 2];
            }
            boolean more = true;
            while (more) {
                int group = (int) (x & 0x1F);
                x >>= 5;
                more = (group & 0x10) != 0 ? x != -1 : x != 0;
                if (more) {
                    group |= 0x20;
                }
                out.append((char) (group + 48));
            }
        }
        return out.toString();
    }

    /**
     * Parses {@link #toCompressedString()}'s form, e.g. a COCO annotation's string {@code counts}.
     */
    public static Rle fromCompressedString(String counts, int height, int width) {
        int[] runs = new int[Math.max(4, counts.length())];
        int n = 0;
        int p = 0;
        while (p < counts.length()) {
            long x = 0;
            int shift = 0;
            boolean more = true;
            int group = 0;
            while (more) {
                if (p >= counts.length()) {
                    throw new IllegalArgumentException("RLE string ends inside a count: " + counts);
                }
                group = counts.charAt(p++) - 48;
                if (group < 0 || group > 63) {
                    throw new IllegalArgumentException(
                            "invalid character in RLE string: " + counts);
                }
                x |= (long) (group & 0x1F) << shift;
                more = (group & 0x20) != 0;
                shift += 5;
                if (shift > 60) {
                    throw new IllegalArgumentException("RLE count too long: " + counts);
                }
            }
            if ((group & 0x10) != 0) {
                x |= -1L << shift;
            }
            if (n > 2) {
                x += runs[n - 2];
            }
            if (x < 0 || x > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(
                        "invalid run length " + x + " in RLE string: " + counts);
            }
            runs[n++] = (int) x;
        }
        return new Rle(height, width, Arrays.copyOf(runs, n));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Rle other
                && height == other.height
                && width == other.width
                && Arrays.equals(counts, other.counts);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * height + width) + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "Rle[size=" + height + "x" + width + ", counts=" + toCompressedString() + "]";
    }
}
