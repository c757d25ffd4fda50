package io.streamtune.vision.preprocess;

import io.streamtune.vision.image.RgbImage;
import java.nio.FloatBuffer;
import java.util.Objects;

/**
 * Pure pixel operations: resizing through a {@link ResizeTransform} and conversion to normalized
 * CHW floats.
 */
public final class ImageOps {

    private static final int BITS = 11;
    private static final int ONE = 1 << BITS;
    private static final int HALF = 1 << (2 * BITS - 1);

    private ImageOps() {}

    /** Plain bilinear resize to {@code width × height}. */
    public static RgbImage resize(RgbImage source, int width, int height) {
        return warp(
                source, ResizeTransform.stretch(source.width(), source.height(), width, height), 0);
    }

    /**
     * Aspect-preserving resize to {@code width × height}, padded with {@code padValue} (0..255).
     */
    public static Letterboxed letterbox(RgbImage source, int width, int height, int padValue) {
        ResizeTransform t =
                ResizeTransform.letterbox(source.width(), source.height(), width, height);
        return new Letterboxed(warp(source, t, padValue), t);
    }

    /**
     * Renders {@code source} into the transform's input frame with bilinear sampling (half-pixel
     * centres, edge clamped); input pixels outside the content area get {@code padValue}.
     */
    public static RgbImage warp(RgbImage source, ResizeTransform t, int padValue) {
        Objects.requireNonNull(t, "transform");
        if (t.sourceWidth() != source.width() || t.sourceHeight() != source.height()) {
            throw new IllegalArgumentException(
                    "transform is for "
                            + t.sourceWidth()
                            + "x"
                            + t.sourceHeight()
                            + ", image is "
                            + source.width()
                            + "x"
                            + source.height());
        }
        if (padValue < 0 || padValue > 255) {
            throw new IllegalArgumentException("padValue must be in 0..255: " + padValue);
        }
        int outW = t.inputWidth();
        int outH = t.inputHeight();
        int srcW = source.width();
        int srcH = source.height();
        byte[] src = source.pixels();
        byte[] out = new byte[outW * outH * 3];
        int x0 = (int) t.padX();
        int y0 = (int) t.padY();
        int x1 = Math.min(outW, x0 + t.contentWidth());
        int y1 = Math.min(outH, y0 + t.contentHeight());
        if (padValue != 0) {
            java.util.Arrays.fill(out, (byte) padValue);
        }
        if (t.scaleX() == 1 && t.scaleY() == 1 && t.padX() == x0 && t.padY() == y0) {
            // Pure translation (the source already has the content's size, e.g. decoded at a
            // reduced scale): bilinear taps fall on pixel centres, so rows copy unchanged.
            int rowBytes = (x1 - x0) * 3;
            for (int y = y0; y < y1; y++) {
                System.arraycopy(src, (y - y0) * srcW * 3, out, (y * outW + x0) * 3, rowBytes);
            }
            return new RgbImage(outW, outH, out);
        }
        // Horizontal taps are the same for every row: compute them once. Weights are fixed-point
        // with
        // 11 fractional bits, so a 2D tap is exact in an int and rounding is one shift.
        int n = x1 - x0;
        int[] left = new int[n];
        int[] right = new int[n];
        int[] wx = new int[n];
        for (int i = 0; i < n; i++) {
            double sx = (x0 + i + 0.5 - t.padX()) / t.scaleX() - 0.5;
            sx = Math.max(0, Math.min(srcW - 1, sx));
            int l = (int) Math.floor(sx);
            left[i] = l * 3;
            right[i] = Math.min(srcW - 1, l + 1) * 3;
            wx[i] = (int) Math.round((sx - l) * ONE);
        }
        for (int y = y0; y < y1; y++) {
            double sy = (y + 0.5 - t.padY()) / t.scaleY() - 0.5;
            sy = Math.max(0, Math.min(srcH - 1, sy));
            int top = (int) Math.floor(sy);
            int bottom = Math.min(srcH - 1, top + 1);
            int fy = (int) Math.round((sy - top) * ONE);
            int gy = ONE - fy;
            int rowTop = top * srcW * 3;
            int rowBottom = bottom * srcW * 3;
            int o = (y * outW + x0) * 3;
            for (int i = 0; i < n; i++) {
                int tl = rowTop + left[i];
                int tr = rowTop + right[i];
                int bl = rowBottom + left[i];
                int br = rowBottom + right[i];
                int fx = wx[i];
                int gx = ONE - fx;
                for (int c = 0; c < 3; c++) {
                    int upper = (src[tl + c] & 0xFF) * gx + (src[tr + c] & 0xFF) * fx;
                    int lower = (src[bl + c] & 0xFF) * gx + (src[br + c] & 0xFF) * fx;
                    out[o++] = (byte) ((upper * gy + lower * fy + HALF) >>> (2 * BITS));
                }
            }
        }
        return new RgbImage(outW, outH, out);
    }

    /**
     * Writes the image as normalized planar floats ({@code [planes, H, W]}, planes in {@code
     * order}) into {@code dst} starting at {@code offset}.
     */
    public static void toChw(
            RgbImage image, ChannelOrder order, Normalization norm, float[] dst, int offset) {
        int plane = image.width() * image.height();
        if (offset < 0 || (long) offset + (long) order.planes() * plane > dst.length) {
            throw new IllegalArgumentException(
                    "destination too small for "
                            + (long) order.planes() * plane
                            + " floats at "
                            + offset);
        }
        byte[] px = image.pixels();
        if (order == ChannelOrder.GRAY) {
            double mean = norm.mean().get(0);
            double std = norm.std().get(0);
            for (int i = 0, p = 0; i < plane; i++, p += 3) {
                double luma =
                        0.299 * (px[p] & 0xFF)
                                + 0.587 * (px[p + 1] & 0xFF)
                                + 0.114 * (px[p + 2] & 0xFF);
                dst[offset + i] = (float) ((luma / 255.0 - mean) / std);
            }
            return;
        }
        float[][] lut = lookupTables(norm);
        for (int c = 0; c < 3; c++) {
            int sourceChannel = order == ChannelOrder.RGB ? c : 2 - c;
            float[] table = lut[sourceChannel];
            int o = offset + c * plane;
            for (int i = 0, p = sourceChannel; i < plane; i++, p += 3) {
                dst[o + i] = table[px[p] & 0xFF];
            }
        }
    }

    /**
     * A new {@code [planes, H, W]} array, see {@link #toChw(RgbImage, ChannelOrder, Normalization,
     * float[], int)}.
     */
    public static float[] toChw(RgbImage image, ChannelOrder order, Normalization norm) {
        float[] out = new float[order.planes() * image.width() * image.height()];
        toChw(image, order, norm, out, 0);
        return out;
    }

    /** Concatenates equally sized per-image arrays into one NCHW array. */
    public static float[] pack(float[][] images) {
        if (images.length == 0) {
            throw new IllegalArgumentException("empty batch");
        }
        int each = images[0].length;
        float[] out = new float[Math.multiplyExact(each, images.length)];
        for (int i = 0; i < images.length; i++) {
            if (images[i].length != each) {
                throw new IllegalArgumentException(
                        "image " + i + " has " + images[i].length + " floats, image 0 has " + each);
            }
            System.arraycopy(images[i], 0, out, i * each, each);
        }
        return out;
    }

    /**
     * Like {@link #pack(float[][])} into a direct buffer in native order, as ONNX Runtime prefers.
     */
    public static FloatBuffer packDirect(float[][] images) {
        float[] flat = pack(images);
        FloatBuffer buffer =
                java.nio.ByteBuffer.allocateDirect(flat.length * Float.BYTES)
                        .order(java.nio.ByteOrder.nativeOrder())
                        .asFloatBuffer();
        buffer.put(flat).flip();
        return buffer;
    }

    private static float[][] lookupTables(Normalization norm) {
        float[][] lut = new float[3][256];
        for (int c = 0; c < 3; c++) {
            double mean = norm.mean().get(c);
            double std = norm.std().get(c);
            for (int v = 0; v < 256; v++) {
                lut[c][v] = (float) ((v / 255.0 - mean) / std);
            }
        }
        return lut;
    }
}
