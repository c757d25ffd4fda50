package io.streamtune.vision.decode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes classification outputs {@code [N, C]}: softmax unless the model already outputs
 * probabilities (said by its metadata, or seen in the values), then top-k.
 */
public final class ClassificationDecoder {

    private ClassificationDecoder() {}

    /** Numerically stable softmax (max subtracted first). */
    public static float[] softmax(float[] logits) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] e = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            e[i] = Math.exp(logits[i] - max);
            sum += e[i];
        }
        float[] out = new float[logits.length];
        for (int i = 0; i < logits.length; i++) {
            out[i] = (float) (e[i] / sum);
        }
        return out;
    }

    /**
     * The probabilities of image {@code batchIndex} of an {@code [N, C]} (or {@code [N, C, 1, 1]})
     * output.
     */
    public static float[] probabilities(
            float[] data, long[] shape, int batchIndex, boolean alreadyProbabilities) {
        if (shape.length < 2) {
            throw new IllegalArgumentException("expected [N, C], got " + Arrays.toString(shape));
        }
        long c = 1;
        for (int i = 1; i < shape.length; i++) {
            c *= shape[i];
        }
        if (shape[0] * c != data.length) {
            throw new IllegalArgumentException(
                    "shape "
                            + Arrays.toString(shape)
                            + " does not match "
                            + data.length
                            + " values");
        }
        if (batchIndex < 0 || batchIndex >= shape[0]) {
            throw new IllegalArgumentException(
                    "batch index " + batchIndex + " outside batch of " + shape[0]);
        }
        float[] row =
                Arrays.copyOfRange(data, (int) (batchIndex * c), (int) ((batchIndex + 1) * c));
        return alreadyProbabilities || distribution(row) ? row : softmax(row);
    }

    /**
     * Whether values already are a probability distribution — each in [0, 1], summing to 1 within
     * 1e-3 — as a model ending in Softmax answers (Keras and TensorFlow exports, whose metadata
     * says nothing of it): a second softmax would flatten them towards uniform.
     */
    static boolean distribution(float[] row) {
        double sum = 0;
        for (float v : row) {
            if (!(v >= 0 && v <= 1)) {
                return false;
            }
            sum += v;
        }
        return row.length > 1 && Math.abs(sum - 1) < 1e-3;
    }

    /** The {@code k} most probable classes, best first; ties go to the lower class id. */
    public static List<ClassScore> topK(float[] probabilities, int k, List<String> labels) {
        if (k <= 0) {
            throw new IllegalArgumentException("k must be positive: " + k);
        }
        if (!labels.isEmpty() && labels.size() != probabilities.length) {
            throw new IllegalArgumentException(
                    "model outputs "
                            + probabilities.length
                            + " classes but "
                            + labels.size()
                            + " labels are configured");
        }
        Integer[] order = new Integer[probabilities.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(
                order,
                (a, b) -> {
                    int byScore = Float.compare(probabilities[b], probabilities[a]);
                    return byScore != 0 ? byScore : Integer.compare(a, b);
                });
        List<ClassScore> out = new ArrayList<>();
        for (int i = 0; i < Math.min(k, order.length); i++) {
            int id = order[i];
            out.add(
                    new ClassScore(
                            id,
                            labels.isEmpty() ? Integer.toString(id) : labels.get(id),
                            probabilities[id]));
        }
        return out;
    }

    /**
     * Softmax (unless {@code alreadyProbabilities}) and top-k for image {@code batchIndex} of
     * {@code [N, C]}.
     */
    public static List<ClassScore> decode(
            float[] data,
            long[] shape,
            int batchIndex,
            boolean alreadyProbabilities,
            int k,
            List<String> labels) {
        return topK(probabilities(data, shape, batchIndex, alreadyProbabilities), k, labels);
    }
}
