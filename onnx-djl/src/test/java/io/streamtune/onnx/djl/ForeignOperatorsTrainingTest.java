package io.streamtune.onnx.djl;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.types.Shape;
import io.streamtune.onnx.ir.Attribute;
import io.streamtune.onnx.ir.ElementType;
import io.streamtune.onnx.ir.GraphBuilder;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxTensor;
import io.streamtune.onnx.ir.TensorInfo;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A block the way newer exporters write it — convolution, LayerNormalization over the channels,
 * GELU spelt with Erf, a Sqrt/Pow-normalised skip — trains through the bridge: gradients reach the
 * convolution and the normalisation's scale, and the trained graph computes in ONNX Runtime what
 * DJL computes.
 */
class ForeignOperatorsTrainingTest {

    @Test
    void shouldTrainThroughLayerNormErfAndPow() throws Exception {
        GraphBuilder b =
                GraphBuilder.newGraph(
                        "convnext-ish",
                        new TensorInfo("input", ElementType.FLOAT, new long[] {-1, 3, 8, 8}),
                        7);
        String x = b.conv("input", 3, 4, 3, 1, 1, 1, true);
        String scale = b.constant(ones("ln_scale", 4, 8, 8));
        String bias =
                b.constant(OnnxTensor.ofFloats("ln_bias", new long[] {4, 8, 8}, new float[256]));
        String ln = b.op("LayerNormalization", List.of(x, scale, bias), Attribute.of("axis", 1L));
        // GELU: 0.5 x (1 + erf(x / sqrt 2))
        String erf =
                b.op("Erf", List.of(b.op("Div", List.of(ln, scalar(b, (float) Math.sqrt(2))))));
        String gelu =
                b.op(
                        "Mul",
                        List.of(
                                b.op("Mul", List.of(ln, scalar(b, 0.5f))),
                                b.op("Add", List.of(erf, scalar(b, 1f)))));
        // a skip scaled by 1 / sqrt(1 + x^2)
        String norm =
                b.op(
                        "Sqrt",
                        List.of(
                                b.op(
                                        "Add",
                                        List.of(
                                                b.op("Pow", List.of(gelu, scalar(b, 2f))),
                                                scalar(b, 1f)))));
        String y = b.op("Div", List.of(gelu, norm));
        String pooled = b.flatten(b.globalAveragePool(y));
        OnnxGraph built = b.build(b.gemm(pooled, 4, 3));
        OnnxGraph g =
                new OnnxGraph(
                        built.name(),
                        17,
                        built.inputs(),
                        built.outputs(),
                        built.nodes(),
                        built.initializers(),
                        built.metadata());

        OnnxBlock block = new OnnxBlock(g);
        Map<String, float[]> before = OnnxFixtures.snapshotOf(g);
        OnnxGraph trained;
        try (var model = OnnxFixtures.train(block, new Shape(4, 3, 8, 8), 3, 5, 0.1f, null, 9)) {
            trained = block.toGraph();
            Map<String, float[]> after = OnnxFixtures.snapshot(block);
            String convWeight =
                    g.nodes().stream()
                            .filter(n -> n.opType().equals("Conv"))
                            .findFirst()
                            .orElseThrow()
                            .input(1);
            assertThat(after.get(convWeight)).isNotEqualTo(before.get(convWeight));
            assertThat(after.get(scale)).isNotEqualTo(before.get(scale));
            OnnxTensor in = OnnxFixtures.random(new Random(3), "input", 2, 3, 8, 8);
            OnnxTensor viaDjl = OnnxFixtures.forward(block, in);
            OnnxTensor viaOrt =
                    OnnxFixtures.runOrt(trained, Map.of("input", in)).values().iterator().next();
            assertThat(OnnxFixtures.maxAbsDiff(viaDjl, viaOrt)).isLessThanOrEqualTo(1e-4);
        }
    }

    private static OnnxTensor ones(String name, long... shape) {
        int n = 1;
        for (long d : shape) {
            n *= (int) d;
        }
        float[] v = new float[n];
        java.util.Arrays.fill(v, 1f);
        return OnnxTensor.ofFloats(name, shape, v);
    }

    private static String scalar(GraphBuilder b, float v) {
        return b.constant(OnnxTensor.ofFloats("c", new long[] {}, new float[] {v}));
    }
}
