package io.streamtune.onnx.djl;

import static io.streamtune.onnx.testkit.OnnxProtos.floatList;
import static io.streamtune.onnx.testkit.OnnxProtos.floats;
import static io.streamtune.onnx.testkit.OnnxProtos.integer;
import static io.streamtune.onnx.testkit.OnnxProtos.ints;
import static io.streamtune.onnx.testkit.OnnxProtos.longs;
import static io.streamtune.onnx.testkit.OnnxProtos.node;
import static io.streamtune.onnx.testkit.OnnxProtos.real;
import static io.streamtune.onnx.testkit.OnnxProtos.text;
import static io.streamtune.onnx.testkit.OnnxProtos.value;
import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxTensor;
import io.streamtune.onnx.ir.OnnxWriter;
import io.streamtune.onnx.ort.OrtRunner;
import io.streamtune.onnx.testkit.OnnxProtos;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One small CNN written as each opset from 7 to 21 spells it — attributes where old opsets had them
 * (BatchNormalization {@code spatial}, Clip {@code min/max}, Pad {@code pads}, Slice {@code
 * starts/ends/axes}, Upsample, Resize-10, Dropout {@code ratio}, ReduceMean {@code axes}) — read by
 * the bridge, run in DJL and written back: ONNX Runtime on the original file is the truth.
 */
class OpsetMatrixTest {

    static Stream<Integer> opsets() {
        return IntStream.rangeClosed(7, 21).boxed();
    }

    @ParameterizedTest(name = "opset {0}")
    @MethodSource("opsets")
    void shouldReadRunAndRewriteEveryOpsetLikeOnnxRuntime(int opset) throws Exception {
        byte[] model = model(opset).toByteArray();
        OnnxTensor x = OnnxFixtures.random(new Random(opset), "x", 2, 3, 8, 8);

        OnnxGraph graph = BridgeReader.read(model);
        OnnxTensor truth;
        try (OrtRunner ort = new OrtRunner(model, 1)) {
            truth = ort.run(Map.of("x", x)).get("y");
        }
        OnnxTensor djl = OnnxFixtures.runDjl(graph, Map.of("x", x)).get("y");
        OnnxTensor rewritten = OnnxFixtures.runOrt(graph, Map.of("x", x)).get("y");

        assertThat(truth.shape()).containsExactly(2, 5);
        assertThat(OnnxFixtures.maxAbsDiff(djl, truth)).isLessThanOrEqualTo(1e-4);
        assertThat(OnnxFixtures.maxAbsDiff(rewritten, truth)).isLessThanOrEqualTo(1e-5);
        assertThat(OnnxWriter.toModel(graph).getOpsetImport(0).getVersion())
                .isGreaterThanOrEqualTo(13);
    }

    private static OnnxMl.ModelProto model(int opset) {
        Random r = new Random(42);
        OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("opset" + opset);
        g.addInput(value("x", 2, 3, 8, 8));
        g.addOutput(value("y", 2, 5));
        g.addInitializer(floats("w", random(r, 4 * 3 * 3 * 3), 4, 3, 3, 3));
        g.addInitializer(floats("b", random(r, 4), 4));
        g.addInitializer(floats("gamma", positive(r, 4), 4));
        g.addInitializer(floats("beta", random(r, 4), 4));
        g.addInitializer(floats("mean", random(r, 4), 4));
        g.addInitializer(floats("var", positive(r, 4), 4));
        g.addInitializer(floats("fc_w", random(r, 5 * 4), 5, 4));
        g.addInitializer(floats("fc_b", random(r, 5), 5));

        g.addNode(
                node(
                        "Conv",
                        List.of("x", "w", "b"),
                        "c",
                        ints("kernel_shape", 3, 3),
                        ints("pads", 1, 1, 1, 1)));
        OnnxMl.NodeProto.Builder bn =
                node(
                        "BatchNormalization",
                        List.of("c", "gamma", "beta", "mean", "var"),
                        "bn",
                        real("epsilon", 1e-5f));
        if (opset < 9) {
            bn.addAttribute(integer("spatial", 1));
        }
        g.addNode(bn);
        if (opset < 11) {
            g.addNode(node("Clip", List.of("bn"), "clip", real("min", 0f), real("max", 6f)));
            g.addNode(
                    node(
                            "Pad",
                            List.of("clip"),
                            "pad",
                            ints("pads", 0, 0, 1, 0, 0, 0, 0, 1),
                            real("value", 0.5f)));
        } else {
            g.addInitializer(floats("lo", new float[] {0f}));
            g.addInitializer(floats("hi", new float[] {6f}));
            g.addInitializer(longs("pads", 0, 0, 1, 0, 0, 0, 0, 1));
            g.addInitializer(floats("pad_value", new float[] {0.5f}));
            g.addNode(node("Clip", List.of("bn", "lo", "hi"), "clip"));
            g.addNode(node("Pad", List.of("clip", "pads", "pad_value"), "pad"));
        }
        // 9x9 -> 8x8 again
        if (opset < 10) {
            g.addNode(
                    node(
                            "Slice",
                            List.of("pad"),
                            "slice",
                            ints("starts", 1, 0),
                            ints("ends", 9, 8),
                            ints("axes", 2, 3)));
        } else {
            g.addInitializer(longs("starts", 1, 0));
            g.addInitializer(longs("ends", 9, 8));
            g.addInitializer(longs("axes", 2, 3));
            g.addNode(node("Slice", List.of("pad", "starts", "ends", "axes"), "slice"));
        }
        float[] scales = {1f, 1f, 2f, 2f};
        if (opset < 9) {
            g.addNode(
                    node(
                            "Upsample",
                            List.of("slice"),
                            "up",
                            floatList("scales", scales),
                            text("mode", "nearest")));
        } else if (opset == 9) {
            g.addInitializer(floats("scales", scales, 4));
            g.addNode(node("Upsample", List.of("slice", "scales"), "up", text("mode", "nearest")));
        } else if (opset == 10) {
            g.addInitializer(floats("scales", scales, 4));
            g.addNode(node("Resize", List.of("slice", "scales"), "up", text("mode", "nearest")));
        } else {
            g.addInitializer(floats("scales", scales, 4));
            // roi is a required (empty) input until opset 13
            g.addInitializer(floats("roi", new float[0], 0));
            g.addNode(
                    node(
                            "Resize",
                            List.of("slice", opset < 13 ? "roi" : "", "scales"),
                            "up",
                            text("mode", "nearest"),
                            text("coordinate_transformation_mode", "asymmetric"),
                            text("nearest_mode", "floor")));
        }
        if (opset < 12) {
            g.addNode(node("Dropout", List.of("up"), "drop", real("ratio", 0.3f)));
        } else {
            g.addNode(node("Dropout", List.of("up"), "drop"));
        }
        if (opset < 18) {
            g.addNode(
                    node(
                            "ReduceMean",
                            List.of("drop"),
                            "pool",
                            ints("axes", 2, 3),
                            integer("keepdims", 0)));
        } else {
            g.addInitializer(longs("mean_axes", 2, 3));
            g.addNode(
                    node(
                            "ReduceMean",
                            List.of("drop", "mean_axes"),
                            "pool",
                            integer("keepdims", 0)));
        }
        g.addNode(node("Gemm", List.of("pool", "fc_w", "fc_b"), "fc", integer("transB", 1)));
        g.addNode(node("Softmax", List.of("fc"), "y", integer("axis", 1)));
        return OnnxProtos.model(g, opset, Map.of());
    }

    private static float[] random(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian() * 0.5f;
        }
        return v;
    }

    private static float[] positive(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = 0.5f + r.nextFloat();
        }
        return v;
    }
}
