package io.streamtune.vision.decode;

import io.streamtune.contracts.Box;
import io.streamtune.vision.decode.YoloDetectionDecoder.Candidate;
import io.streamtune.vision.decode.YoloDetectionDecoder.Layout;
import io.streamtune.vision.mask.Rle;
import io.streamtune.vision.preprocess.ResizeTransform;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Decodes YOLOv8-seg outputs — {@code output0} {@code [1, 4 + nc + nm, N]} (boxes, class scores,
 * mask coefficients) and {@code output1} prototypes {@code [1, nm, h, w]} — into instances with
 * masks in source-image pixels. One row per instance is read too: YOLO26-seg's final detections
 * {@code [1, N, 6 + nm]} (x1, y1, x2, y2, score, class id, coefficients; when the model says it is
 * end-to-end or the class count rules out the others) and YOLOv5-seg's {@code [1, N, 5 + nc + nm]}
 * (objectness × class probability).
 *
 * <p>Detections are decoded exactly as by {@link YoloDetectionDecoder}. Each kept instance's mask
 * is {@code sigmoid(coefficients · prototypes)} at prototype resolution, sampled bilinearly at the
 * centre of every source pixel inside the instance's box (through the {@link ResizeTransform}, so
 * letterbox padding is undone), and thresholded; pixels outside the box are background.
 */
public final class YoloSegmentationDecoder {

    private final YoloDetectionDecoder detections;
    private final float maskThreshold;

    public YoloSegmentationDecoder(DetectionOptions options, float maskThreshold) {
        this.detections = new YoloDetectionDecoder(options);
        if (!(maskThreshold > 0 && maskThreshold < 1)) {
            throw new IllegalArgumentException("maskThreshold must be in (0, 1): " + maskThreshold);
        }
        this.maskThreshold = maskThreshold;
    }

    /** Ultralytics' threshold of 0.5. */
    public YoloSegmentationDecoder(DetectionOptions options) {
        this(options, 0.5f);
    }

    /**
     * Decodes image {@code batchIndex}; {@code labels} may be empty (labels are then the ids as
     * text); {@code endToEnd} when the model's metadata says {@code output0} is final detections
     * ({@link io.streamtune.vision.model.ModelSpec#endToEnd()}).
     */
    public List<InstanceMask> decode(
            float[] output0,
            long[] shape0,
            float[] protos,
            long[] protoShape,
            int batchIndex,
            List<String> labels,
            ResizeTransform transform,
            boolean endToEnd) {
        Objects.requireNonNull(transform, "transform");
        if (protoShape.length != 4) {
            throw new IllegalArgumentException(
                    "expected prototypes [N, nm, h, w], got " + Arrays.toString(protoShape));
        }
        int nm = (int) protoShape[1];
        int ph = (int) protoShape[2];
        int pw = (int) protoShape[3];
        if (protoShape[0] * nm * ph * pw != protos.length) {
            throw new IllegalArgumentException(
                    "prototype shape "
                            + Arrays.toString(protoShape)
                            + " does not match "
                            + protos.length
                            + " values");
        }
        if (batchIndex < 0 || batchIndex >= protoShape[0]) {
            throw new IllegalArgumentException(
                    "batch index " + batchIndex + " outside prototypes batch " + protoShape[0]);
        }
        int protoIndex = batchIndex;
        int r = shape0.length;
        if (rowPerInstance(shape0, labels.size(), nm, endToEnd)) {
            // one row per instance: YOLO26-seg's final detections [B, N, 6 + nm] or YOLOv5-seg's
            // [B, N, 5 + nc + nm]; read as the rows-first layout below
            boolean finalRows = shape0[r - 1] == 6 + nm && (endToEnd || labels.size() > 2);
            output0 =
                    finalRows
                            ? YoloDetectionDecoder.fromFinal(
                                    output0, shape0, batchIndex, labels.size(), nm)
                            : YoloDetectionDecoder.rowsFirst(
                                    output0, shape0, batchIndex, labels.size(), nm);
            long n = shape0[r - 2];
            shape0 = new long[] {1, output0.length / n, n};
            batchIndex = 0;
        }
        Layout layout = Layout.of(output0, shape0, batchIndex);
        int nc = layout.rows() - 4 - nm;
        List<Candidate> kept = detections.candidates(output0, layout, nc, labels, transform);
        int protoBase = protoIndex * nm * ph * pw;
        List<InstanceMask> out = new ArrayList<>(kept.size());
        float[] coefficients = new float[nm];
        for (Candidate c : kept) {
            for (int k = 0; k < nm; k++) {
                coefficients[k] = output0[layout.index(4 + nc + k, c.anchor())];
            }
            out.add(
                    new InstanceMask(
                            c.detection(),
                            mask(
                                    c.detection().box(),
                                    coefficients,
                                    protos,
                                    protoBase,
                                    ph,
                                    pw,
                                    transform)));
        }
        return out;
    }

    /**
     * Decodes image {@code batchIndex} of a detector that answers with one probability mask per
     * detection (torchvision's Mask R-CNN): {@code finals} are its detections as final rows {@code
     * [B, N, 6]} ({@link io.streamtune.vision.pipeline.DetectionOutput}), {@code masks} {@code [B,
     * N, 1, h, w]} or {@code [B, N, h, w]} probabilities over the model input. Each kept
     * detection's mask is sampled at the source pixels inside its box as prototype masks are, and
     * thresholded.
     */
    public List<InstanceMask> decodePerInstance(
            float[] finals,
            long[] finalShape,
            float[] masks,
            long[] maskShape,
            int batchIndex,
            List<String> labels,
            ResizeTransform transform) {
        Objects.requireNonNull(transform, "transform");
        int r = maskShape.length;
        if (r < 4 || finalShape.length != 3 || maskShape[1] != finalShape[1]) {
            throw new IllegalArgumentException(
                    "expected masks [B, N, (1,) h, w] for detections "
                            + Arrays.toString(finalShape)
                            + ", got "
                            + Arrays.toString(maskShape));
        }
        int n = (int) finalShape[1];
        if (n == 0) {
            return List.of();
        }
        int ph = (int) maskShape[r - 2];
        int pw = (int) maskShape[r - 1];
        int plane = ph * pw;
        if ((long) maskShape[0] * n * plane != masks.length) {
            throw new IllegalArgumentException(
                    "mask shape " + Arrays.toString(maskShape) + " does not match its values");
        }
        float[] rows =
                YoloDetectionDecoder.fromFinal(finals, finalShape, batchIndex, labels.size(), 0);
        Layout layout = Layout.of(rows, new long[] {1, rows.length / n, n}, 0);
        List<Candidate> kept =
                detections.candidates(rows, layout, layout.rows() - 4, labels, transform);
        List<InstanceMask> out = new ArrayList<>(kept.size());
        float[] logits = new float[plane];
        float[] one = {1f};
        for (Candidate c : kept) {
            int base = (batchIndex * n + c.anchor()) * plane;
            for (int i = 0; i < plane; i++) {
                // as a one-prototype logit map, so sampling and threshold are the shared ones
                double p = Math.max(1e-6, Math.min(1 - 1e-6, masks[base + i]));
                logits[i] = (float) Math.log(p / (1 - p));
            }
            out.add(
                    new InstanceMask(
                            c.detection(),
                            mask(c.detection().box(), one, logits, 0, ph, pw, transform)));
        }
        return out;
    }

    /**
     * Whether {@code output0} has one row per instance rather than one row per value: by the
     * model's end-to-end flag, else by the configured class count, else by having more instances
     * than values.
     */
    static boolean rowPerInstance(long[] shape, int classes, int nm, boolean endToEnd) {
        int r = shape.length;
        if (r < 2) {
            return false;
        }
        long rows = shape[r - 2];
        long cols = shape[r - 1];
        if (endToEnd) {
            return cols == 6 + nm;
        }
        if (classes > 0) {
            return rows != classes + 4 + nm
                    && (cols == classes + 5 + nm || cols == classes + 4 + nm || cols == 6 + nm);
        }
        // a row per instance holds a box, a score and the coefficients at least
        return rows > cols && cols >= 5 + nm;
    }

    private Rle mask(
            Box box,
            float[] coefficients,
            float[] protos,
            int base,
            int ph,
            int pw,
            ResizeTransform t) {
        int sw = t.sourceWidth();
        int sh = t.sourceHeight();
        double gx = (double) pw / t.inputWidth();
        double gy = (double) ph / t.inputHeight();
        // Source pixels whose centres lie inside the box.
        int x0 = Math.max(0, (int) Math.ceil(box.x() - 0.5));
        int x1 = Math.min(sw - 1, (int) Math.floor(box.x2() - 0.5));
        int y0 = Math.max(0, (int) Math.ceil(box.y() - 0.5));
        int y1 = Math.min(sh - 1, (int) Math.floor(box.y2() - 0.5));
        if (x0 > x1 || y0 > y1) {
            return Rle.encodeWindow(new byte[0], 0, 0, 0, 0, sw, sh);
        }
        int ww = x1 - x0 + 1;
        byte[] mask = new byte[ww * (y1 - y0 + 1)];
        // Prototype cells that bilinear sampling of those centres can touch.
        int px0 = clamp((int) Math.floor(t.toInputX(x0 + 0.5) * gx - 0.5), pw);
        int px1 = clamp((int) Math.floor(t.toInputX(x1 + 0.5) * gx - 0.5) + 1, pw);
        int py0 = clamp((int) Math.floor(t.toInputY(y0 + 0.5) * gy - 0.5), ph);
        int py1 = clamp((int) Math.floor(t.toInputY(y1 + 0.5) * gy - 0.5) + 1, ph);
        int rw = px1 - px0 + 1;
        int rh = py1 - py0 + 1;
        float[] prob = new float[rw * rh];
        int plane = ph * pw;
        for (int y = 0; y < rh; y++) {
            for (int x = 0; x < rw; x++) {
                int cell = base + (py0 + y) * pw + (px0 + x);
                double sum = 0;
                for (int k = 0; k < coefficients.length; k++) {
                    sum += coefficients[k] * protos[cell + k * plane];
                }
                prob[y * rw + x] = (float) (1 / (1 + Math.exp(-sum)));
            }
        }
        for (int y = y0; y <= y1; y++) {
            double sy = Math.max(0, Math.min(ph - 1, t.toInputY(y + 0.5) * gy - 0.5));
            int top = (int) Math.floor(sy);
            int bottom = Math.min(ph - 1, top + 1);
            double wy = sy - top;
            for (int x = x0; x <= x1; x++) {
                double sx = Math.max(0, Math.min(pw - 1, t.toInputX(x + 0.5) * gx - 0.5));
                int left = (int) Math.floor(sx);
                int right = Math.min(pw - 1, left + 1);
                double wx = sx - left;
                double a = prob[(top - py0) * rw + (left - px0)];
                double b = prob[(top - py0) * rw + (right - px0)];
                double c = prob[(bottom - py0) * rw + (left - px0)];
                double d = prob[(bottom - py0) * rw + (right - px0)];
                double v = (a + (b - a) * wx) * (1 - wy) + (c + (d - c) * wx) * wy;
                if (v > maskThreshold) {
                    mask[(y - y0) * ww + (x - x0)] = 1;
                }
            }
        }
        return Rle.encodeWindow(mask, x0, y0, ww, y1 - y0 + 1, sw, sh);
    }

    private static int clamp(int v, int size) {
        return Math.max(0, Math.min(size - 1, v));
    }
}
