package io.streamtune.onnx.djl;

import static io.streamtune.onnx.djl.OnnxFixtures.floatInput;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import io.streamtune.onnx.djl.ops.Nd;
import io.streamtune.onnx.ir.Attribute;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxTensor;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BatchNormTrainingTest {

    private static OnnxGraph batchNorm() {
        Random r = new Random(3);
        return OnnxFixtures.singleOp(
                "BatchNormalization",
                List.of(floatInput("x", 4, 3, 5, 5)),
                List.of(
                        OnnxFixtures.positive(r, "gamma", 3),
                        OnnxFixtures.random(r, "beta", 3),
                        OnnxFixtures.random(r, "mean", 3),
                        OnnxFixtures.positive(r, "var", 3)),
                List.of("x", "gamma", "beta", "mean", "var"),
                1,
                Attribute.of("momentum", 0.9f),
                Attribute.of("epsilon", 1e-5f));
    }

    @Test
    void shouldNormaliseWithBatchStatisticsAndUpdateRunningStatisticsWithOnnxMomentumInTraining() {
        OnnxGraph graph = batchNorm();
        OnnxTensor x = OnnxFixtures.random(new Random(4), "x", 4, 3, 5, 5);
        float[] mean0 = graph.initializers().get("mean").floats();
        float[] var0 = graph.initializers().get("var").floats();

        float[] y;
        OnnxGraph after;
        try (NDManager m = NDManager.newBaseManager()) {
            OnnxBlock block = new OnnxBlock(graph);
            block.initialize(m, DataType.FLOAT32, new ai.djl.ndarray.types.Shape(4, 3, 5, 5));
            NDList out =
                    block.forward(new ParameterStore(m, false), new NDList(Nd.toNd(m, x)), true);
            y = out.head().toFloatArray();
            after = block.toGraph();
        }

        for (int c = 0; c < 3; c++) {
            double sum = 0;
            double sq = 0;
            int n = 0;
            for (int b = 0; b < 4; b++) {
                for (int i = 0; i < 25; i++) {
                    double v = x.floats()[(b * 3 + c) * 25 + i];
                    sum += v;
                    sq += v * v;
                    n++;
                }
            }
            double mean = sum / n;
            double biased = sq / n - mean * mean;
            double unbiased = biased * n / (n - 1);
            assertThat(after.initializers().get("mean").floats()[c])
                    .isCloseTo((float) (0.9 * mean0[c] + 0.1 * mean), within(1e-5f));
            assertThat(after.initializers().get("var").floats()[c])
                    .isCloseTo((float) (0.9 * var0[c] + 0.1 * unbiased), within(1e-4f));
            float gamma = graph.initializers().get("gamma").floats()[c];
            float beta = graph.initializers().get("beta").floats()[c];
            double expected0 =
                    (x.floats()[c * 25] - mean) / Math.sqrt(biased + 1e-5) * gamma + beta;
            assertThat(y[c * 25]).isCloseTo((float) expected0, within(1e-4f));
        }
    }

    @Test
    void shouldUseRunningStatisticsAndLeaveThemAloneWhenTheBatchNormIsFrozen() {
        OnnxGraph graph = batchNorm();
        OnnxTensor x = OnnxFixtures.random(new Random(4), "x", 4, 3, 5, 5);

        OnnxTensor trainingOutput;
        OnnxGraph after;
        try (NDManager m = NDManager.newBaseManager()) {
            OnnxBlock block = new OnnxBlock(graph);
            block.initialize(m, DataType.FLOAT32, new ai.djl.ndarray.types.Shape(4, 3, 5, 5));
            block.freezeParameters(true);
            NDList out =
                    block.forward(new ParameterStore(m, false), new NDList(Nd.toNd(m, x)), true);
            trainingOutput = Nd.fromNd("y", out.head());
            after = block.toGraph();
        }

        assertThat(after.initializers().get("mean").floats())
                .isEqualTo(graph.initializers().get("mean").floats());
        assertThat(after.initializers().get("var").floats())
                .isEqualTo(graph.initializers().get("var").floats());
        OnnxTensor inference = OnnxFixtures.runDjl(graph, java.util.Map.of("x", x)).get("y");
        assertThat(OnnxFixtures.maxAbsDiff(trainingOutput, inference)).isZero();
    }
}
