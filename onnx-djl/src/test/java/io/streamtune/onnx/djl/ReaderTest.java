package io.streamtune.onnx.djl;

import static io.streamtune.onnx.djl.OnnxFixtures.floatInput;
import static io.streamtune.onnx.djl.OnnxFixtures.output;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl;
import io.streamtune.onnx.ir.Attribute;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxNode;
import io.streamtune.onnx.ir.OnnxTensor;
import io.streamtune.onnx.ir.OnnxWriter;
import io.streamtune.onnx.ir.UnsupportedOperatorException;
import io.streamtune.onnx.ort.OrtRunner;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReaderTest {

    @Test
    void shouldRejectAnUnsupportedOperatorAtLoadNamingOpNodeAndOpset() {
        OnnxGraph g =
                new OnnxGraph(
                        "g",
                        13,
                        List.of(floatInput("x", 1, 4)),
                        List.of(output("y")),
                        List.of(OnnxNode.of("hardmax", "Hardmax", List.of("x"), List.of("y"))),
                        Map.of(),
                        Map.of());
        byte[] model = OnnxWriter.toBytes(g);

        assertThatThrownBy(() -> BridgeReader.read(model))
                .isInstanceOf(UnsupportedOperatorException.class)
                .hasMessageContaining("Hardmax")
                .hasMessageContaining("hardmax")
                .hasMessageContaining("opset 13");
    }

    @Test
    void shouldRejectResizeAntialiasAtLoad() {
        OnnxGraph g =
                OnnxFixtures.singleOp(
                        "Resize",
                        List.of(floatInput("x", 1, 1, 4, 4)),
                        List.of(OnnxTensor.ofFloats("s", new long[] {4}, new float[] {1, 1, 2, 2})),
                        List.of("x", "", "s"),
                        1,
                        Attribute.of("mode", "linear"),
                        Attribute.of("antialias", 1L));

        assertThatThrownBy(() -> BridgeReader.read(OnnxWriter.toBytes(g)))
                .isInstanceOf(UnsupportedOperatorException.class)
                .hasMessageContaining("antialias");
    }

    @Test
    void shouldReadOpset11SignaturesAndWriteThemAsOpset13WithTheSameOutputs() throws Exception {
        OnnxMl.ModelProto opset11 =
                OnnxWriter.toModel(legacyGraph()).toBuilder()
                        .setOpsetImport(
                                0,
                                OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(11))
                        .setIrVersion(6)
                        .build();
        OnnxTensor x = OnnxFixtures.random(new Random(5), "x", 2, 3, 4);

        OnnxGraph read = BridgeReader.read(opset11);
        byte[] rewritten = OnnxWriter.toBytes(read);

        Map<String, OnnxTensor> expected;
        try (OrtRunner ort = new OrtRunner(opset11.toByteArray(), 1)) {
            expected = ort.run(Map.of("x", x));
        }
        try (OrtRunner ort = new OrtRunner(rewritten, 1)) {
            Map<String, OnnxTensor> actual = ort.run(Map.of("x", x));
            assertThat(OnnxFixtures.maxAbsDiff(actual.get("y"), expected.get("y")))
                    .isLessThanOrEqualTo(1e-6);
        }
        Map<String, OnnxTensor> djl = OnnxFixtures.runDjl(read, Map.of("x", x));
        assertThat(OnnxFixtures.maxAbsDiff(djl.get("y"), expected.get("y")))
                .isLessThanOrEqualTo(1e-5);
        assertThat(OnnxMl.ModelProto.parseFrom(rewritten).getOpsetImport(0).getVersion())
                .isEqualTo(13);
    }

    /** Opset-11 forms: Softmax over a flattened axis, Unsqueeze/Squeeze with axes attributes. */
    private static OnnxGraph legacyGraph() {
        return new OnnxGraph(
                "legacy",
                11,
                List.of(floatInput("x", 2, 3, 4)),
                List.of(output("y")),
                List.of(
                        OnnxNode.of(
                                "soft",
                                "Softmax",
                                List.of("x"),
                                List.of("s"),
                                Attribute.of("axis", 1L)),
                        OnnxNode.of(
                                "unsq",
                                "Unsqueeze",
                                List.of("s"),
                                List.of("u"),
                                Attribute.ints("axes", 0L, 3L)),
                        OnnxNode.of(
                                "sq",
                                "Squeeze",
                                List.of("u"),
                                List.of("y"),
                                Attribute.ints("axes", 0L))),
                Map.of(),
                Map.of());
    }

    @Test
    void shouldFoldConstantNodesIntoInitializers() throws Exception {
        OnnxGraph g =
                new OnnxGraph(
                        "c",
                        13,
                        List.of(floatInput("x", 2)),
                        List.of(output("y")),
                        List.of(
                                OnnxNode.of(
                                        "k",
                                        "Constant",
                                        List.of(),
                                        List.of("kv"),
                                        Attribute.tensor(
                                                "value",
                                                OnnxTensor.ofFloats(
                                                        "kv", new long[] {2}, new float[] {1, 2}))),
                                OnnxNode.of("add", "Add", List.of("x", "kv"), List.of("y"))),
                        Map.of(),
                        Map.of());

        OnnxGraph read = BridgeReader.read(OnnxWriter.toBytes(g));

        assertThat(read.nodes()).extracting(OnnxNode::opType).containsExactly("Add");
        assertThat(read.initializers().get("kv").floats()).containsExactly(1f, 2f);
    }

    @Test
    void shouldRefuseTensorsWhoseDimsPromiseMoreThanTheyHoldWithoutAllocating() {
        var huge =
                OnnxMl.TensorProto.newBuilder()
                        .setName("w")
                        .setDataType(OnnxMl.TensorProto.DataType.FLOAT_VALUE)
                        .addDims(2_000_000_000L)
                        .setRawData(com.google.protobuf.ByteString.copyFrom(new byte[8]))
                        .build();
        var short_ = huge.toBuilder().clearDims().addDims(3).build(); // 3 floats in 8 bytes
        var negative = huge.toBuilder().clearDims().addDims(-2).build();
        var overflow = huge.toBuilder().clearDims().addDims(1L << 40).addDims(1L << 40).build();
        var typed =
                OnnxMl.TensorProto.newBuilder()
                        .setName("b")
                        .setDataType(OnnxMl.TensorProto.DataType.FLOAT_VALUE)
                        .addDims(1_000_000_000L)
                        .addFloatData(1f)
                        .build();

        assertThatThrownBy(() -> io.streamtune.onnx.ir.OnnxReader.tensor(huge))
                .hasMessageContaining(
                        "tensor w declares 2000000000 elements of FLOAT but holds 8 bytes");
        assertThatThrownBy(() -> io.streamtune.onnx.ir.OnnxReader.tensor(short_))
                .hasMessageContaining("declares 3 elements");
        assertThatThrownBy(() -> io.streamtune.onnx.ir.OnnxReader.tensor(negative))
                .hasMessageContaining("negative dim");
        assertThatThrownBy(() -> io.streamtune.onnx.ir.OnnxReader.tensor(overflow))
                .hasMessageContaining("more than an array holds");
        assertThatThrownBy(() -> io.streamtune.onnx.ir.OnnxReader.tensor(typed))
                .hasMessageContaining("holds 1 values");
        assertThat(
                        io.streamtune.onnx.ir.OnnxReader.tensor(
                                        huge.toBuilder().clearDims().addDims(2).build())
                                .floats())
                .hasSize(2);
    }
}
