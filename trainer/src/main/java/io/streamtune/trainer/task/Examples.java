package io.streamtune.trainer.task;

import io.streamtune.vision.image.RgbImage;
import io.streamtune.vision.preprocess.Preprocessor;
import io.streamtune.vision.preprocess.ResizeTransform;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns decoded images and their labels into {@link Example}s with the exact pre-processing the
 * exported model will be served with (vision's {@link Preprocessor}), mapping masks and boxes by
 * the same resize transform.
 */
public final class Examples {

    private Examples() {}

    public static Example classification(Preprocessor p, RgbImage image, int classId) {
        return Example.classified(p.apply(image).input(), classId);
    }

    /**
     * {@code mask}: source-size class ids, row-major; pixels outside the content (letterbox) are
     * ignored.
     */
    public static Example segmentation(Preprocessor p, RgbImage image, int[] mask) {
        Preprocessor.Preprocessed pre = p.apply(image);
        ResizeTransform t = pre.transform();
        int w = t.inputWidth(), h = t.inputHeight();
        int[] out = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double sx = (x + 0.5 - t.padX()) / t.scaleX();
                double sy = (y + 0.5 - t.padY()) / t.scaleY();
                int ix = (int) Math.floor(sx), iy = (int) Math.floor(sy);
                out[y * w + x] =
                        ix < 0 || iy < 0 || ix >= image.width() || iy >= image.height()
                                ? SegmentationHead.IGNORE
                                : mask[iy * image.width() + ix];
            }
        }
        return Example.segmented(pre.input(), out);
    }

    /** {@code boxes}: {@code {x, y, width, height, classId}} in source pixels. */
    public static Example detection(Preprocessor p, RgbImage image, List<double[]> boxes) {
        Preprocessor.Preprocessed pre = p.apply(image);
        ResizeTransform t = pre.transform();
        List<float[]> out = new ArrayList<>();
        for (double[] b : boxes) {
            out.add(
                    new float[] {
                        (float) (b[0] * t.scaleX() + t.padX()),
                                (float) (b[1] * t.scaleY() + t.padY()),
                        (float) ((b[0] + b[2]) * t.scaleX() + t.padX()),
                                (float) ((b[1] + b[3]) * t.scaleY() + t.padY()),
                        (float) b[4]
                    });
        }
        return Example.detected(pre.input(), out);
    }
}
