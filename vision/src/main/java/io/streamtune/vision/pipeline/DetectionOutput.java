package io.streamtune.vision.pipeline;

import io.streamtune.vision.model.FloatTensor;
import io.streamtune.vision.model.ModelSpec;
import java.util.Map;

/**
 * The one tensor a detector's outputs are decoded from, and whether it holds final detections
 * ({@link io.streamtune.vision.decode.YoloDetectionDecoder}).
 *
 * <p>A single-tensor detector (YOLO layouts, final detections) is read from its first task output.
 * TensorFlow's object-detection exports answer in several tensors instead — {@code detection_boxes
 * [B, N, 4]} (ymin, xmin, ymax, xmax as fractions of the input), {@code detection_scores [B, N]},
 * {@code detection_classes [B, N]} (label-map ids, 1-based) and optionally {@code num_detections
 * [B]} — found by those names (a {@code :0} suffix allowed) and turned into final detections {@code
 * [B, N, 6]} in input pixels, class id − 1 indexing the configured classes; rows past {@code
 * num_detections} score nothing.
 *
 * @param tensor the values to decode
 * @param endToEnd true when they are final detections
 */
public record DetectionOutput(FloatTensor tensor, boolean endToEnd) {

    /** Chooses the output to decode for a detection model. */
    public static DetectionOutput of(Map<String, FloatTensor> outputs, ModelSpec spec) {
        FloatTensor boxes = named(outputs, "detection_boxes");
        FloatTensor scores = named(outputs, "detection_scores");
        FloatTensor classes = named(outputs, "detection_classes");
        if (boxes != null && scores != null && classes != null) {
            return new DetectionOutput(
                    tensorFlow(
                            boxes,
                            scores,
                            classes,
                            named(outputs, "num_detections"),
                            spec.inputWidth(),
                            spec.inputHeight()),
                    true);
        }
        if (outputs.isEmpty()) {
            throw new IllegalArgumentException("detection model has no outputs");
        }
        return new DetectionOutput(outputs.values().iterator().next(), spec.endToEnd());
    }

    private static FloatTensor named(Map<String, FloatTensor> outputs, String name) {
        FloatTensor t = outputs.get(name);
        return t != null ? t : outputs.get(name + ":0");
    }

    private static FloatTensor tensorFlow(
            FloatTensor boxes,
            FloatTensor scores,
            FloatTensor classes,
            FloatTensor count,
            int width,
            int height) {
        long[] bs = boxes.shape();
        if (bs.length != 3 || bs[2] != 4) {
            throw new IllegalArgumentException(
                    "detection_boxes must be [B, N, 4], is " + java.util.Arrays.toString(bs));
        }
        int b = (int) bs[0];
        int n = (int) bs[1];
        if (scores.data().length != b * n || classes.data().length != b * n) {
            throw new IllegalArgumentException(
                    "detection_scores and detection_classes must be [B, N] like detection_boxes "
                            + java.util.Arrays.toString(bs));
        }
        if (count != null && count.data().length != b) {
            throw new IllegalArgumentException("num_detections must be [B]");
        }
        float[] out = new float[b * n * 6];
        for (int i = 0; i < b; i++) {
            int valid = count == null ? n : (int) Math.max(0, Math.min(n, count.data()[i]));
            for (int r = 0; r < n; r++) {
                int at = (i * n + r) * 6;
                int in = (i * n + r) * 4;
                float[] box = boxes.data();
                out[at] = box[in + 1] * width;
                out[at + 1] = box[in] * height;
                out[at + 2] = box[in + 3] * width;
                out[at + 3] = box[in + 2] * height;
                out[at + 4] = r < valid ? scores.data()[i * n + r] : 0f;
                out[at + 5] = classes.data()[i * n + r] - 1;
            }
        }
        return new FloatTensor(new long[] {b, n, 6}, out);
    }
}
