package io.streamtune.tfjs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.tfjs.TfjsGraphWriter.Quantization;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each converted operator against the TensorFlow.js runtime on small generated graphs with odd
 * spatial sizes (so SAME padding is asymmetric): ONNX Runtime on the import vs TF.js on the
 * original, within 1e-4 of the output's magnitude.
 */
class TfjsOperatorParityTest {

    private static final long[] IN = {1, 9, 11, 4};

    @TempDir static Path work;

    @BeforeAll
    static void reference() {
        String why = TfjsReference.unavailable();
        if (why != null && "true".equals(System.getenv("CI"))) {
            throw new AssertionError(why);
        }
        assumeTrue(why == null, why);
    }

    /** A graph on input "x" [1,9,11,4]; returns its output tensor names. */
    interface Case extends Function<TfjsGraphWriter, List<String>> {}

    static Stream<Arguments> cases() {
        return Stream.of(
                of(
                        "Conv2D SAME stride 2",
                        w -> {
                            w.op("y", "Conv2D", "x", w.randomFloats("f", 0.5f, 3, 3, 4, 6))
                                    .ints("strides", 1, 2, 2, 1)
                                    .s("padding", "SAME")
                                    .s("data_format", "NHWC");
                            return List.of("y");
                        }),
                of(
                        "Conv2D VALID dilated",
                        w -> {
                            w.op("y", "Conv2D", "x", w.randomFloats("f", 0.5f, 3, 3, 4, 5))
                                    .ints("strides", 1, 1, 1, 1)
                                    .ints("dilations", 1, 2, 2, 1)
                                    .s("padding", "VALID");
                            return List.of("y");
                        }),
                of(
                        "Conv2D EXPLICIT padding",
                        w -> {
                            w.op("y", "Conv2D", "x", w.randomFloats("f", 0.5f, 3, 3, 4, 5))
                                    .ints("strides", 1, 2, 1, 1)
                                    .s("padding", "EXPLICIT")
                                    .ints("explicit_paddings", 0, 0, 1, 2, 0, 1, 0, 0);
                            return List.of("y");
                        }),
                of("_FusedConv2D BiasAdd + Relu6", w -> fused(w, "Relu6")),
                of("_FusedConv2D BiasAdd + LeakyRelu", w -> fused(w, "LeakyRelu")),
                of("_FusedConv2D BiasAdd + Prelu", w -> fused(w, "Prelu")),
                of(
                        "FusedDepthwiseConv2dNative BiasAdd + Relu, stride 2",
                        w -> {
                            w.op(
                                            "y",
                                            "FusedDepthwiseConv2dNative",
                                            "x",
                                            w.randomFloats("f", 0.5f, 3, 3, 4, 2),
                                            w.randomFloats("b", 0.5f, 8))
                                    .ints("strides", 1, 2, 2, 1)
                                    .s("padding", "SAME")
                                    .strings("fused_ops", "BiasAdd", "Relu")
                                    .i("num_args", 1);
                            return List.of("y");
                        }),
                of(
                        "DepthwiseConv2dNative 5x5",
                        w -> {
                            w.op(
                                            "y",
                                            "DepthwiseConv2dNative",
                                            "x",
                                            w.randomFloats("f", 0.5f, 5, 5, 4, 1))
                                    .ints("strides", 1, 1, 1, 1)
                                    .s("padding", "SAME");
                            return List.of("y");
                        }),
                of(
                        "Conv2DBackpropInput stride 2 SAME",
                        w -> {
                            w.op(
                                            "y",
                                            "Conv2DBackpropInput",
                                            w.vector("size", 1, 18, 22, 3),
                                            w.randomFloats("f", 0.5f, 3, 3, 3, 4),
                                            "x")
                                    .ints("strides", 1, 2, 2, 1)
                                    .s("padding", "SAME");
                            return List.of("y");
                        }),
                of(
                        "MaxPool SAME",
                        w -> {
                            w.op("y", "MaxPool", "x")
                                    .ints("ksize", 1, 3, 3, 1)
                                    .ints("strides", 1, 2, 2, 1)
                                    .s("padding", "SAME");
                            return List.of("y");
                        }),
                of(
                        "AvgPool SAME (padding not counted)",
                        w -> {
                            w.op("y", "AvgPool", "x")
                                    .ints("ksize", 1, 3, 3, 1)
                                    .ints("strides", 1, 2, 2, 1)
                                    .s("padding", "SAME");
                            return List.of("y");
                        }),
                of(
                        "squeeze-excite: Mean keep_dims, Conv2D, Sigmoid, Mul",
                        w -> {
                            w.op("m", "Mean", "x", w.vector("axes", 1, 2)).b("keep_dims", true);
                            w.op("c", "Conv2D", "m", w.randomFloats("f", 0.5f, 1, 1, 4, 4))
                                    .ints("strides", 1, 1, 1, 1)
                                    .s("padding", "VALID");
                            w.op("s", "Sigmoid", "c");
                            w.op("y", "Mul", "x", "s");
                            return List.of("y");
                        }),
                of(
                        "hard-swish: AddV2, Relu6, Mul by constants, Sub, RealDiv",
                        w -> {
                            w.op("a", "AddV2", "x", w.floats("three", new long[0], 3f));
                            w.op("r", "Relu6", "a");
                            w.op("m", "Mul", w.floats("sixth", new long[0], 1 / 6f), "r");
                            w.op("p", "Mul", "x", "m");
                            w.op("q", "Sub", "p", w.randomFloats("bias", 1f, 4));
                            w.op("y", "RealDiv", "q", w.floats("two", new long[0], 2f));
                            return List.of("y");
                        }),
                of(
                        "ConcatV2 on channels, Pad, MirrorPad",
                        w -> {
                            w.op("r", "Relu", "x");
                            w.op("c", "ConcatV2", "x", "r", w.scalar("axis", -1)).i("N", 2);
                            w.op(
                                    "p",
                                    "Pad",
                                    "c",
                                    w.ints("pads", new long[] {4, 2}, 0, 0, 1, 2, 0, 1, 0, 0));
                            w.op(
                                            "y",
                                            "MirrorPad",
                                            "p",
                                            w.ints(
                                                    "mpads",
                                                    new long[] {4, 2},
                                                    0,
                                                    0,
                                                    1,
                                                    1,
                                                    2,
                                                    1,
                                                    0,
                                                    0))
                                    .s("mode", "REFLECT");
                            return List.of("y");
                        }),
                of("ResizeBilinear ×2 asymmetric", w -> resize(w, false, false, 18, 22)),
                of("ResizeBilinear ×2 half-pixel", w -> resize(w, false, true, 18, 22)),
                of("ResizeBilinear align-corners", w -> resize(w, true, false, 17, 21)),
                of("ResizeBilinear down to 5×7", w -> resize(w, false, true, 5, 7)),
                of(
                        "ResizeNearestNeighbor ×2",
                        w -> {
                            w.op("y", "ResizeNearestNeighbor", "x", w.vector("size", 18, 22))
                                    .b("align_corners", false)
                                    .b("half_pixel_centers", false);
                            return List.of("y");
                        }),
                of(
                        "Transpose, Reshape, MatMul, BiasAdd, Softmax",
                        w -> {
                            w.op("t", "Transpose", "x", w.vector("perm", 0, 3, 1, 2));
                            w.op("r", "Reshape", "t", w.vector("shape", 1, -1));
                            w.op("mm", "MatMul", "r", w.randomFloats("wt", 0.1f, 396, 5))
                                    .b("transpose_a", false)
                                    .b("transpose_b", false);
                            w.op("ba", "BiasAdd", "mm", w.randomFloats("b", 1f, 5));
                            w.op("y", "Softmax", "ba");
                            return List.of("y");
                        }),
                of(
                        "SplitV, second output, AddN",
                        w -> {
                            w.op("s", "SplitV", "x", w.vector("sizes", 1, -1), w.scalar("dim", 3))
                                    .i("num_split", 2);
                            w.op("e", "Elu", "s:1");
                            w.op("y", "AddN", "s", "s", "s").i("N", 3);
                            return List.of("y", "e");
                        }),
                of(
                        "Transpose to NCHW and back (free), then Conv2D",
                        w -> {
                            w.op("t", "Transpose", "x", w.vector("perm", 0, 3, 1, 2));
                            w.op("u", "Transpose", "t", w.vector("perm2", 0, 2, 3, 1));
                            w.op("y", "Conv2D", "u", w.randomFloats("f", 0.5f, 1, 1, 4, 3))
                                    .ints("strides", 1, 1, 1, 1)
                                    .s("padding", "SAME");
                            return List.of("y", "t");
                        }));
    }

    private static List<String> fused(TfjsGraphWriter w, String activation) {
        String[] ins =
                activation.equals("Prelu")
                        ? new String[] {
                            "x",
                            w.randomFloats("f", 0.5f, 3, 3, 4, 6),
                            w.randomFloats("b", 0.5f, 6),
                            w.randomFloats("alpha", 0.5f, 6)
                        }
                        : new String[] {
                            "x", w.randomFloats("f", 0.5f, 3, 3, 4, 6), w.randomFloats("b", 0.5f, 6)
                        };
        w.op("y", "_FusedConv2D", ins)
                .ints("strides", 1, 1, 1, 1)
                .s("padding", "SAME")
                .strings("fused_ops", "BiasAdd", activation)
                .i("num_args", ins.length - 2)
                .f("leakyrelu_alpha", 0.1f);
        return List.of("y");
    }

    private static List<String> resize(
            TfjsGraphWriter w, boolean align, boolean half, int h, int wd) {
        w.op("y", "ResizeBilinear", "x", w.vector("size", h, wd))
                .b("align_corners", align)
                .b("half_pixel_centers", half);
        return List.of("y");
    }

    private static Arguments of(String name, Case c) {
        return Arguments.of(name, c);
    }

    static Stream<Arguments> quantized() {
        return Stream.of(Arguments.of(Quantization.FLOAT16), Arguments.of(Quantization.UINT8));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldMatchTheTfjsRuntime(String name, Case c) throws Exception {
        assertParity(name.replaceAll("[^A-Za-z0-9]", "_"), Quantization.NONE, c, 1e-4);
    }

    @ParameterizedTest(name = "{0} weights")
    @MethodSource("quantized")
    void shouldDequantizeWeightsLikeTheTfjsRuntime(Quantization q) throws Exception {
        assertParity("quantized_" + q, q, w -> fused(w, "Relu6"), 1e-4);
    }

    private static void assertParity(String id, Quantization q, Case c, double tolerance)
            throws Exception {
        TfjsGraphWriter w = new TfjsGraphWriter(q, id.hashCode());
        w.placeholder("x", IN);
        List<String> outputs = c.apply(w);
        Path model = w.write(work.resolve(id), "x", IN, outputs);
        float[] x = new float[(int) TfTensor.size(IN)];
        Random r = new Random(3);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }

        OnnxGraph g =
                TfjsImporter.convert(
                        TfjsGraphModelReader.read(model),
                        TfjsImporter.Options.defaults().withOutputs(outputs));
        Map<String, TfjsReference.Output> ref =
                TfjsReference.run(
                        model,
                        List.of(new TfjsReference.Input("x", IN, x)),
                        outputs,
                        work.resolve(id + "-out"));
        Map<String, float[]> ort =
                OrtSessions.run(g, new long[] {1, 4, 9, 11}, TfjsReference.toNchw(x, 1, 9, 11, 4));

        for (int i = 0; i < outputs.size(); i++) {
            TfjsReference.Output o = ref.get(outputs.get(i));
            long[] s = o.shape();
            float[] expected =
                    s.length == 4
                            ? TfjsReference.toNchw(
                                    o.data(), (int) s[0], (int) s[1], (int) s[2], (int) s[3])
                            : o.data();
            float[] actual = ort.get(g.outputs().get(i).name());
            assertThat(actual)
                    .as("%s: %s element count", id, outputs.get(i))
                    .hasSameSizeAs(expected);
            assertThat(OrtSessions.relativeMaxError(actual, expected))
                    .as("%s: %s", id, outputs.get(i))
                    .isLessThanOrEqualTo(tolerance);
        }
    }
}
