package io.streamtune.vision.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamtune.contracts.ModelMetadataKeys;
import io.streamtune.vision.model.FloatTensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The embedding-summary output is read per image and never taken for a task output. */
class EmbeddingsTest {

    private static final String E = ModelMetadataKeys.EMBEDDING_OUTPUT;

    @Test
    void shouldReadEachImagesRowAndLeaveTheTaskOutputsInOrder() {
        Map<String, FloatTensor> outputs = new LinkedHashMap<>();
        outputs.put(E, new FloatTensor(new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}));
        outputs.put("logits", new FloatTensor(new long[] {2, 2}, new float[] {0, 1, 1, 0}));
        outputs.put("boxes", new FloatTensor(new long[] {2, 1}, new float[] {7, 8}));

        assertThat(Embeddings.of(outputs, 1)).containsExactly(4f, 5f, 6f);
        assertThat(Embeddings.taskOutputs(outputs).keySet()).containsExactly("logits", "boxes");
        assertThat(Embeddings.taskOutputNames(List.of(E, "logits"))).containsExactly("logits");
        assertThat(Embeddings.of(Map.of("logits", outputs.get("logits")), 0)).isNull();
    }

    @Test
    void shouldLeaveOutASummaryItCannotUse() {
        assertThat(
                        Embeddings.of(
                                Map.of(
                                        E,
                                        new FloatTensor(
                                                new long[] {1, 2}, new float[] {1, Float.NaN})),
                                0))
                .as("not finite")
                .isNull();
        assertThat(
                        Embeddings.of(
                                Map.of(
                                        E,
                                        new FloatTensor(new long[] {1, 1, 2}, new float[] {1, 2})),
                                0))
                .as("not [N, D]")
                .isNull();
        assertThat(Embeddings.of(Map.of(E, new FloatTensor(new long[] {1, 65}, new float[65])), 0))
                .as("too wide")
                .isNull();
    }
}
