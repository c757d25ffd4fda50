package io.streamtune.vision.pipeline;

import io.streamtune.contracts.DriftReference;
import io.streamtune.contracts.ModelMetadataKeys;
import io.streamtune.vision.model.FloatTensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The optional embedding-summary output of a model ({@link ModelMetadataKeys#EMBEDDING_OUTPUT},
 * {@code [N, D]}): read per image for drift statistics, and kept out of the outputs the task
 * decoders choose from.
 */
public final class Embeddings {

    private Embeddings() {}

    /** The outputs without the embedding summary, in their order. */
    public static Map<String, FloatTensor> taskOutputs(Map<String, FloatTensor> outputs) {
        if (!outputs.containsKey(ModelMetadataKeys.EMBEDDING_OUTPUT)) {
            return outputs;
        }
        Map<String, FloatTensor> out = new LinkedHashMap<>(outputs);
        out.remove(ModelMetadataKeys.EMBEDDING_OUTPUT);
        return out;
    }

    /** Output names without the embedding summary. */
    public static List<String> taskOutputNames(List<String> names) {
        if (!names.contains(ModelMetadataKeys.EMBEDDING_OUTPUT)) {
            return names;
        }
        List<String> out = new ArrayList<>(names);
        out.remove(ModelMetadataKeys.EMBEDDING_OUTPUT);
        return out;
    }

    /**
     * Image {@code i}'s embedding summary, or null when the model has none or its shape is not
     * {@code [N, D]} with {@code 1 <= D <=} {@link DriftReference.Embedding#MAX_DIMENSIONS} and
     * finite values (a summary that cannot be used is left out rather than failing the frame).
     */
    public static List<Float> of(Map<String, FloatTensor> outputs, int i) {
        FloatTensor t = outputs.get(ModelMetadataKeys.EMBEDDING_OUTPUT);
        if (t == null || t.shape().length != 2 || i >= t.shape()[0]) {
            return null;
        }
        int d = (int) t.shape()[1];
        if (d < 1 || d > DriftReference.Embedding.MAX_DIMENSIONS) {
            return null;
        }
        List<Float> out = new ArrayList<>(d);
        for (int k = 0; k < d; k++) {
            float v = t.data()[i * d + k];
            if (!Float.isFinite(v)) {
                return null;
            }
            out.add(v);
        }
        return out;
    }
}
