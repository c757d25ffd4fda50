package io.streamtune.onnx.ir;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes an {@link OnnxGraph} as an ONNX model (IR 8, default-domain opset at least 13), nodes in
 * topological order, initializers as little-endian raw data, {@code metadata_props} included.
 */
public final class OnnxWriter {

    /** The IR version written. */
    public static final long IR_VERSION = 8;

    /** The lowest opset written (older graphs are normalised to opset-13 signatures on read). */
    public static final int MIN_WRITTEN_OPSET = 13;

    /** Supported operators that first appeared after opset 13, with their first opset. */
    private static final Map<String, Integer> INTRODUCED_AFTER_13 = Map.of("HardSwish", 14);

    private OnnxWriter() {}

    /** Writes the model file. */
    public static void write(OnnxGraph graph, Path file) throws IOException {
        try (OutputStream out =
                new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            toModel(graph).writeTo(out);
        }
    }

    /** Serialises the model. */
    public static byte[] toBytes(OnnxGraph graph) {
        return toModel(graph).toByteArray();
    }

    /** Builds the {@code ModelProto}. */
    public static OnnxMl.ModelProto toModel(OnnxGraph g) {
        int opset = Math.max(MIN_WRITTEN_OPSET, g.opset());
        for (OnnxNode n : g.nodes()) {
            opset = Math.max(opset, INTRODUCED_AFTER_13.getOrDefault(n.opType(), 0));
        }
        OnnxMl.GraphProto.Builder gb = OnnxMl.GraphProto.newBuilder().setName(g.name());
        for (OnnxNode n : g.nodes()) {
            gb.addNode(node(n, opset));
        }
        for (OnnxTensor t : g.initializers().values()) {
            gb.addInitializer(tensor(t));
        }
        for (TensorInfo i : g.inputs()) {
            gb.addInput(valueInfo(i));
        }
        for (TensorInfo o : g.outputs()) {
            gb.addOutput(valueInfo(o));
        }
        OnnxMl.ModelProto.Builder mb =
                OnnxMl.ModelProto.newBuilder()
                        .setIrVersion(IR_VERSION)
                        .setProducerName("streamtune")
                        .setProducerVersion("0.1")
                        .addOpsetImport(
                                OnnxMl.OperatorSetIdProto.newBuilder()
                                        .setDomain("")
                                        .setVersion(opset))
                        .setGraph(gb);
        for (Map.Entry<String, String> e : g.metadata().entrySet()) {
            mb.addMetadataProps(
                    OnnxMl.StringStringEntryProto.newBuilder()
                            .setKey(e.getKey())
                            .setValue(e.getValue()));
        }
        return mb.build();
    }

    private static OnnxMl.NodeProto node(OnnxNode n, int opset) {
        OnnxMl.NodeProto.Builder b =
                OnnxMl.NodeProto.newBuilder()
                        .setName(n.name())
                        .setOpType(n.opType())
                        .addAllInput(n.inputs())
                        .addAllOutput(n.outputs());
        for (Attribute a : n.attributes().values()) {
            if (n.opType().equals("BatchNormalization") && a.name().equals("training_mode")) {
                continue; // exported models are inference graphs; 0 is the default from opset 14 on
            }
            b.addAttribute(attribute(a));
        }
        return b.build();
    }

    /** Encodes an attribute. */
    public static OnnxMl.AttributeProto attribute(Attribute a) {
        OnnxMl.AttributeProto.Builder b = OnnxMl.AttributeProto.newBuilder().setName(a.name());
        switch (a.kind()) {
            case INT -> b.setType(OnnxMl.AttributeProto.AttributeType.INT).setI((Long) a.value());
            case FLOAT ->
                    b.setType(OnnxMl.AttributeProto.AttributeType.FLOAT).setF((Float) a.value());
            case STRING ->
                    b.setType(OnnxMl.AttributeProto.AttributeType.STRING)
                            .setS(ByteString.copyFromUtf8((String) a.value()));
            case INTS -> {
                b.setType(OnnxMl.AttributeProto.AttributeType.INTS);
                for (long v : (long[]) a.value()) {
                    b.addInts(v);
                }
            }
            case FLOATS -> {
                b.setType(OnnxMl.AttributeProto.AttributeType.FLOATS);
                for (float v : (float[]) a.value()) {
                    b.addFloats(v);
                }
            }
            case STRINGS -> {
                b.setType(OnnxMl.AttributeProto.AttributeType.STRINGS);
                @SuppressWarnings("unchecked")
                List<String> l = (List<String>) a.value();
                l.forEach(s -> b.addStrings(ByteString.copyFromUtf8(s)));
            }
            case TENSOR ->
                    b.setType(OnnxMl.AttributeProto.AttributeType.TENSOR)
                            .setT(tensor((OnnxTensor) a.value()));
        }
        return b.build();
    }

    /** Encodes a tensor as raw little-endian data. */
    public static OnnxMl.TensorProto tensor(OnnxTensor t) {
        OnnxMl.TensorProto.Builder b = OnnxMl.TensorProto.newBuilder().setName(t.name());
        for (long d : t.shape()) {
            b.addDims(d);
        }
        int n = (int) t.elementCount();
        ByteBuffer buf;
        switch (t.type()) {
            case FLOAT, DOUBLE -> {
                b.setDataType(ElementType.FLOAT.onnxCode());
                buf = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
                buf.asFloatBuffer().put(t.floats());
            }
            case INT64 -> {
                b.setDataType(t.type().onnxCode());
                buf = ByteBuffer.allocate(n * 8).order(ByteOrder.LITTLE_ENDIAN);
                buf.asLongBuffer().put(t.longs());
            }
            case INT32 -> {
                b.setDataType(t.type().onnxCode());
                buf = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (long v : t.longs()) {
                    buf.putInt((int) v);
                }
                buf.flip();
            }
            default -> {
                b.setDataType(t.type().onnxCode());
                buf = ByteBuffer.allocate(n);
                for (long v : t.longs()) {
                    buf.put((byte) v);
                }
                buf.flip();
            }
        }
        return b.setRawData(ByteString.copyFrom(buf.array())).build();
    }

    private static OnnxMl.ValueInfoProto valueInfo(TensorInfo i) {
        OnnxMl.TypeProto.Tensor.Builder tt =
                OnnxMl.TypeProto.Tensor.newBuilder().setElemType(i.type().onnxCode());
        if (i.shape() != null) {
            OnnxMl.TensorShapeProto.Builder sb = OnnxMl.TensorShapeProto.newBuilder();
            long[] s = i.shape();
            for (int d = 0; d < s.length; d++) {
                OnnxMl.TensorShapeProto.Dimension.Builder db =
                        OnnxMl.TensorShapeProto.Dimension.newBuilder();
                if (s[d] >= 0) {
                    db.setDimValue(s[d]);
                } else {
                    db.setDimParam(d == 0 ? "N" : i.name() + "_d" + d);
                }
                sb.addDim(db);
            }
            tt.setShape(sb);
        }
        return OnnxMl.ValueInfoProto.newBuilder()
                .setName(i.name())
                .setType(OnnxMl.TypeProto.newBuilder().setTensorType(tt))
                .build();
    }
}
