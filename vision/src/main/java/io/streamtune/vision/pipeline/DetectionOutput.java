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
 * num_detections} score nothing. torchvision's detection exports answer in {@code boxes}, {@code
 * scores} and {@code labels} (output names as its documentation exports them; see {@link
 * #torchvision}).
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
        FloatTensor tvBoxes = named(outputs, "boxes");
        FloatTensor tvScores = named(outputs, "scores");
        FloatTensor tvLabels = named(outputs, "labels");
        if (tvBoxes != null && tvScores != null && tvLabels != null) {
            return new DetectionOutput(
                    torchvision(tvBoxes, tvScores, tvLabels, spec.classNames()), true);
        }
        if (outputs.isEmpty()) {
            throw new IllegalArgumentException("detection model has no outputs");
        }
        return new DetectionOutput(outputs.values().iterator().next(), spec.endToEnd());
    }

    /** Whether a class list starts with torchvision's background entry. */
    static boolean background(String name) {
        String n = name.strip().toLowerCase(java.util.Locale.ROOT);
        return n.equals("__background__") || n.equals("background") || n.equals("bg");
    }

    /**
     * torchvision's detection outputs ({@code boxes [B, N, 4]} corners in input pixels, {@code
     * scores [B, N]}, {@code labels [B, N]}) as final detections. Label 0 is background in
     * torchvision: with a class list that starts with it (the weights' {@code categories}) label k
     * is class k, with a list of the real classes only it is class k − 1, with none the id itself.
     */
    private static FloatTensor torchvision(
            FloatTensor boxes,
            FloatTensor scores,
            FloatTensor labels,
            java.util.List<String> classes) {
        long[] bs = boxes.shape();
        if (bs.length != 3 || bs[2] != 4) {
            throw new IllegalArgumentException(
                    "boxes must be [B, N, 4], is " + java.util.Arrays.toString(bs));
        }
        int b = (int) bs[0];
        int n = (int) bs[1];
        if (scores.data().length != b * n || labels.data().length != b * n) {
            throw new IllegalArgumentException(
                    "scores and labels must be [B, N] like boxes " + java.util.Arrays.toString(bs));
        }
        int offset = classes.isEmpty() || background(classes.get(0)) ? 0 : 1;
        float[] out = new float[b * n * 6];
        for (int i = 0; i < b * n; i++) {
            System.arraycopy(boxes.data(), i * 4, out, i * 6, 4);
            out[i * 6 + 4] = scores.data()[i];
            out[i * 6 + 5] = labels.data()[i] - offset;
        }
        return new FloatTensor(new long[] {b, n, 6}, out);
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
