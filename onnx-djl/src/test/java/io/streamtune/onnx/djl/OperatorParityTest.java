package io.streamtune.onnx.djl;

import static io.streamtune.onnx.djl.OnnxFixtures.feeds;
import static io.streamtune.onnx.djl.OnnxFixtures.floatInput;
import static io.streamtune.onnx.djl.OnnxFixtures.positive;
import static io.streamtune.onnx.djl.OnnxFixtures.random;
import static io.streamtune.onnx.djl.OnnxFixtures.singleOp;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamtune.onnx.ir.Attribute;
import io.streamtune.onnx.ir.ElementType;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxNode;
import io.streamtune.onnx.ir.OnnxTensor;
import io.streamtune.onnx.ir.OnnxWriter;
import io.streamtune.onnx.ir.TensorInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OperatorParityTest {

    /** A case of one operator reading only {@code x}, with one output. */
    private static Case onX(
            String name, String op, List<TensorInfo> in, OnnxTensor x, Attribute... attrs) {
        return new Case(name, singleOp(op, in, List.of(), List.of("x"), 1, attrs), feeds(x));
    }

    record Case(String name, OnnxGraph graph, Map<String, OnnxTensor> inputs) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        Random r = new Random(20261129L);
        List<Case> c = new ArrayList<>();
        OnnxTensor x4 = random(r, "x", 2, 4, 9, 9);
        List<TensorInfo> in4 = List.of(floatInput("x", 2, 4, 9, 9));

        c.add(
                new Case(
                        "Conv 3x3 pad 1 with bias",
                        singleOp(
                                "Conv",
                                in4,
                                List.of(random(r, "w", 6, 4, 3, 3), random(r, "b", 6)),
                                List.of("x", "w", "b"),
                                1,
                                Attribute.ints("pads", 1, 1, 1, 1)),
                        feeds(x4)));
        c.add(
                new Case(
                        "Conv groups 2 dilation 2 stride 2 asymmetric pads",
                        singleOp(
                                "Conv",
                                in4,
                                List.of(random(r, "w", 6, 2, 3, 3)),
                                List.of("x", "w"),
                                1,
                                Attribute.of("group", 2L),
                                Attribute.ints("dilations", 2, 2),
                                Attribute.ints("strides", 2, 2),
                                Attribute.ints("pads", 0, 1, 2, 1)),
                        feeds(x4)));
        c.add(
                new Case(
                        "Conv auto_pad SAME_UPPER stride 2",
                        singleOp(
                                "Conv",
                                in4,
                                List.of(random(r, "w", 3, 4, 4, 4)),
                                List.of("x", "w"),
                                1,
                                Attribute.of("auto_pad", "SAME_UPPER"),
                                Attribute.ints("strides", 2, 2)),
                        feeds(x4)));
        c.add(
                new Case(
                        "Conv depthwise",
                        singleOp(
                                "Conv",
                                in4,
                                List.of(random(r, "w", 4, 1, 3, 3), random(r, "b", 4)),
                                List.of("x", "w", "b"),
                                1,
                                Attribute.of("group", 4L),
                                Attribute.ints("pads", 1, 1, 1, 1),
                                Attribute.ints("strides", 2, 2)),
                        feeds(x4)));
        c.add(
                new Case(
                        "ConvTranspose stride 2 kernel 2",
                        singleOp(
                                "ConvTranspose",
                                in4,
                                List.of(random(r, "w", 4, 3, 2, 2), random(r, "b", 3)),
                                List.of("x", "w", "b"),
                                1,
                                Attribute.ints("strides", 2, 2)),
                        feeds(x4)));
        c.add(
                new Case(
                        "ConvTranspose stride 2 kernel 3 pads output_padding groups",
                        singleOp(
                                "ConvTranspose",
                                in4,
                                List.of(random(r, "w", 4, 2, 3, 3)),
                                List.of("x", "w"),
                                1,
                                Attribute.ints("strides", 2, 2),
                                Attribute.ints("pads", 1, 1, 1, 1),
                                Attribute.ints("output_padding", 1, 1),
                                Attribute.of("group", 2L)),
                        feeds(x4)));
        c.add(
                new Case(
                        "BatchNormalization inference",
                        singleOp(
                                "BatchNormalization",
                                in4,
                                List.of(
                                        random(r, "s", 4),
                                        random(r, "bb", 4),
                                        random(r, "m", 4),
                                        positive(r, "v", 4)),
                                List.of("x", "s", "bb", "m", "v"),
                                1,
                                Attribute.of("epsilon", 1e-3f)),
                        feeds(x4)));
        c.add(
                new Case(
                        "InstanceNormalization",
                        singleOp(
                                "InstanceNormalization",
                                in4,
                                List.of(random(r, "s", 4), random(r, "bb", 4)),
                                List.of("x", "s", "bb"),
                                1,
                                Attribute.of("epsilon", 1e-3f)),
                        feeds(x4)));
        for (String op : List.of("Relu", "Sigmoid", "HardSwish", "Identity", "GlobalAveragePool")) {
            c.add(new Case(op, singleOp(op, in4, List.of(), List.of("x"), 1), feeds(x4)));
        }
        c.add(onX("LeakyRelu alpha 0.1", "LeakyRelu", in4, x4, Attribute.of("alpha", 0.1f)));
        c.add(
                onX(
                        "HardSigmoid alpha beta",
                        "HardSigmoid",
                        in4,
                        x4,
                        Attribute.of("alpha", 0.3f),
                        Attribute.of("beta", 0.4f)));
        c.add(
                new Case(
                        "Clip as ReLU6",
                        singleOp(
                                "Clip",
                                in4,
                                List.of(scalar("lo", 0f), scalar("hi", 0.5f)),
                                List.of("x", "lo", "hi"),
                                1),
                        feeds(x4)));
        c.add(
                new Case(
                        "Clip min only",
                        singleOp("Clip", in4, List.of(scalar("lo", -0.2f)), List.of("x", "lo"), 1),
                        feeds(x4)));
        c.add(
                new Case(
                        "Dropout in inference",
                        singleOp("Dropout", in4, List.of(), List.of("x"), 1),
                        feeds(x4)));
        for (String op : List.of("Add", "Sub", "Mul", "Div")) {
            c.add(
                    new Case(
                            op + " broadcast",
                            singleOp(
                                    op,
                                    in4,
                                    List.of(positive(r, "k", 4, 1, 1)),
                                    List.of("x", "k"),
                                    1),
                            feeds(x4)));
        }
        c.add(
                onX(
                        "MaxPool 3x3 stride 2 pad 1",
                        "MaxPool",
                        in4,
                        x4,
                        Attribute.ints("kernel_shape", 3, 3),
                        Attribute.ints("strides", 2, 2),
                        Attribute.ints("pads", 1, 1, 1, 1)));
        c.add(
                onX(
                        "MaxPool ceil_mode",
                        "MaxPool",
                        in4,
                        x4,
                        Attribute.ints("kernel_shape", 2, 2),
                        Attribute.ints("strides", 2, 2),
                        Attribute.of("ceil_mode", 1L)));
        c.add(
                onX(
                        "MaxPool dilated with ceil_mode and pads",
                        "MaxPool",
                        in4,
                        x4,
                        Attribute.ints("kernel_shape", 3, 3),
                        Attribute.ints("strides", 2, 2),
                        Attribute.ints("dilations", 2, 2),
                        Attribute.ints("pads", 1, 1, 1, 1),
                        Attribute.of("ceil_mode", 1L)));
        c.add(
                onX(
                        "MaxPool asymmetric pads",
                        "MaxPool",
                        in4,
                        x4,
                        Attribute.ints("kernel_shape", 3, 3),
                        Attribute.ints("strides", 2, 2),
                        Attribute.ints("pads", 0, 1, 2, 0)));
        c.add(
                onX(
                        "AveragePool exclude pad",
                        "AveragePool",
                        in4,
                        x4,
                        Attribute.ints("kernel_shape", 3, 3),
                        Attribute.ints("strides", 2, 2),
                        Attribute.ints("pads", 1, 1, 1, 1)));
        c.add(
                onX(
                        "AveragePool include pad asymmetric",
                        "AveragePool",
                        in4,
                        x4,
                        Attribute.ints("kernel_shape", 3, 3),
                        Attribute.ints("pads", 0, 1, 2, 1),
                        Attribute.of("count_include_pad", 1L)));
        c.add(
                onX(
                        "AveragePool exclude pad asymmetric",
                        "AveragePool",
                        in4,
                        x4,
                        Attribute.ints("kernel_shape", 3, 3),
                        Attribute.ints("pads", 0, 1, 2, 1)));
        c.add(onX("Flatten axis 2", "Flatten", in4, x4, Attribute.of("axis", 2L)));
        c.add(
                new Case(
                        "Reshape with 0 and -1",
                        singleOp(
                                "Reshape",
                                in4,
                                List.of(OnnxTensor.vector("s", 0, -1, 3)),
                                List.of("x", "s"),
                                1),
                        feeds(x4)));
        c.add(onX("Transpose perm", "Transpose", in4, x4, Attribute.ints("perm", 0, 2, 3, 1)));
        c.add(
                new Case(
                        "Concat axis 1",
                        singleOp(
                                "Concat",
                                List.of(floatInput("x", 2, 4, 9, 9)),
                                List.of(random(r, "k", 2, 3, 9, 9)),
                                List.of("x", "k"),
                                1,
                                Attribute.of("axis", 1L)),
                        feeds(x4)));
        c.add(
                new Case(
                        "Split unequal",
                        singleOp(
                                "Split",
                                in4,
                                List.of(OnnxTensor.vector("sp", 1, 3)),
                                List.of("x", "sp"),
                                2,
                                Attribute.of("axis", 1L)),
                        feeds(x4)));
        c.add(
                new Case(
                        "Split equal",
                        singleOp(
                                "Split",
                                in4,
                                List.of(),
                                List.of("x"),
                                2,
                                Attribute.of("axis", -3L)),
                        feeds(x4)));
        c.add(
                new Case(
                        "Slice with steps and negatives",
                        singleOp(
                                "Slice",
                                in4,
                                List.of(
                                        OnnxTensor.vector("st", 1, -1, 0),
                                        OnnxTensor.vector("en", 4, -100, 100),
                                        OnnxTensor.vector("ax", 1, 2, 3),
                                        OnnxTensor.vector("sp", 2, -2, 3)),
                                List.of("x", "st", "en", "ax", "sp"),
                                1),
                        feeds(x4)));
        OnnxTensor a2 = random(r, "a", 5, 7);
        c.add(
                new Case(
                        "Gemm alpha beta transB",
                        singleOp(
                                "Gemm",
                                List.of(floatInput("a", 5, 7)),
                                List.of(random(r, "w", 3, 7), random(r, "c", 3)),
                                List.of("a", "w", "c"),
                                1,
                                Attribute.of("alpha", 0.7f),
                                Attribute.of("beta", 1.3f),
                                Attribute.of("transB", 1L)),
                        feeds(a2)));
        c.add(
                new Case(
                        "Gemm transA",
                        singleOp(
                                "Gemm",
                                List.of(floatInput("a", 5, 7)),
                                List.of(random(r, "w", 5, 3)),
                                List.of("a", "w"),
                                1,
                                Attribute.of("transA", 1L)),
                        feeds(a2)));
        c.add(
                new Case(
                        "MatMul batched",
                        singleOp(
                                "MatMul", in4, List.of(random(r, "w", 9, 5)), List.of("x", "w"), 1),
                        feeds(x4)));
        c.add(onX("Softmax axis 1", "Softmax", in4, x4, Attribute.of("axis", 1L)));
        c.add(
                new Case(
                        "Resize nearest asymmetric floor x2",
                        singleOp(
                                "Resize",
                                in4,
                                List.of(
                                        OnnxTensor.ofFloats(
                                                "sc", new long[] {4}, new float[] {1, 1, 2, 2})),
                                List.of("x", "", "sc"),
                                1,
                                Attribute.of("mode", "nearest"),
                                Attribute.of("coordinate_transformation_mode", "asymmetric"),
                                Attribute.of("nearest_mode", "floor")),
                        feeds(x4)));
        c.add(
                new Case(
                        "Resize nearest half_pixel round_prefer_floor to sizes",
                        singleOp(
                                "Resize",
                                in4,
                                List.of(OnnxTensor.vector("sz", 2, 4, 13, 5)),
                                List.of("x", "", "", "sz"),
                                1,
                                Attribute.of("mode", "nearest")),
                        feeds(x4)));
        c.add(
                new Case(
                        "Resize linear half_pixel x2",
                        singleOp(
                                "Resize",
                                in4,
                                List.of(
                                        OnnxTensor.ofFloats(
                                                "sc", new long[] {4}, new float[] {1, 1, 2, 2})),
                                List.of("x", "", "sc"),
                                1,
                                Attribute.of("mode", "linear")),
                        feeds(x4)));
        c.add(
                new Case(
                        "Resize linear align_corners sizes",
                        singleOp(
                                "Resize",
                                in4,
                                List.of(OnnxTensor.vector("sz", 2, 4, 17, 4)),
                                List.of("x", "", "", "sz"),
                                1,
                                Attribute.of("mode", "linear"),
                                Attribute.of("coordinate_transformation_mode", "align_corners")),
                        feeds(x4)));
        c.add(
                new Case(
                        "Resize linear pytorch_half_pixel downsample",
                        singleOp(
                                "Resize",
                                in4,
                                List.of(OnnxTensor.vector("sz", 2, 4, 4, 1)),
                                List.of("x", "", "", "sz"),
                                1,
                                Attribute.of("mode", "linear"),
                                Attribute.of(
                                        "coordinate_transformation_mode", "pytorch_half_pixel")),
                        feeds(x4)));
        c.add(
                new Case(
                        "Resize cubic half_pixel x2",
                        singleOp(
                                "Resize",
                                in4,
                                List.of(
                                        OnnxTensor.ofFloats(
                                                "sc", new long[] {4}, new float[] {1, 1, 2, 2})),
                                List.of("x", "", "sc"),
                                1,
                                Attribute.of("mode", "cubic")),
                        feeds(x4)));
        for (String mode : List.of("constant", "reflect", "edge")) {
            c.add(
                    new Case(
                            "Pad " + mode,
                            singleOp(
                                    "Pad",
                                    in4,
                                    List.of(
                                            OnnxTensor.vector("p", 0, 0, 1, 2, 0, 0, 3, 1),
                                            scalar("cv", 0.25f)),
                                    List.of("x", "p", mode.equals("constant") ? "cv" : ""),
                                    1,
                                    Attribute.of("mode", mode)),
                            feeds(x4)));
        }
        c.add(
                new Case(
                        "Gather negative indices",
                        singleOp(
                                "Gather",
                                in4,
                                List.of(OnnxTensor.ofLongs("i", new long[] {2, 2}, 0, -1, 3, 1)),
                                List.of("x", "i"),
                                1,
                                Attribute.of("axis", 2L)),
                        feeds(x4)));
        c.add(
                new Case(
                        "Unsqueeze",
                        singleOp(
                                "Unsqueeze",
                                in4,
                                List.of(OnnxTensor.vector("ax", -1, 1)),
                                List.of("x", "ax"),
                                1),
                        feeds(x4)));
        c.add(
                new Case(
                        "Squeeze",
                        singleOp(
                                "Squeeze",
                                List.of(floatInput("x", 2, 1, 9, 1)),
                                List.of(OnnxTensor.vector("ax", 3)),
                                List.of("x", "ax"),
                                1),
                        feeds(random(r, "x", 2, 1, 9, 1))));
        OnnxGraph shape = singleOp("Shape", in4, List.of(), List.of("x"), 1);
        shape =
                new OnnxGraph(
                        "shape",
                        15,
                        shape.inputs(),
                        List.of(new TensorInfo("y", ElementType.INT64, null)),
                        List.of(shape.nodes().get(0).withAttribute(Attribute.of("start", 1L))),
                        Map.of(),
                        Map.of());
        c.add(new Case("Shape from 1", shape, feeds(x4)));
        c.add(new Case("Shape plumbing flatten", flattenPlumbing(), feeds(x4)));
        c.add(new Case("Tanh", singleOp("Tanh", in4, List.of(), List.of("x"), 1), feeds(x4)));
        c.add(
                onX(
                        "ReduceMean spatial keepdims",
                        "ReduceMean",
                        in4,
                        x4,
                        Attribute.ints("axes", 2, 3)));
        c.add(
                onX(
                        "ReduceMean without keepdims",
                        "ReduceMean",
                        in4,
                        x4,
                        Attribute.ints("axes", -1, 1),
                        Attribute.of("keepdims", 0L)));
        OnnxGraph cast = singleOp("Cast", in4, List.of(), List.of("x"), 1, Attribute.of("to", 7L));
        cast =
                new OnnxGraph(
                        "cast",
                        13,
                        cast.inputs(),
                        List.of(new TensorInfo("y", ElementType.INT64, null)),
                        cast.nodes(),
                        Map.of(),
                        Map.of());
        c.add(new Case("Cast float to int64", cast, feeds(x4)));
        return c.stream();
    }

    static OnnxTensor scalar(String name, float v) {
        return OnnxTensor.ofFloats(name, new long[0], new float[] {v});
    }

    /**
     * torchvision-style {@code x.view(x.size(0), -1)} with a Constant node, Shape, Gather,
     * Unsqueeze and Concat.
     */
    static OnnxGraph flattenPlumbing() {
        List<OnnxNode> nodes =
                List.of(
                        OnnxNode.of("shape", "Shape", List.of("x"), List.of("s")),
                        OnnxNode.of(
                                "zero",
                                "Constant",
                                List.of(),
                                List.of("z"),
                                Attribute.tensor("value", OnnxTensor.ofLongs("z", new long[0], 0))),
                        OnnxNode.of("gather", "Gather", List.of("s", "z"), List.of("n")),
                        OnnxNode.of("unsq", "Unsqueeze", List.of("n", "ax"), List.of("n1")),
                        OnnxNode.of(
                                "concat",
                                "Concat",
                                List.of("n1", "minus1"),
                                List.of("target"),
                                Attribute.of("axis", 0L)),
                        OnnxNode.of("reshape", "Reshape", List.of("x", "target"), List.of("y")));
        return new OnnxGraph(
                "plumbing",
                13,
                List.of(floatInput("x", -1, 4, 9, 9)),
                List.of(OnnxFixtures.output("y")),
                nodes,
                Map.of("ax", OnnxTensor.vector("ax", 0), "minus1", OnnxTensor.vector("minus1", -1)),
                Map.of());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldMatchOnnxRuntimeWithinOneInTenThousand(Case c) throws Exception {
        OnnxGraph read = BridgeReader.read(OnnxWriter.toBytes(c.graph()));

        Map<String, OnnxTensor> expected = OnnxFixtures.runOrt(c.graph(), c.inputs());
        Map<String, OnnxTensor> actual = OnnxFixtures.runDjl(read, c.inputs());

        for (String name : expected.keySet()) {
            assertThat(actual.get(name).shape())
                    .as(name + " shape")
                    .containsExactly(expected.get(name).shape());
            assertThat(OnnxFixtures.maxAbsDiff(actual.get(name), expected.get(name)))
                    .as(name)
                    .isLessThanOrEqualTo(1e-4);
        }
    }
}
