package io.streamtune.trainer.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamtune.contracts.ModelMetadataKeys;
import io.streamtune.contracts.Task;
import io.streamtune.onnx.ir.ElementType;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxTensor;
import io.streamtune.onnx.ir.TensorInfo;
import io.streamtune.onnx.ort.OrtRunner;
import io.streamtune.trainer.evaluate.EvalSample;
import io.streamtune.trainer.evaluate.Evaluation;
import io.streamtune.trainer.evaluate.Evaluator;
import io.streamtune.trainer.pretrain.Backbones;
import io.streamtune.trainer.pretrain.Pretrainer;
import io.streamtune.trainer.publish.ModelExport;
import io.streamtune.vision.image.RgbImage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The embedding summary an export carries for drift: the random projection of the pooled backbone
 * features, computed in ONNX Runtime, next to unchanged task outputs, and reduced by the evaluator
 * into the version's reference.
 */
class EmbeddingSummaryTest {

    private static final int SIZE = 32;
    private final Backbone backbone = Backbone.of(Backbones.small(SIZE, 10, 1), SIZE);

    @Test
    void shouldProjectThePooledFeaturesBesideUnchangedTaskOutputs() throws Exception {
        ClassificationHead head = new ClassificationHead(0);
        HeadedGraph start = head.attach(backbone, 3, 1);
        OnnxGraph plain = head.export(start.graph(), 3);

        OnnxGraph withSummary = EmbeddingSummary.attach(plain, start.backbone(), SIZE, SIZE);

        assertThat(withSummary.outputs())
                .extracting(TensorInfo::name)
                .containsExactly(plain.outputs().get(0).name(), ModelMetadataKeys.EMBEDDING_OUTPUT);
        assertThat(EmbeddingSummary.attach(withSummary, start.backbone(), SIZE, SIZE))
                .as("attached once")
                .isSameAs(withSummary);

        OnnxTensor x = images(4, 7);
        String feature = start.backbone().outputs().get(0).name();
        OnnxGraph probe =
                plain.pruneTo(
                        List.of(
                                plain.outputs().get(0),
                                new TensorInfo(feature, ElementType.FLOAT, null)));
        Map<String, OnnxTensor> want;
        Map<String, OnnxTensor> got;
        try (OrtRunner a = new OrtRunner(probe, 1);
                OrtRunner b = new OrtRunner(withSummary, 1)) {
            want = a.run(Map.of("input", x));
            got = b.run(Map.of("input", x));
        }
        String logits = plain.outputs().get(0).name();
        assertThat(got.get(logits).floats()).containsExactly(want.get(logits).floats());

        // by hand: global average pool of the feature map, times the projection
        OnnxTensor map = want.get(feature);
        long[] s = map.shape();
        int c = (int) s[1];
        int hw = (int) (s[2] * s[3]);
        float[] w = EmbeddingSummary.projection(c).floats();
        OnnxTensor e = got.get(ModelMetadataKeys.EMBEDDING_OUTPUT);
        assertThat(e.shape()).containsExactly(4, EmbeddingSummary.DIMENSIONS);
        for (int n = 0; n < 4; n++) {
            for (int d = 0; d < EmbeddingSummary.DIMENSIONS; d++) {
                double sum = 0;
                for (int k = 0; k < c; k++) {
                    double mean = 0;
                    for (int p = 0; p < hw; p++) {
                        mean += map.floats()[(n * c + k) * hw + p];
                    }
                    sum += mean / hw * w[k * EmbeddingSummary.DIMENSIONS + d];
                }
                assertThat((double) e.floats()[n * EmbeddingSummary.DIMENSIONS + d])
                        .isCloseTo(sum, within(1e-4 * (1 + Math.abs(sum))));
            }
        }
    }

    @Test
    void shouldGiveTheVersionAnEmbeddingReferenceWithoutChangingItsScore() throws Exception {
        DetectionHead head = new DetectionHead(8);
        HeadedGraph start = head.attach(backbone, 2, 1);
        OnnxGraph plain = head.export(start.graph(), 2);
        OnnxGraph withSummary = EmbeddingSummary.attach(plain, start.backbone(), SIZE, SIZE);
        List<EvalSample> samples = new ArrayList<>();
        Random r = new Random(3);
        for (int i = 0; i < 40; i++) {
            byte[] px = new byte[SIZE * SIZE * 3];
            r.nextBytes(px);
            samples.add(new EvalSample(new RgbImage(SIZE, SIZE, px), -1, null, List.of()));
        }

        Evaluation a = evaluate(plain, samples);
        Evaluation b = evaluate(withSummary, samples);

        assertThat(b.metrics()).isEqualTo(a.metrics());
        assertThat(a.drift().embedding()).isNull();
        assertThat(b.drift().embedding()).isNotNull();
        assertThat(b.drift().embedding().dimensions()).isEqualTo(EmbeddingSummary.DIMENSIONS);
        for (List<Double> shares : b.drift().embedding().shares()) {
            // equal-share bins of the gate images themselves
            assertThat(shares).allSatisfy(v -> assertThat(v).isCloseTo(0.1, within(1e-9)));
        }
    }

    private static Evaluation evaluate(OnnxGraph g, List<EvalSample> samples) throws Exception {
        OnnxGraph exported =
                ModelExport.withMetadata(
                        g,
                        Task.DETECTION,
                        List.of("a", "b"),
                        Pretrainer.preprocess(SIZE),
                        "scenes",
                        1,
                        null,
                        Map.of(),
                        Instant.EPOCH);
        return new Evaluator(1)
                .evaluate(ModelExport.bytes(exported), "scenes", Task.DETECTION, 2, samples);
    }

    private static OnnxTensor images(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n * 3 * SIZE * SIZE];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextFloat();
        }
        return OnnxTensor.ofFloats("input", new long[] {n, 3, SIZE, SIZE}, v);
    }
}
