package io.streamtune.vision.decode;

import io.streamtune.vision.image.RgbImage;
import io.streamtune.vision.preprocess.ImageOps;
import io.streamtune.vision.preprocess.ResizeTransform;

/**
 * Decodes an image-to-image model's {@code [N, 3, H, W]} RGB output in {@code [0, 1]} into the
 * stylized frame: the part of the output that covers the source image (letterbox padding cut away),
 * at the model's resolution (its longest side), in the source's aspect ratio.
 */
public final class StylizationDecoder {

    private StylizationDecoder() {}

    /** Image {@code index} of the batch; values outside {@code [0, 1]} are clamped. */
    public static RgbImage decode(float[] data, long[] shape, int index, ResizeTransform t) {
        if (shape.length != 4 || shape[1] != 3) {
            throw new IllegalArgumentException(
                    "stylization output must be [N, 3, H, W], was "
                            + java.util.Arrays.toString(shape));
        }
        int h = (int) shape[2], w = (int) shape[3];
        // the output may be another size than the input (a model may up- or down-sample)
        double fx = (double) w / t.inputWidth(), fy = (double) h / t.inputHeight();
        int x0 = clamp((int) Math.round(t.padX() * fx), 0, w - 1);
        int y0 = clamp((int) Math.round(t.padY() * fy), 0, h - 1);
        int cw = clamp((int) Math.round(t.contentWidth() * fx), 1, w - x0);
        int ch = clamp((int) Math.round(t.contentHeight() * fy), 1, h - y0);
        int plane = h * w;
        int base = index * 3 * plane;
        byte[] px = new byte[cw * ch * 3];
        for (int y = 0; y < ch; y++) {
            for (int x = 0; x < cw; x++) {
                int src = (y0 + y) * w + x0 + x;
                int dst = (y * cw + x) * 3;
                for (int c = 0; c < 3; c++) {
                    float v = data[base + c * plane + src];
                    int b = Float.isNaN(v) ? 0 : Math.round(Math.max(0f, Math.min(1f, v)) * 255f);
                    px[dst + c] = (byte) b;
                }
            }
        }
        RgbImage content = new RgbImage(cw, ch, px);
        // back to the source's aspect ratio (a stretched input squeezed it), longest side kept
        int longest = Math.max(cw, ch);
        double aspect = (double) t.sourceWidth() / t.sourceHeight();
        int tw = aspect >= 1 ? longest : Math.max(1, (int) Math.round(longest * aspect));
        int th = aspect >= 1 ? Math.max(1, (int) Math.round(longest / aspect)) : longest;
        return tw == cw && th == ch ? content : ImageOps.resize(content, tw, th);
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
