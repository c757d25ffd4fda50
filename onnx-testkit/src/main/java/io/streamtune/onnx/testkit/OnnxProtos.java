package io.streamtune.onnx.testkit;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;

/**
 * Raw ONNX protos for tests, written the way exporters write them (float tensors as little-endian
 * raw data): value infos with fixed or symbolic dimensions, initializers, nodes, attributes, and a
 * model at any opset with its matching IR version and {@code metadata_props}.
 */
public final class OnnxProtos {

    private static final int FLOAT = TensorProto.DataType.FLOAT.getNumber();
    private static final int INT64 = TensorProto.DataType.INT64.getNumber();

    private OnnxProtos() {}

    /** A float tensor's value info; a dimension is a size, or a symbol when given as a String. */
    public static ValueInfoProto value(String name, Object... dims) {
        return typedValue(name, TensorProto.DataType.FLOAT, dims);
    }

    /** {@link #value} for a tensor of another element type (int64 labels, uint8 images). */
    public static ValueInfoProto typedValue(
            String name, TensorProto.DataType type, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            shape.addDim(
                    d instanceof String s
                            ? TensorShapeProto.Dimension.newBuilder().setDimParam(s)
                            : TensorShapeProto.Dimension.newBuilder()
                                    .setDimValue(((Number) d).longValue()));
        }
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(
                        TypeProto.newBuilder()
                                .setTensorType(
                                        TypeProto.Tensor.newBuilder()
                                                .setElemType(type.getNumber())
                                                .setShape(shape)))
                .build();
    }

    /** A float initializer; the dims must hold exactly the values. */
    public static TensorProto floats(String name, float[] values, long... dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        if (n != values.length) {
            throw new IllegalArgumentException(
                    name + ": dims do not match " + values.length + " values");
        }
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : values) {
            b.putFloat(f);
        }
        TensorProto.Builder t =
                TensorProto.newBuilder()
                        .setName(name)
                        .setDataType(FLOAT)
                        .setRawData(ByteString.copyFrom(b.array()));
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    /** A 1-D int64 initializer. */
    public static TensorProto longs(String name, long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long l : values) {
            b.putLong(l);
        }
        return TensorProto.newBuilder()
                .setName(name)
                .setDataType(INT64)
                .addDims(values.length)
                .setRawData(ByteString.copyFrom(b.array()))
                .build();
    }

    /** A node with one output, named after it. */
    public static NodeProto.Builder node(
            String op, List<String> inputs, String output, AttributeProto... attributes) {
        return NodeProto.newBuilder()
                .setOpType(op)
                .setName(output + "_" + op)
                .addAllInput(inputs)
                .addOutput(output)
                .addAllAttribute(List.of(attributes));
    }

    public static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a =
                AttributeProto.newBuilder()
                        .setName(name)
                        .setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    public static AttributeProto floatList(String name, float... values) {
        AttributeProto.Builder a =
                AttributeProto.newBuilder()
                        .setName(name)
                        .setType(AttributeProto.AttributeType.FLOATS);
        for (float v : values) {
            a.addFloats(v);
        }
        return a.build();
    }

    public static AttributeProto integer(String name, long v) {
        return AttributeProto.newBuilder()
                .setName(name)
                .setType(AttributeProto.AttributeType.INT)
                .setI(v)
                .build();
    }

    public static AttributeProto real(String name, float v) {
        return AttributeProto.newBuilder()
                .setName(name)
                .setType(AttributeProto.AttributeType.FLOAT)
                .setF(v)
                .build();
    }

    public static AttributeProto text(String name, String v) {
        return AttributeProto.newBuilder()
                .setName(name)
                .setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(v))
                .build();
    }

    /** A model at {@code opset} (default domain) with the IR version that opset shipped with. */
    public static ModelProto model(
            GraphProto.Builder graph, int opset, Map<String, String> metadata) {
        ModelProto.Builder m =
                ModelProto.newBuilder()
                        .setIrVersion(irVersion(opset))
                        .setProducerName("streamtune-test")
                        .addOpsetImport(
                                OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                        .setGraph(graph);
        metadata.forEach(
                (k, v) ->
                        m.addMetadataProps(
                                StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return m.build();
    }

    /** An opset-13 model (IR 8, as streamtune writes them) of a built graph. */
    public static ModelProto model(GraphProto graph, Map<String, String> metadata) {
        return model(graph.toBuilder(), metadata);
    }

    /** An opset-13 model (IR 8, as streamtune writes them). */
    public static ModelProto model(GraphProto.Builder graph, Map<String, String> metadata) {
        return model(graph, 13, metadata).toBuilder().setIrVersion(8).build();
    }

    /** The IR version each opset shipped with (ONNX Runtime refuses opsets newer than the IR). */
    public static long irVersion(int opset) {
        if (opset <= 8) {
            return 3;
        }
        if (opset <= 10) {
            return opset - 5;
        }
        if (opset == 11) {
            return 6;
        }
        return opset <= 14 ? 7 : opset <= 18 ? 8 : opset <= 20 ? 9 : 10;
    }
}
