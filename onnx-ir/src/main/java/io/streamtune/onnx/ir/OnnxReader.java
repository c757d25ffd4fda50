package io.streamtune.onnx.ir;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads an ONNX {@code ModelProto} (default-domain opsets 7-21) into an {@link OnnxGraph},
 * normalising older operator signatures to their opset-13 form. Which operators a runtime supports
 * is its own business (the DJL bridge checks them in {@code BridgeReader}).
 */
public final class OnnxReader {

    private static final Logger LOG = LoggerFactory.getLogger(OnnxReader.class);

    /**
     * Lowest default-domain opset read. Signatures are normalised from opset 7 on; a runtime
     * decides per operator whether it accepts an older one (the bridge takes a few ops unchanged
     * since opset 1-6, e.g. GlobalAveragePool, HardSigmoid).
     */
    public static final int MIN_OPSET = 1;

    /** Highest default-domain opset accepted. */
    public static final int MAX_OPSET = 21;

    private OnnxReader() {}

    /** Reads a model file. */
    public static OnnxGraph read(Path file) throws IOException, UnsupportedOperatorException {
        OnnxMl.ModelProto model;
        // Memory-map and alias: tensor bytes stay in the mapping instead of being copied to the
        // heap.
        try (java.nio.channels.FileChannel ch =
                java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ)) {
            java.nio.MappedByteBuffer mapped =
                    ch.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, 0, ch.size());
            // an immutable wrapper lets protobuf alias (not copy) bytes fields
            com.google.protobuf.CodedInputStream in =
                    com.google.protobuf.UnsafeByteOperations.unsafeWrap(mapped).newCodedInput();
            in.enableAliasing(true);
            in.setSizeLimit(Integer.MAX_VALUE);
            model = OnnxMl.ModelProto.parseFrom(in);
        }
        OnnxGraph graph = read(ExternalData.resolve(model, file));
        LOG.info(
                "Read ONNX model {} (opset {}, {} nodes, {} initializers)",
                file,
                graph.opset(),
                graph.nodes().size(),
                graph.initializers().size());
        return graph;
    }

    /** Reads a serialised model. */
    public static OnnxGraph read(byte[] bytes) throws IOException, UnsupportedOperatorException {
        return read(OnnxMl.ModelProto.parseFrom(bytes));
    }

    /** Converts a parsed model. */
    public static OnnxGraph read(OnnxMl.ModelProto model) throws UnsupportedOperatorException {
        int opset = -1;
        for (OnnxMl.OperatorSetIdProto imp : model.getOpsetImportList()) {
            if (imp.getDomain().isEmpty() || imp.getDomain().equals("ai.onnx")) {
                opset = (int) imp.getVersion();
            }
        }
        if (opset < 0) {
            throw new IllegalArgumentException("model declares no default-domain opset import");
        }
        if (model.getIrVersion() < 6) {
            LOG.warn("ONNX IR version {} is older than 6; reading it anyway", model.getIrVersion());
        }
        OnnxMl.GraphProto g = model.getGraph();
        Map<String, OnnxTensor> inits = new LinkedHashMap<>();
        for (OnnxMl.TensorProto t : g.getInitializerList()) {
            inits.put(t.getName(), tensor(t));
        }
        List<TensorInfo> inputs = new ArrayList<>();
        for (OnnxMl.ValueInfoProto v : g.getInputList()) {
            if (!inits.containsKey(v.getName())) {
                inputs.add(info(v));
            }
        }
        List<TensorInfo> outputs = new ArrayList<>();
        for (OnnxMl.ValueInfoProto v : g.getOutputList()) {
            outputs.add(info(v));
        }
        Set<String> usedNames = new HashSet<>();
        for (OnnxMl.NodeProto n : g.getNodeList()) {
            usedNames.add(n.getName());
        }
        List<OnnxNode> nodes = new ArrayList<>();
        int counter = 0;
        for (OnnxMl.NodeProto n : g.getNodeList()) {
            String name = n.getName();
            if (name.isEmpty() || nodes.stream().anyMatch(x -> x.name().equals(n.getName()))) {
                do {
                    name = n.getOpType() + "_" + counter++;
                } while (usedNames.contains(name));
                usedNames.add(name);
            }
            if (!n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) {
                throw new UnsupportedOperatorException(
                        n.getDomain() + "." + n.getOpType(),
                        name,
                        opset,
                        "only the default ONNX domain is supported");
            }
            Map<String, Attribute> attrs = new LinkedHashMap<>();
            for (OnnxMl.AttributeProto a : n.getAttributeList()) {
                if (!a.getRefAttrName().isEmpty()) {
                    throw new UnsupportedOperatorException(
                            n.getOpType(), name, opset, "attribute references");
                }
                attrs.put(a.getName(), attribute(a, n.getOpType(), name, opset));
            }
            OnnxNode node =
                    new OnnxNode(name, n.getOpType(), n.getInputList(), n.getOutputList(), attrs);
            if (opset > MAX_OPSET || opset < MIN_OPSET) {
                throw new UnsupportedOperatorException(
                        node.opType(),
                        node.name(),
                        opset,
                        "opsets " + MIN_OPSET + "-" + MAX_OPSET + " are supported");
            }
            nodes.addAll(Canonical.normalise(node, opset, inits));
        }
        Map<String, String> meta = new LinkedHashMap<>();
        for (OnnxMl.StringStringEntryProto e : model.getMetadataPropsList()) {
            meta.put(e.getKey(), e.getValue());
        }
        String graphName = g.getName().isEmpty() ? "graph" : g.getName();
        return Canonical.foldConstants(
                new OnnxGraph(graphName, opset, inputs, outputs, nodes, inits, meta));
    }

    /** Element count of {@code shape}; negative dims or more than 2^31-1 elements are refused. */
    private static int elements(String name, long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor " + name + " has a negative dim " + d);
            }
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                n = Long.MAX_VALUE;
            }
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(
                    "tensor " + name + " declares " + n + " elements, more than an array holds");
        }
        return (int) n;
    }

    /** Bytes per element in raw storage. */
    private static int rawBytes(ElementType type) {
        return switch (type) {
            case FLOAT, INT32 -> 4;
            case DOUBLE, INT64 -> 8;
            case INT8, BOOL, UINT8 -> 1;
            default -> 1;
        };
    }

    /**
     * Decodes a {@code TensorProto} (raw or typed storage; external data must have been resolved,
     * as {@link #read(Path)} does).
     */
    public static OnnxTensor tensor(OnnxMl.TensorProto t) {
        if (t.hasDataLocation()
                && t.getDataLocation() == OnnxMl.TensorProto.DataLocation.EXTERNAL) {
            throw new IllegalArgumentException(
                    "tensor "
                            + t.getName()
                            + " is stored in an external data file: read the model from its file,"
                            + " with that data beside it");
        }
        ElementType type = ElementType.fromOnnx(t.getDataType());
        long[] shape = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
        String name = t.getName();
        int n = elements(name, shape);
        // Allocate from the bytes present, never from the declared dims alone: dims [2e9] on an
        // empty tensor must not ask for 8 GB.
        long present =
                t.hasRawData()
                        ? t.getRawData().size() / Math.max(1, rawBytes(type))
                        : switch (type) {
                            case FLOAT -> t.getFloatDataCount();
                            case DOUBLE -> t.getDoubleDataCount();
                            case INT64 -> t.getInt64DataCount();
                            default -> t.getInt32DataCount();
                        };
        if (present != n
                || (t.hasRawData() && t.getRawData().size() % Math.max(1, rawBytes(type)) != 0)) {
            throw new IllegalArgumentException(
                    "tensor "
                            + name
                            + " declares "
                            + n
                            + " elements of "
                            + type
                            + " but holds "
                            + (t.hasRawData()
                                    ? t.getRawData().size() + " bytes"
                                    : present + " values"));
        }
        if (t.hasRawData()) {
            ByteBuffer buf = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            switch (type) {
                case FLOAT -> {
                    float[] f = new float[n];
                    buf.asFloatBuffer().get(f);
                    return new OnnxTensor(name, type, shape, f, null);
                }
                case DOUBLE -> {
                    float[] f = new float[n];
                    for (int i = 0; i < n; i++) {
                        f[i] = (float) buf.getDouble(i * 8);
                    }
                    return new OnnxTensor(name, type, shape, f, null);
                }
                case INT64 -> {
                    long[] l = new long[n];
                    buf.asLongBuffer().get(l);
                    return new OnnxTensor(name, type, shape, null, l);
                }
                case INT32 -> {
                    long[] l = new long[n];
                    for (int i = 0; i < n; i++) {
                        l[i] = buf.getInt(i * 4);
                    }
                    return new OnnxTensor(name, type, shape, null, l);
                }
                case INT8, BOOL -> {
                    long[] l = new long[n];
                    for (int i = 0; i < n; i++) {
                        l[i] = buf.get(i);
                    }
                    return new OnnxTensor(name, type, shape, null, l);
                }
                case UINT8 -> {
                    long[] l = new long[n];
                    for (int i = 0; i < n; i++) {
                        l[i] = buf.get(i) & 0xff;
                    }
                    return new OnnxTensor(name, type, shape, null, l);
                }
                default ->
                        throw new IllegalArgumentException("unsupported raw tensor type " + type);
            }
        }
        return switch (type) {
            case FLOAT -> {
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    f[i] = t.getFloatData(i);
                }
                yield new OnnxTensor(name, type, shape, f, null);
            }
            case DOUBLE -> {
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    f[i] = (float) t.getDoubleData(i);
                }
                yield new OnnxTensor(name, type, shape, f, null);
            }
            case INT64 ->
                    new OnnxTensor(
                            name,
                            type,
                            shape,
                            null,
                            t.getInt64DataList().stream().mapToLong(Long::longValue).toArray());
            default ->
                    new OnnxTensor(
                            name,
                            type,
                            shape,
                            null,
                            t.getInt32DataList().stream().mapToLong(Integer::longValue).toArray());
        };
    }

    private static TensorInfo info(OnnxMl.ValueInfoProto v) {
        OnnxMl.TypeProto.Tensor tt = v.getType().getTensorType();
        ElementType type = tt.hasElemType() ? safeType(tt.getElemType()) : ElementType.FLOAT;
        long[] shape = null;
        if (tt.hasShape()) {
            shape = new long[tt.getShape().getDimCount()];
            for (int i = 0; i < shape.length; i++) {
                OnnxMl.TensorShapeProto.Dimension d = tt.getShape().getDim(i);
                shape[i] = d.hasDimValue() ? d.getDimValue() : -1;
            }
        }
        return new TensorInfo(v.getName(), type, shape);
    }

    private static ElementType safeType(int code) {
        try {
            return ElementType.fromOnnx(code);
        } catch (IllegalArgumentException e) {
            return ElementType.FLOAT;
        }
    }

    private static Attribute attribute(OnnxMl.AttributeProto a, String op, String node, int opset)
            throws UnsupportedOperatorException {
        return switch (a.getType()) {
            case INT -> Attribute.of(a.getName(), a.getI());
            case FLOAT -> Attribute.of(a.getName(), a.getF());
            case STRING -> Attribute.of(a.getName(), a.getS().toStringUtf8());
            case INTS ->
                    Attribute.ints(
                            a.getName(),
                            a.getIntsList().stream().mapToLong(Long::longValue).toArray());
            case FLOATS -> {
                float[] f = new float[a.getFloatsCount()];
                for (int i = 0; i < f.length; i++) {
                    f[i] = a.getFloats(i);
                }
                yield Attribute.floats(a.getName(), f);
            }
            case STRINGS ->
                    Attribute.strings(
                            a.getName(),
                            a.getStringsList().stream().map(ByteString::toStringUtf8).toList());
            case TENSOR -> Attribute.tensor(a.getName(), tensor(a.getT()));
            default ->
                    throw new UnsupportedOperatorException(
                            op,
                            node,
                            opset,
                            "attribute " + a.getName() + " of type " + a.getType());
        };
    }
}
