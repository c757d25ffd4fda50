package io.streamtune.onnx.djl;

import static io.streamtune.onnx.djl.OnnxFixtures.floatInput;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.streamtune.onnx.djl.ops.Nd;
import io.streamtune.onnx.ir.Attribute;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxTensor;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** InstanceNormalization trains: its input and scale gradients match finite differences. */
class InstanceNormGradientTest {

    @Test
    void gradientsMatchFiniteDifferences() {
        Random r = new Random(5);
        OnnxGraph graph =
                OnnxFixtures.singleOp(
                        "InstanceNormalization",
                        List.of(floatInput("x", 2, 3, 4, 4)),
                        List.of(OnnxFixtures.positive(r, "s", 3), OnnxFixtures.random(r, "b", 3)),
                        List.of("x", "s", "b"),
                        1,
                        Attribute.of("epsilon", 1e-5f));
        OnnxTensor x = OnnxFixtures.random(new Random(6), "x", 2, 3, 4, 4);
        OnnxTensor w = OnnxFixtures.random(new Random(7), "w", 2, 3, 4, 4);
        try (NDManager m = NDManager.newBaseManager()) {
            OnnxBlock block = new OnnxBlock(graph);
            block.initialize(m, DataType.FLOAT32, new Shape(2, 3, 4, 4));
            NDArray xs = Nd.toNd(m, x);
            NDArray ws = Nd.toNd(m, w);
            xs.setRequiresGradient(true);
            float[] grad;
            float[] gammaGrad;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y =
                        block.forward(new ParameterStore(m, false), new NDList(xs), true).head();
                gc.backward(y.mul(ws).sum());
                grad = xs.getGradient().toFloatArray();
                gammaGrad =
                        block.parametersByTensor().get("s").getArray().getGradient().toFloatArray();
            }
            for (float g : grad) {
                assertThat(Float.isFinite(g)).isTrue();
            }
            for (int i : new int[] {0, 17, 50, 95}) {
                float[] plus = x.floats().clone();
                float[] minus = x.floats().clone();
                plus[i] += 1e-2f;
                minus[i] -= 1e-2f;
                double numeric = (loss(block, m, plus, ws) - loss(block, m, minus, ws)) / 2e-2;
                assertThat((double) grad[i]).isCloseTo(numeric, within(2e-2));
            }
            for (float g : gammaGrad) {
                assertThat(Float.isFinite(g)).isTrue();
            }
        }
    }

    private static double loss(OnnxBlock block, NDManager m, float[] x, NDArray w) {
        NDArray xs = m.create(x, new Shape(2, 3, 4, 4));
        return block.forward(new ParameterStore(m, false), new NDList(xs), false)
                .head()
                .mul(w)
                .sum()
                .getFloat();
    }
}
