package io.streamtune.vision.decode;

import io.streamtune.vision.mask.LabelMap;
import io.streamtune.vision.mask.Rle;
import io.streamtune.vision.preprocess.ResizeTransform;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Decodes semantic segmentation outputs — logits {@code [N, C, H, W]}, or class ids {@code [N, H,
 * W]} from models that argmax inside the graph — into a label map in source-image pixels.
 *
 * <p>The argmax runs at the output's resolution (ties go to the lower class id); each source pixel
 * then takes the class of the output pixel under its centre (nearest neighbour), mapped through the
 * {@link ResizeTransform} so letterbox padding is undone. Outputs smaller than the model input
 * (stride-s heads) are handled by scaling input coordinates to the output grid.
 */
public final class SemanticSegmentationDecoder {

    private SemanticSegmentationDecoder() {}

    /**
     * Argmax over classes of one image of {@code [N, C, H, W]} logits, at the logits' resolution.
     */
    public static LabelMap argmax(float[] data, long[] shape, int batchIndex) {
        if (shape.length == 3) {
            return classIds(data, shape, batchIndex);
        }
        if (shape.length != 4) {
            throw new IllegalArgumentException(
                    "expected [N, C, H, W] or [N, H, W], got " + Arrays.toString(shape));
        }
        int n = (int) shape[0];
        int c = (int) shape[1];
        int h = (int) shape[2];
        int w = (int) shape[3];
        checkSize(data, shape, batchIndex, n);
        int plane = h * w;
        int base = batchIndex * c * plane;
        int[] labels = new int[plane];
        float[] best = Arrays.copyOfRange(data, base, base + plane);
        for (int k = 1; k < c; k++) {
            int o = base + k * plane;
            for (int i = 0; i < plane; i++) {
                float v = data[o + i];
                if (v > best[i]) {
                    best[i] = v;
                    labels[i] = k;
                }
            }
        }
        return new LabelMap(w, h, labels);
    }

    private static LabelMap classIds(float[] data, long[] shape, int batchIndex) {
        int n = (int) shape[0];
        int h = (int) shape[1];
        int w = (int) shape[2];
        checkSize(data, shape, batchIndex, n);
        int plane = h * w;
        int[] labels = new int[plane];
        for (int i = 0; i < plane; i++) {
            labels[i] = Math.round(data[batchIndex * plane + i]);
        }
        return new LabelMap(w, h, labels);
    }

    private static void checkSize(float[] data, long[] shape, int batchIndex, int n) {
        long expected = 1;
        for (long d : shape) {
            expected *= d;
        }
        if (expected != data.length) {
            throw new IllegalArgumentException(
                    "shape "
                            + Arrays.toString(shape)
                            + " does not match "
                            + data.length
                            + " values");
        }
        if (batchIndex < 0 || batchIndex >= n) {
            throw new IllegalArgumentException(
                    "batch index " + batchIndex + " outside batch of " + n);
        }
    }

    /**
     * Maps an output-resolution label map back to the source image (nearest neighbour, letterbox
     * undone).
     */
    public static LabelMap toSource(LabelMap output, ResizeTransform t) {
        int sw = t.sourceWidth();
        int sh = t.sourceHeight();
        double gx = (double) output.width() / t.inputWidth();
        double gy = (double) output.height() / t.inputHeight();
        int[] columns = new int[sw];
        for (int x = 0; x < sw; x++) {
            int ox = (int) Math.floor(t.toInputX(x + 0.5) * gx);
            columns[x] = Math.max(0, Math.min(output.width() - 1, ox));
        }
        int[] labels = new int[sw * sh];
        for (int y = 0; y < sh; y++) {
            int oy = (int) Math.floor(t.toInputY(y + 0.5) * gy);
            oy = Math.max(0, Math.min(output.height() - 1, oy));
            int row = oy * output.width();
            int o = y * sw;
            for (int x = 0; x < sw; x++) {
                labels[o + x] = output.labels()[row + columns[x]];
            }
        }
        return new LabelMap(sw, sh, labels);
    }

    /**
     * Full decode of one image: argmax, back to source pixels, one RLE mask and area per class
     * present.
     *
     * @param labels class names by id; may be empty, then labels are the class ids as text
     */
    public static SemanticSegmentation decode(
            float[] data,
            long[] shape,
            int batchIndex,
            ResizeTransform transform,
            List<String> labels) {
        LabelMap source = toSource(argmax(data, shape, batchIndex), transform);
        List<ClassMask> classes = new ArrayList<>();
        for (Map.Entry<Integer, Rle> e : source.rles().entrySet()) {
            int id = e.getKey();
            if (!labels.isEmpty() && (id < 0 || id >= labels.size())) {
                throw new IllegalArgumentException(
                        "model predicted class " + id + " but has " + labels.size() + " labels");
            }
            String label = labels.isEmpty() ? Integer.toString(id) : labels.get(id);
            classes.add(new ClassMask(id, label, e.getValue().area(), e.getValue()));
        }
        return new SemanticSegmentation(source, classes);
    }
}
