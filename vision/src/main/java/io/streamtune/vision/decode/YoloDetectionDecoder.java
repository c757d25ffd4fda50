package io.streamtune.vision.decode;

import io.streamtune.contracts.Box;
import io.streamtune.vision.preprocess.ResizeTransform;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Decodes the YOLOv8/YOLO11 detection layout {@code [1, 4 + nc, N]} — per anchor cx, cy, w, h in
 * model-input pixels followed by {@code nc} class scores in 0..1 — into detections in source-image
 * pixels. The anchors-first layout of YOLOv5, YOLOv7 and YOLOX exports, {@code [1, N, 5 + nc]} with
 * an objectness score after the box (a class's score is objectness × class probability), is read
 * too: an output with more rows than columns is anchors-first, with objectness when it has {@code 5
 * + nc} columns for the configured classes (or when no classes are configured), else {@code 4 +
 * nc}. Final detections, {@code [1, N, 6]} rows of x1, y1, x2, y2, score, class id (YOLOv10 and
 * YOLO26, and exports with NMS in the graph), are read when the model says so ({@link
 * io.streamtune.vision.model.ModelSpec#endToEnd()}) or when six columns cannot be boxes and class
 * scores for the configured classes (more than two); rows with a class id outside the classes are
 * padding and skipped. Boxes may be in input pixels or, as RT-DETR and TFLite-style exports give
 * them, fractions of the input ({@link #normalised}).
 *
 * <p>Each anchor is one candidate with its best class (Ultralytics' single-label mode); candidates
 * below the score threshold are dropped, class-aware NMS runs in input space, survivors are mapped
 * back through the {@link ResizeTransform}, clipped to the source image, and those left with zero
 * area are dropped. Immutable and thread-safe.
 */
public final class YoloDetectionDecoder {

    private final DetectionOptions options;

    public YoloDetectionDecoder(DetectionOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    public DetectionOptions options() {
        return options;
    }

    /**
     * Decodes one image's output.
     *
     * @param data row-major output values
     * @param shape {@code [1, 4 + nc, N]} or {@code [4 + nc, N]}
     * @param labels class names by id; may be empty, then labels are the class ids as text
     * @param transform the transform the image was preprocessed with
     */
    public List<Detection> decode(
            float[] data, long[] shape, List<String> labels, ResizeTransform transform) {
        return decode(data, shape, 0, labels, transform);
    }

    /** Decodes image {@code batchIndex} of a batched {@code [B, 4 + nc, N]} output. */
    public List<Detection> decode(
            float[] data,
            long[] shape,
            int batchIndex,
            List<String> labels,
            ResizeTransform transform) {
        return decode(data, shape, batchIndex, labels, transform, false);
    }

    /**
     * Decodes image {@code batchIndex}; {@code endToEnd} when the model's metadata says its output
     * is final detections ({@link io.streamtune.vision.model.ModelSpec#endToEnd()}).
     */
    public List<Detection> decode(
            float[] data,
            long[] shape,
            int batchIndex,
            List<String> labels,
            ResizeTransform transform,
            boolean endToEnd) {
        if (shape.length >= 2 && shape[shape.length - 2] == 0) {
            return List.of(); // no rows: a model with NMS inside that found nothing
        }
        if (finalDetections(shape, labels.size(), endToEnd)) {
            float[] rows = fromFinal(data, shape, batchIndex, labels.size(), 0);
            long n = shape[shape.length - 2];
            Layout layout = Layout.of(rows, new long[] {1, rows.length / n, n}, 0);
            return decode(rows, layout, layout.rows() - 4, labels, transform);
        }
        if (anchorsFirst(shape, labels.size())) {
            float[] rows = rowsFirst(data, shape, batchIndex, labels.size(), 0);
            long[] rowShape = {1, rows.length / shape[shape.length - 2], shape[shape.length - 2]};
            Layout layout = Layout.of(rows, rowShape, 0);
            return decode(rows, layout, layout.rows() - 4, labels, transform);
        }
        Layout layout = Layout.of(data, shape, batchIndex);
        return decode(data, layout, layout.rows() - 4, labels, transform);
    }

    /**
     * Whether an output is anchors-first (YOLOv5's {@code [B, N, 5 + nc]}): by the configured class
     * count when there is one, else by having more anchors than values per anchor.
     */
    static boolean anchorsFirst(long[] shape, int classes) {
        int r = shape.length;
        if (r < 2) {
            return false;
        }
        long rows = shape[r - 2];
        long cols = shape[r - 1];
        if (classes > 0) {
            return rows != classes + 4 && (cols == classes + 5 || cols == classes + 4);
        }
        return rows > cols;
    }

    /**
     * Whether an output is final detections, {@code [B, N, 6]}: when the model says so, or when six
     * columns cannot be {@code 4 + nc} or {@code 5 + nc} for the configured classes.
     */
    static boolean finalDetections(long[] shape, int classes, boolean endToEnd) {
        int r = shape.length;
        if (r < 2 || shape[r - 1] != 6) {
            return false;
        }
        return endToEnd || classes > 2;
    }

    /**
     * One image of a final-detections output as the rows-first {@code [4 + nc, N]} values: the
     * corners as centre and size, the score in its class's row, zero in the others (so NMS and the
     * mapping back to the source run as for any other layout; rows whose class id is not one of the
     * classes score nowhere). {@code extra} trailing columns per detection (an instance's mask
     * coefficients) follow as rows after the class rows.
     */
    static float[] fromFinal(float[] data, long[] shape, int batchIndex, int classes, int extra) {
        Layout raw = Layout.of(data, shape, batchIndex);
        int n = raw.rows();
        int cols = raw.anchors();
        if (cols != 6 + extra) {
            throw new IllegalArgumentException(
                    "final detections need " + (6 + extra) + " columns, have " + cols);
        }
        int base = raw.offset();
        int nc = classes;
        if (nc == 0) {
            for (int a = 0; a < n; a++) {
                float id = data[base + a * cols + 5];
                if (id >= 0 && id < 1 << 16) {
                    nc = Math.max(nc, Math.round(id) + 1);
                }
            }
            nc = Math.max(nc, 1);
        }
        float[] out = new float[(4 + nc + extra) * n];
        for (int a = 0; a < n; a++) {
            int at = base + a * cols;
            float x1 = data[at];
            float y1 = data[at + 1];
            float x2 = data[at + 2];
            float y2 = data[at + 3];
            out[a] = (x1 + x2) / 2;
            out[n + a] = (y1 + y2) / 2;
            out[2 * n + a] = x2 - x1;
            out[3 * n + a] = y2 - y1;
            float id = data[at + 5];
            int c = Math.round(id);
            if (id >= 0 && c < nc) {
                out[(4 + c) * n + a] = data[at + 4];
            }
            for (int k = 0; k < extra; k++) {
                out[(4 + nc + k) * n + a] = data[at + 6 + k];
            }
        }
        return out;
    }

    /**
     * One image of an anchors-first output as the rows-first {@code [4 + nc, N]} values, objectness
     * (when present) folded into the class scores; {@code extra} trailing columns (mask
     * coefficients) follow as rows after the class rows.
     */
    static float[] rowsFirst(float[] data, long[] shape, int batchIndex, int classes, int extra) {
        // the same checks as rows-first: [B, N, cols] read with N as "rows"
        Layout raw = Layout.of(data, shape, batchIndex);
        int n = raw.rows();
        int cols = raw.anchors();
        boolean objectness = classes == 0 ? cols - extra > 5 : cols == classes + 5 + extra;
        int nc = cols - extra - (objectness ? 5 : 4);
        if (nc <= 0) {
            throw new IllegalArgumentException(
                    "output " + java.util.Arrays.toString(shape) + " has no class columns");
        }
        int base = raw.offset();
        float[] out = new float[(4 + nc + extra) * n];
        for (int a = 0; a < n; a++) {
            int at = base + a * cols;
            for (int k = 0; k < 4; k++) {
                out[k * n + a] = data[at + k];
            }
            float obj = objectness ? data[at + 4] : 1f;
            int first = objectness ? 5 : 4;
            for (int c = 0; c < nc; c++) {
                out[(4 + c) * n + a] = obj * data[at + first + c];
            }
            for (int k = 0; k < extra; k++) {
                out[(4 + nc + k) * n + a] = data[at + first + nc + k];
            }
        }
        return out;
    }

    /** Shared with instance segmentation, where {@code nc} is less than {@code rows - 4}. */
    List<Detection> decode(
            float[] data,
            Layout layout,
            int numClasses,
            List<String> labels,
            ResizeTransform transform) {
        List<Candidate> kept = candidates(data, layout, numClasses, labels, transform);
        List<Detection> out = new ArrayList<>(kept.size());
        for (Candidate c : kept) {
            out.add(c.detection());
        }
        return out;
    }

    List<Candidate> candidates(
            float[] data,
            Layout layout,
            int numClasses,
            List<String> labels,
            ResizeTransform transform) {
        Objects.requireNonNull(transform, "transform");
        if (numClasses <= 0) {
            throw new IllegalArgumentException("output has no class rows: " + layout);
        }
        if (!labels.isEmpty() && labels.size() != numClasses) {
            throw new IllegalArgumentException(
                    "model outputs "
                            + numClasses
                            + " classes but "
                            + labels.size()
                            + " labels are configured");
        }
        int n = layout.anchors();
        // Best class per anchor, scanning row by row so memory is read sequentially.
        float[] best = new float[n];
        int[] bestClass = new int[n];
        System.arraycopy(data, layout.index(4, 0), best, 0, n);
        for (int c = 1; c < numClasses; c++) {
            int row = layout.index(4 + c, 0);
            for (int a = 0; a < n; a++) {
                float v = data[row + a];
                if (v > best[a]) {
                    best[a] = v;
                    bestClass[a] = c;
                }
            }
        }
        int[] anchors = new int[n];
        float[] scores = new float[n];
        int[] classes = new int[n];
        double[] x1 = new double[n];
        double[] y1 = new double[n];
        double[] x2 = new double[n];
        double[] y2 = new double[n];
        // boxes as fractions of the input (RT-DETR, TFLite-style exports) are scaled to its pixels
        boolean unit = normalised(data, layout, transform);
        double ux = unit ? transform.inputWidth() : 1;
        double uy = unit ? transform.inputHeight() : 1;
        int m = 0;
        float threshold = options.scoreThreshold();
        double sw = transform.sourceWidth();
        double sh = transform.sourceHeight();
        for (int a = 0; a < n; a++) {
            float score = best[a];
            if (!(score >= threshold) || score <= 0) {
                continue;
            }
            double w = data[layout.index(2, a)] * ux;
            double h = data[layout.index(3, a)] * uy;
            if (!(w > 0) || !(h > 0)) {
                continue;
            }
            double cx = data[layout.index(0, a)] * ux;
            double cy = data[layout.index(1, a)] * uy;
            double left = cx - w / 2.0;
            double top = cy - h / 2.0;
            double right = cx + w / 2.0;
            double bottom = cy + h / 2.0;
            // Candidates that fall outside the source image once mapped back would be dropped after
            // NMS;
            // dropping them first lets NMS stop at maxDetections.
            double sx1 = Math.max(0, transform.toSourceX(left));
            double sx2 = Math.min(sw, transform.toSourceX(right));
            double sy1 = Math.max(0, transform.toSourceY(top));
            double sy2 = Math.min(sh, transform.toSourceY(bottom));
            if (!(sx2 > sx1) || !(sy2 > sy1)) {
                continue;
            }
            anchors[m] = a;
            scores[m] = score;
            classes[m] = bestClass[a];
            x1[m] = left;
            y1[m] = top;
            x2[m] = right;
            y2[m] = bottom;
            m++;
        }
        int[] kept =
                Nms.suppress(
                        x1,
                        y1,
                        x2,
                        y2,
                        scores,
                        classes,
                        m,
                        options.iouThreshold(),
                        options.maxDetections());
        List<Candidate> out = new ArrayList<>(kept.length);
        for (int k : kept) {
            Box source =
                    Box.fromCorners(
                                    transform.toSourceX(x1[k]),
                                    transform.toSourceY(y1[k]),
                                    transform.toSourceX(x2[k]),
                                    transform.toSourceY(y2[k]))
                            .clip(sw, sh);
            int cls = classes[k];
            String label = labels.isEmpty() ? Integer.toString(cls) : labels.get(cls);
            out.add(
                    new Candidate(
                            anchors[k],
                            new Detection(cls, label, Math.min(1f, scores[k]), source)));
        }
        return out;
    }

    /**
     * Whether the boxes are fractions of the input rather than its pixels: every box value of every
     * anchor is at most {@value #UNIT_LIMIT} while the input is at least {@value #UNIT_MIN_INPUT}
     * pixels a side — no pixel-unit detector puts every anchor's centre within the first pixel and
     * a half (a box partly outside the image may reach past 1 as a fraction).
     */
    static boolean normalised(float[] data, Layout layout, ResizeTransform transform) {
        if (Math.min(transform.inputWidth(), transform.inputHeight()) < UNIT_MIN_INPUT) {
            return false;
        }
        boolean any = false;
        for (int row = 0; row < 4; row++) {
            int at = layout.index(row, 0);
            for (int a = 0; a < layout.anchors(); a++) {
                float v = data[at + a];
                if (!(Math.abs(v) <= UNIT_LIMIT)) {
                    return false;
                }
                any |= v != 0;
            }
        }
        return any;
    }

    private static final double UNIT_LIMIT = 1.5;
    private static final int UNIT_MIN_INPUT = 16;

    /** A kept anchor and its detection. */
    record Candidate(int anchor, Detection detection) {}

    /** Where the values of a {@code [1, rows, anchors]} tensor live in a flat array. */
    record Layout(int rows, int anchors, int offset) {

        static Layout of(float[] data, long[] shape, int batchIndex) {
            long rows;
            long anchors;
            long batch;
            if (shape.length == 3) {
                batch = shape[0];
                rows = shape[1];
                anchors = shape[2];
            } else if (shape.length == 2) {
                batch = 1;
                rows = shape[0];
                anchors = shape[1];
            } else {
                throw new IllegalArgumentException(
                        "expected [1, 4+nc, N], got rank " + shape.length);
            }
            if (batchIndex < 0 || batchIndex >= batch) {
                throw new IllegalArgumentException(
                        "batch index " + batchIndex + " outside batch of " + batch);
            }
            if (rows * anchors * batch != data.length) {
                throw new IllegalArgumentException(
                        "shape "
                                + java.util.Arrays.toString(shape)
                                + " does not match "
                                + data.length
                                + " values");
            }
            return new Layout((int) rows, (int) anchors, (int) (batchIndex * rows * anchors));
        }

        int index(int row, int anchor) {
            return offset + row * anchors + anchor;
        }
    }
}
