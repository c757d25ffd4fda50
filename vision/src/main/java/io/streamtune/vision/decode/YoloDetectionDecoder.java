package io.streamtune.vision.decode;

import io.streamtune.vision.preprocess.ResizeTransform;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Decodes the YOLOv8/YOLO11 detection layout {@code [1, 4 + nc, N]} — per anchor cx, cy, w, h in
 * model-input pixels followed by {@code nc} class scores in 0..1 — into detections in source-image
 * pixels.
 *
 * <p>Each anchor is one candidate with its best class (Ultralytics' single-label mode); candidates
 * below the score threshold are dropped, class-aware NMS runs in input space, survivors are mapped
 * back through the {@link ResizeTransform}, clipped to the source image, and those left with zero area
 * are dropped. Immutable and thread-safe.
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
    public List<Detection> decode(float[] data, long[] shape, List<String> labels, ResizeTransform transform) {
        return decode(data, shape, 0, labels, transform);
    }

    /** Decodes image {@code batchIndex} of a batched {@code [B, 4 + nc, N]} output. */
    public List<Detection> decode(
            float[] data, long[] shape, int batchIndex, List<String> labels, ResizeTransform transform) {
        Layout layout = Layout.of(data, shape, batchIndex);
        return decode(data, layout, layout.rows() - 4, labels, transform);
    }

    /** Shared with instance segmentation, where {@code nc} is less than {@code rows - 4}. */
    List<Detection> decode(float[] data, Layout layout, int numClasses, List<String> labels, ResizeTransform transform) {
        List<Candidate> kept = candidates(data, layout, numClasses, labels, transform);
        List<Detection> out = new ArrayList<>(kept.size());
        for (Candidate c : kept) {
            out.add(c.detection());
        }
        return out;
    }

    List<Candidate> candidates(
            float[] data, Layout layout, int numClasses, List<String> labels, ResizeTransform transform) {
        Objects.requireNonNull(transform, "transform");
        if (numClasses <= 0) {
            throw new IllegalArgumentException("output has no class rows: " + layout);
        }
        if (!labels.isEmpty() && labels.size() != numClasses) {
            throw new IllegalArgumentException(
                    "model outputs " + numClasses + " classes but " + labels.size() + " labels are configured");
        }
        int n = layout.anchors();
        List<Box> boxes = new ArrayList<>();
        List<Integer> anchors = new ArrayList<>();
        List<Float> scoreList = new ArrayList<>();
        List<Integer> classList = new ArrayList<>();
        for (int a = 0; a < n; a++) {
            int best = -1;
            float bestScore = -Float.MAX_VALUE;
            for (int c = 0; c < numClasses; c++) {
                float s = data[layout.index(4 + c, a)];
                if (s > bestScore) {
                    bestScore = s;
                    best = c;
                }
            }
            if (!(bestScore >= options.scoreThreshold()) || bestScore <= 0) {
                continue;
            }
            float w = data[layout.index(2, a)];
            float h = data[layout.index(3, a)];
            if (!(w > 0) || !(h > 0)) {
                continue;
            }
            boxes.add(Box.fromCenter(data[layout.index(0, a)], data[layout.index(1, a)], w, h));
            anchors.add(a);
            scoreList.add(bestScore);
            classList.add(best);
        }
        float[] scores = new float[boxes.size()];
        int[] classes = new int[boxes.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = scoreList.get(i);
            classes[i] = classList.get(i);
        }
        List<Integer> kept = Nms.suppress(boxes, scores, classes, options.iouThreshold(), boxes.size());
        List<Candidate> out = new ArrayList<>();
        for (int k : kept) {
            if (out.size() >= options.maxDetections()) {
                break;
            }
            Box in = boxes.get(k);
            Box source = Box.fromCorners(
                            transform.toSourceX(in.x()),
                            transform.toSourceY(in.y()),
                            transform.toSourceX(in.x2()),
                            transform.toSourceY(in.y2()))
                    .clip(transform.sourceWidth(), transform.sourceHeight());
            if (!(source.area() > 0)) {
                continue;
            }
            int cls = classes[k];
            String label = labels.isEmpty() ? Integer.toString(cls) : labels.get(cls);
            out.add(new Candidate(anchors.get(k), new Detection(cls, label, Math.min(1f, scores[k]), source)));
        }
        return out;
    }

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
                throw new IllegalArgumentException("expected [1, 4+nc, N], got rank " + shape.length);
            }
            if (batchIndex < 0 || batchIndex >= batch) {
                throw new IllegalArgumentException("batch index " + batchIndex + " outside batch of " + batch);
            }
            if (rows * anchors * batch != data.length) {
                throw new IllegalArgumentException("shape " + java.util.Arrays.toString(shape)
                        + " does not match " + data.length + " values");
            }
            return new Layout((int) rows, (int) anchors, (int) (batchIndex * rows * anchors));
        }

        int index(int row, int anchor) {
            return offset + row * anchors + anchor;
        }
    }
}
