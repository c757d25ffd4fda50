package io.streamtune.inference;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import io.streamtune.contracts.ModelMetadataKeys;
import io.streamtune.onnx.testkit.OnnxProtos;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Small real ONNX models built in code, with streamtune metadata, whose outputs are known by
 * construction: "red" and "blue" respond to the mean of the red and blue channel.
 */
public final class TestModels {

    /** Input side of the test models; a multiple of {@link #STRIDE}. */
    public static final int SIZE = 32;

    /** Cell size of the detection model: one candidate box per 8x8 cell. */
    public static final int STRIDE = 8;

    private TestModels() {}

    /**
     * A YOLOv8-layout detector {@code [N, 4 + 2, (SIZE/STRIDE)^2]} with a dynamic batch: one
     * candidate per cell, centred on it, {@code STRIDE} wide; class scores {@code sigmoid(10 *
     * mean(channel) - 5)} for red and blue. Labels get {@code labelSuffix} appended so versions can
     * be told apart.
     */
    public static byte[] detector(String model, int version, String labelSuffix) {
        int nc = 2;
        int g = SIZE / STRIDE;
        int anchors = g * g;
        Graph graph = new Graph();
        graph.input("images", -1, 3, SIZE, SIZE);
        float[] wCls = new float[nc * 3 * STRIDE * STRIDE];
        float perPixel = 10f / (STRIDE * STRIDE);
        for (int k = 0; k < STRIDE * STRIDE; k++) {
            wCls[(0 * 3 + 0) * STRIDE * STRIDE + k] = perPixel; // class 0 looks at red
            wCls[(1 * 3 + 2) * STRIDE * STRIDE + k] = perPixel; // class 1 looks at blue
        }
        graph.init("w_cls", wCls, nc, 3, STRIDE, STRIDE);
        graph.init("b_cls", new float[] {-5, -5}, nc);
        graph.init("w_box", new float[4 * 3 * STRIDE * STRIDE], 4, 3, STRIDE, STRIDE);
        graph.init("b_box", new float[4], 4);
        float[] grid = new float[4 * anchors];
        for (int a = 0; a < anchors; a++) {
            grid[a] = (a % g) * STRIDE + STRIDE / 2f;
            grid[anchors + a] = (a / g) * STRIDE + STRIDE / 2f;
            grid[2 * anchors + a] = STRIDE;
            grid[3 * anchors + a] = STRIDE;
        }
        graph.init("grid", grid, 1, 4, anchors);
        graph.initLong("shape_cls", 0, nc, -1);
        graph.initLong("shape_box", 0, 4, -1);
        patchConv(graph, "w_cls", "b_cls", "cls_map");
        graph.node("Reshape", List.of("cls_map", "shape_cls"), "cls_flat");
        graph.node("Sigmoid", List.of("cls_flat"), "scores");
        patchConv(graph, "w_box", "b_box", "box_map");
        graph.node("Reshape", List.of("box_map", "shape_box"), "box_flat");
        graph.node("Add", List.of("box_flat", "grid"), "boxes");
        graph.node(
                "Concat",
                List.of("boxes", "scores"),
                "output0",
                AttributeProto.newBuilder()
                        .setName("axis")
                        .setType(AttributeProto.AttributeType.INT)
                        .setI(1)
                        .build());
        graph.output("output0", -1, 4 + nc, anchors);
        Map<String, String> meta =
                metadata(
                        model,
                        version,
                        "detection",
                        "[\"red" + labelSuffix + "\",\"blue" + labelSuffix + "\"]",
                        "letterbox");
        return graph.model(meta);
    }

    /**
     * A semantic segmenter {@code [N, 3, SIZE, SIZE]}: per pixel, background logit 0, red {@code 10
     * r - 5}, blue {@code 10 b - 5}.
     */
    public static byte[] segmenter(String model, int version) {
        return segmenter(model, version, false);
    }

    /**
     * The segmenter, with {@code embedding}: its first output an embedding summary ({@link
     * ModelMetadataKeys#EMBEDDING_OUTPUT} {@code [N, 3]}, the mean of each input channel), as a
     * streamtune export carries one (there last; first here, where a decoder would take it).
     */
    public static byte[] segmenter(String model, int version, boolean embedding) {
        Graph graph = new Graph();
        graph.input("images", -1, 3, SIZE, SIZE);
        if (embedding) {
            graph.node("GlobalAveragePool", List.of("images"), "pooled");
            graph.node(
                    "Flatten",
                    List.of("pooled"),
                    ModelMetadataKeys.EMBEDDING_OUTPUT,
                    AttributeProto.newBuilder()
                            .setName("axis")
                            .setType(AttributeProto.AttributeType.INT)
                            .setI(1)
                            .build());
            graph.output(ModelMetadataKeys.EMBEDDING_OUTPUT, -1, 3);
        }
        graph.init("w", new float[] {0, 0, 0, 10, 0, 0, 0, 0, 10}, 3, 3, 1, 1);
        graph.init("b", new float[] {0, -5, -5}, 3);
        graph.node(
                "Conv",
                List.of("images", "w", "b"),
                "logits",
                OnnxProtos.ints("kernel_shape", 1, 1));
        graph.output("logits", -1, 3, SIZE, SIZE);
        return graph.model(
                metadata(
                        model,
                        version,
                        "segmentation",
                        "[\"background\",\"red\",\"blue\"]",
                        "stretch"));
    }

    /**
     * A "stylizer" {@code [N, 3, H, W] -> [N, 3, H, W]} that inverts colours ({@code 1 - x}), with
     * the metadata of a stylization model; inputs in {@code [0, 1]} (unit normalisation).
     */
    public static byte[] stylizer(String model, int version) {
        Graph graph = new Graph();
        graph.input("input", -1, 3, SIZE, SIZE);
        graph.init("w", new float[] {-1, 0, 0, 0, -1, 0, 0, 0, -1}, 3, 3, 1, 1);
        graph.init("b", new float[] {1, 1, 1}, 3);
        graph.node(
                "Conv",
                List.of("input", "w", "b"),
                "stylized",
                OnnxProtos.ints("kernel_shape", 1, 1));
        graph.output("stylized", -1, 3, SIZE, SIZE);
        Map<String, String> meta = metadata(model, version, "stylization", "[]", "stretch");
        meta.put(ModelMetadataKeys.MEAN, "0,0,0");
        meta.put(ModelMetadataKeys.STD, "1,1,1");
        return graph.model(meta);
    }

    /**
     * A YOLOv8-seg layout model: {@code output0 [N, 4 + 2 + 4, A]} (the detector's rows plus 4 mask
     * coefficients of 1) and {@code output1 [N, 4, SIZE/4, SIZE/4]} prototypes of 1, so every
     * detection's mask fills its box.
     */
    public static byte[] instanceSegmenter(String model, int version) {
        int nc = 2;
        int nm = 4;
        int g = SIZE / STRIDE;
        int anchors = g * g;
        Graph graph = new Graph();
        graph.input("images", -1, 3, SIZE, SIZE);
        float[] wCls = new float[nc * 3 * STRIDE * STRIDE];
        float perPixel = 10f / (STRIDE * STRIDE);
        for (int k = 0; k < STRIDE * STRIDE; k++) {
            wCls[k] = perPixel;
            wCls[(3 + 2) * STRIDE * STRIDE + k] = perPixel;
        }
        graph.init("w_cls", wCls, nc, 3, STRIDE, STRIDE);
        graph.init("b_cls", new float[] {-5, -5}, nc);
        graph.init("w_rest", new float[(4 + nm) * 3 * STRIDE * STRIDE], 4 + nm, 3, STRIDE, STRIDE);
        graph.init("b_rest", new float[] {0, 0, 0, 0, 1, 1, 1, 1}, 4 + nm);
        float[] grid = new float[(4 + nm) * anchors];
        for (int a = 0; a < anchors; a++) {
            grid[a] = (a % g) * STRIDE + STRIDE / 2f;
            grid[anchors + a] = (a / g) * STRIDE + STRIDE / 2f;
            grid[2 * anchors + a] = STRIDE;
            grid[3 * anchors + a] = STRIDE;
        }
        graph.init("grid", grid, 1, 4 + nm, anchors);
        graph.initLong("shape_cls", 0, nc, -1);
        graph.initLong("shape_rest", 0, 4 + nm, -1);
        graph.initLong("split", 4, nm);
        AttributeProto axis1 =
                AttributeProto.newBuilder()
                        .setName("axis")
                        .setType(AttributeProto.AttributeType.INT)
                        .setI(1)
                        .build();
        patchConv(graph, "w_cls", "b_cls", "cls_map");
        graph.node("Reshape", List.of("cls_map", "shape_cls"), "cls_flat");
        graph.node("Sigmoid", List.of("cls_flat"), "scores");
        patchConv(graph, "w_rest", "b_rest", "rest_map");
        graph.node("Reshape", List.of("rest_map", "shape_rest"), "rest_flat");
        graph.node("Add", List.of("rest_flat", "grid"), "rest");
        graph.addNode(
                NodeProto.newBuilder()
                        .setOpType("Split")
                        .setName("split_rest")
                        .addInput("rest")
                        .addInput("split")
                        .addOutput("boxes")
                        .addOutput("coefficients")
                        .addAttribute(axis1));
        graph.node("Concat", List.of("boxes", "scores", "coefficients"), "output0", axis1);
        graph.init("w_proto", new float[nm * 3 * 4 * 4], nm, 3, 4, 4);
        graph.init("b_proto", new float[] {1, 1, 1, 1}, nm);
        graph.node(
                "Conv",
                List.of("images", "w_proto", "b_proto"),
                "output1",
                OnnxProtos.ints("kernel_shape", 4, 4),
                OnnxProtos.ints("strides", 4, 4));
        graph.output("output0", -1, 4 + nc + nm, anchors);
        graph.output("output1", -1, nm, SIZE / 4, SIZE / 4);
        return graph.model(
                metadata(
                        model,
                        version,
                        "instance-segmentation",
                        "[\"red\",\"blue\"]",
                        "letterbox"));
    }

    /**
     * The same model with its {@code metadata_props} removed, as an export from elsewhere may come.
     */
    public static byte[] withoutMetadata(byte[] model) {
        try {
            return ModelProto.parseFrom(model).toBuilder()
                    .clearMetadataProps()
                    .build()
                    .toByteArray();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Map<String, String> metadata(
            String model, int version, String task, String classes, String resize) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(ModelMetadataKeys.TASK, task);
        meta.put(ModelMetadataKeys.CLASSES, classes);
        meta.put(ModelMetadataKeys.INPUT_WIDTH, Integer.toString(SIZE));
        meta.put(ModelMetadataKeys.INPUT_HEIGHT, Integer.toString(SIZE));
        meta.put(ModelMetadataKeys.RESIZE, resize);
        meta.put(ModelMetadataKeys.MODEL_NAME, model);
        meta.put(ModelMetadataKeys.MODEL_VERSION, Integer.toString(version));
        return meta;
    }

    /** A convolution over the input with one STRIDE x STRIDE patch per output cell. */
    private static void patchConv(Graph graph, String weights, String bias, String output) {
        graph.node(
                "Conv",
                List.of("images", weights, bias),
                output,
                OnnxProtos.ints("kernel_shape", STRIDE, STRIDE),
                OnnxProtos.ints("strides", STRIDE, STRIDE));
    }

    /** A graph under construction: opset 13, IR 8, float tensors as little-endian raw data. */
    private static final class Graph {
        private final GraphProto.Builder graph = GraphProto.newBuilder().setName("test");

        void input(String name, long... dims) {
            graph.addInput(valueInfo(name, dims));
        }

        void output(String name, long... dims) {
            graph.addOutput(valueInfo(name, dims));
        }

        void init(String name, float[] values, long... dims) {
            graph.addInitializer(OnnxProtos.floats(name, values, dims));
        }

        void initLong(String name, long... values) {
            graph.addInitializer(OnnxProtos.longs(name, values));
        }

        void addNode(NodeProto.Builder node) {
            graph.addNode(node);
        }

        void node(String op, List<String> inputs, String output, AttributeProto... attributes) {
            graph.addNode(OnnxProtos.node(op, inputs, output, attributes));
        }

        byte[] model(Map<String, String> metadata) {
            return OnnxProtos.model(graph, metadata).toByteArray();
        }

        /** A negative dimension is the dynamic batch. */
        private static ValueInfoProto valueInfo(String name, long... dims) {
            Object[] d = new Object[dims.length];
            for (int i = 0; i < dims.length; i++) {
                d[i] = dims[i] < 0 ? "N" : (Object) dims[i];
            }
            return OnnxProtos.value(name, d);
        }
    }
}
