package io.streamtune.bench.inference;

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
import io.streamtune.contracts.ModelMetadataKeys;
import io.streamtune.onnx.testkit.OnnxProtos;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Benchmark-sized ONNX models with random (He-initialised) weights, built with the ONNX protobuf
 * classes: a torchvision-shaped ResNet-18 classifier and a YOLOv8-layout detector. Weights are
 * random, so the outputs are meaningless but their cost is real.
 */
final class BenchNets {

    private final GraphProto.Builder graph = GraphProto.newBuilder().setName("bench");
    private final Random random;
    private int counter;

    private BenchNets(long seed) {
        this.random = new Random(seed);
    }

    /**
     * ResNet-18 (11.7 M parameters, batch norm folded into the convolutions) at {@code size} px,
     * 1000 classes.
     */
    static byte[] resnet18(int size) {
        BenchNets n = new BenchNets(18);
        n.input("input", 3, size, size);
        String x = n.conv("input", 3, 64, 7, 2, 3, true);
        x =
                n.node(
                        "MaxPool",
                        List.of(x),
                        OnnxProtos.ints("kernel_shape", 3, 3),
                        OnnxProtos.ints("strides", 2, 2),
                        OnnxProtos.ints("pads", 1, 1, 1, 1));
        int in = 64;
        for (int stage = 0; stage < 4; stage++) {
            int out = 64 << stage;
            for (int block = 0; block < 2; block++) {
                int stride = stage > 0 && block == 0 ? 2 : 1;
                String a = n.conv(x, in, out, 3, stride, 1, true);
                String b = n.conv(a, out, out, 3, 1, 1, false);
                String shortcut =
                        stride != 1 || in != out ? n.conv(x, in, out, 1, stride, 0, false) : x;
                x = n.node("Relu", List.of(n.node("Add", List.of(b, shortcut))));
                in = out;
            }
        }
        x = n.node("GlobalAveragePool", List.of(x));
        x = n.node("Flatten", List.of(x), OnnxProtos.integer("axis", 1));
        String w = n.weights(new long[] {1000, 512}, 512);
        String bias = n.constant(new float[1000], 1000);
        n.graph.addNode(
                NodeProto.newBuilder()
                        .setOpType("Gemm")
                        .addInput(x)
                        .addInput(w)
                        .addInput(bias)
                        .addOutput("logits")
                        .addAttribute(OnnxProtos.integer("transB", 1)));
        n.output("logits", 1000);
        List<String> classes = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            classes.add("\"class" + i + "\"");
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(ModelMetadataKeys.TASK, "classification");
        meta.put(ModelMetadataKeys.CLASSES, "[" + String.join(",", classes) + "]");
        meta.put(ModelMetadataKeys.RESIZE, "stretch");
        meta.put(ModelMetadataKeys.MEAN, "0.485,0.456,0.406");
        meta.put(ModelMetadataKeys.STD, "0.229,0.224,0.225");
        meta.put(ModelMetadataKeys.MODEL_NAME, "resnet18");
        meta.put(ModelMetadataKeys.MODEL_VERSION, "1");
        return n.model(meta);
    }

    /**
     * A YOLOv8-layout detector at {@code size} px: a stride-32 conv backbone (16..256 channels)
     * with 1x1 heads at strides 8, 16 and 32, {@code [N, 4 + nc, A]} with {@code A = 8400} at 640
     * px.
     */
    static byte[] detector(int size, int nc) {
        BenchNets n = new BenchNets(8);
        n.input("images", 3, size, size);
        String x = "images";
        int in = 3;
        List<String> heads = new ArrayList<>();
        int[] widths = {16, 32, 64, 128, 256};
        for (int i = 0; i < widths.length; i++) {
            x = n.conv(x, in, widths[i], 3, 2, 1, true);
            x = n.conv(x, widths[i], widths[i], 3, 1, 1, true);
            in = widths[i];
            if (i >= 2) {
                int cells = (size >> (i + 1)) * (size >> (i + 1));
                String head = n.conv(x, in, 4 + nc, 1, 1, 0, false);
                String shape = n.constantLong(0, 4 + nc, -1);
                heads.add(n.node("Reshape", List.of(head, shape)));
                if (cells <= 0) {
                    throw new IllegalArgumentException("size too small: " + size);
                }
            }
        }
        String raw = n.node("Concat", heads, OnnxProtos.integer("axis", 2));
        // Boxes as sigmoid * size, scores as sigmoid shifted down: like a trained head, few anchors
        // pass 0.25.
        float[] shift = new float[4 + nc];
        for (int i = 4; i < shift.length; i++) {
            shift[i] = -3f;
        }
        String shifted = n.node("Add", List.of(raw, n.constant(shift, 1, 4 + nc, 1)));
        String squashed = n.node("Sigmoid", List.of(shifted));
        float[] scale = new float[4 + nc];
        for (int i = 0; i < scale.length; i++) {
            scale[i] = i < 4 ? size / 4f : 1f;
        }
        String s = n.constant(scale, 1, 4 + nc, 1);
        n.graph.addNode(
                NodeProto.newBuilder()
                        .setOpType("Mul")
                        .addInput(squashed)
                        .addInput(s)
                        .addOutput("output0"));
        n.output("output0", 4 + nc, -1);
        List<String> classes = new ArrayList<>();
        for (int i = 0; i < nc; i++) {
            classes.add("\"c" + i + "\"");
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(ModelMetadataKeys.TASK, "detection");
        meta.put(ModelMetadataKeys.CLASSES, "[" + String.join(",", classes) + "]");
        meta.put(ModelMetadataKeys.RESIZE, "letterbox");
        meta.put(ModelMetadataKeys.PAD_VALUE, "114");
        meta.put(ModelMetadataKeys.MODEL_NAME, "detector");
        meta.put(ModelMetadataKeys.MODEL_VERSION, "1");
        return n.model(meta);
    }

    private String conv(String x, int in, int out, int k, int stride, int pad, boolean relu) {
        String w = weights(new long[] {out, in, k, k}, in * k * k);
        String b = constant(new float[out], out);
        String y =
                node(
                        "Conv",
                        List.of(x, w, b),
                        OnnxProtos.ints("kernel_shape", k, k),
                        OnnxProtos.ints("strides", stride, stride),
                        OnnxProtos.ints("pads", pad, pad, pad, pad));
        return relu ? node("Relu", List.of(y)) : y;
    }

    private String weights(long[] dims, int fanIn) {
        int count = 1;
        for (long d : dims) {
            count *= (int) d;
        }
        float[] w = new float[count];
        double std = Math.sqrt(2.0 / fanIn) * 0.5;
        for (int i = 0; i < count; i++) {
            w[i] = (float) (random.nextGaussian() * std);
        }
        return constant(w, dims);
    }

    private String constant(float[] values, long... dims) {
        String name = "c" + counter++;
        ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(values);
        TensorProto.Builder t =
                TensorProto.newBuilder()
                        .setName(name)
                        .setDataType(TensorProto.DataType.FLOAT.getNumber())
                        .setRawData(ByteString.copyFrom(buf.array()));
        for (long d : dims) {
            t.addDims(d);
        }
        graph.addInitializer(t);
        return name;
    }

    private String constantLong(long... values) {
        String name = "c" + counter++;
        ByteBuffer buf = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        buf.asLongBuffer().put(values);
        graph.addInitializer(
                TensorProto.newBuilder()
                        .setName(name)
                        .setDataType(TensorProto.DataType.INT64.getNumber())
                        .addDims(values.length)
                        .setRawData(ByteString.copyFrom(buf.array())));
        return name;
    }

    private String node(String op, List<String> inputs, AttributeProto... attributes) {
        String out = op.toLowerCase() + "_" + counter++;
        graph.addNode(
                NodeProto.newBuilder()
                        .setOpType(op)
                        .setName(out)
                        .addAllInput(inputs)
                        .addOutput(out)
                        .addAllAttribute(List.of(attributes)));
        return out;
    }

    private void input(String name, long c, long h, long w) {
        graph.addInput(valueInfo(name, -1, c, h, w));
    }

    private void output(String name, long... dims) {
        long[] all = new long[dims.length + 1];
        all[0] = -1;
        System.arraycopy(dims, 0, all, 1, dims.length);
        graph.addOutput(valueInfo(name, all));
    }

    private byte[] model(Map<String, String> metadata) {
        ModelProto.Builder m =
                ModelProto.newBuilder()
                        .setIrVersion(8)
                        .setProducerName("streamtune-bench")
                        .addOpsetImport(
                                OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                        .setGraph(graph);
        metadata.forEach(
                (k, v) ->
                        m.addMetadataProps(
                                StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return m.build().toByteArray();
    }

    private static ValueInfoProto valueInfo(String name, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        int symbol = 0;
        for (long d : dims) {
            shape.addDim(
                    d < 0
                            ? TensorShapeProto.Dimension.newBuilder()
                                    .setDimParam(symbol++ == 0 ? "N" : "A")
                            : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(
                        TypeProto.newBuilder()
                                .setTensorType(
                                        TypeProto.Tensor.newBuilder()
                                                .setElemType(TensorProto.DataType.FLOAT.getNumber())
                                                .setShape(shape)))
                .build();
    }
}
