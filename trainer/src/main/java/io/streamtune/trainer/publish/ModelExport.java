package io.streamtune.trainer.publish;

import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.ModelMetadataKeys;
import io.streamtune.contracts.Task;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxWriter;
import io.streamtune.vision.model.ModelSpec;
import io.streamtune.vision.preprocess.PreprocessConfig;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes the metadata inference configures itself from into an exported graph. */
public final class ModelExport {

    /**
     * Trainer-private key: the backbone tensor the head was grafted on (for continual fine-tuning).
     */
    public static final String FEATURE_KEY = "streamtune.trainer.feature";

    private ModelExport() {}

    /**
     * The graph with streamtune metadata: task, classes, input size, pre-processing, name, version,
     * parent, metrics (may be empty) and creation time; other metadata of the base model is kept.
     */
    public static OnnxGraph withMetadata(
            OnnxGraph graph,
            Task task,
            List<String> classes,
            PreprocessConfig preprocess,
            String model,
            int version,
            Integer parent,
            Map<String, Double> metrics,
            Instant createdAt) {
        ModelSpec spec =
                new ModelSpec(
                        task,
                        classes,
                        preprocess,
                        false,
                        model,
                        version,
                        parent == null ? 0 : parent,
                        0,
                        Map.of());
        Map<String, String> meta = new LinkedHashMap<>(graph.metadata());
        meta.remove(ModelMetadataKeys.PARENT_VERSION);
        meta.putAll(spec.toMetadata());
        try {
            meta.put(
                    ModelMetadataKeys.METRICS,
                    JsonSerde.MAPPER.writeValueAsString(new java.util.TreeMap<>(metrics)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        meta.put(ModelMetadataKeys.CREATED_AT, createdAt.toString());
        return graph.withMetadata(meta);
    }

    public static byte[] bytes(OnnxGraph graph) {
        return OnnxWriter.toBytes(graph);
    }
}
