package io.streamtune.trainer.task;

import ai.djl.ndarray.types.Shape;
import io.streamtune.contracts.ModelMetadataKeys;
import io.streamtune.onnx.djl.graft.GraphCut;
import io.streamtune.onnx.ir.ElementType;
import io.streamtune.onnx.ir.ImageInput;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxNode;
import io.streamtune.onnx.ir.TensorInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A base network and what the heads need to know about it: its feature maps by stride and their
 * channel counts, for one input size.
 *
 * @param graph the network as loaded (any classifier head still attached)
 * @param inputSize square input size in pixels
 * @param shapes every tensor's shape for a batch of one at that size
 */
public record Backbone(OnnxGraph graph, int inputSize, Map<String, Shape> shapes) {

    /** Traces shapes once for the given input size. */
    public static Backbone of(OnnxGraph graph, int inputSize) {
        String feature = graph.metadata().get(ModelMetadataKeys.FEATURE_TENSOR);
        if (feature != null && graph.hasTensor(feature)) {
            // The network's own heads come after its named feature map (e.g. a zoo detector whose
            // decoding is tied to its native input size): a new head needs only the backbone.
            graph = graph.pruneTo(List.of(new TensorInfo(feature, ElementType.FLOAT, null)));
        }
        return sized(graph, inputSize);
    }

    /**
     * The network up to {@code outputs} (e.g. raw heads a head reuses), shapes traced for {@code
     * inputSize}.
     */
    public static Backbone upTo(OnnxGraph graph, List<String> outputs, int inputSize) {
        return sized(
                graph.pruneTo(
                        outputs.stream()
                                .map(o -> new TensorInfo(o, ElementType.FLOAT, null))
                                .toList()),
                inputSize);
    }

    private static Backbone sized(OnnxGraph graph, int inputSize) {
        // other exporters' names and channels-last inputs become "input", channels first
        graph = ImageInput.canonical(graph);
        TensorInfo in = graph.inputs().get(0);
        if (in.shape() != null && in.shape().length == 4) {
            // A convolutional backbone runs at the size the trainer chose, whatever its export
            // declared (the zoo's CenterNet says 512; classification trains at 224).
            TensorInfo sized =
                    new TensorInfo(
                            in.name(),
                            in.type(),
                            new long[] {-1, in.shape()[1], inputSize, inputSize});
            List<TensorInfo> inputs = new java.util.ArrayList<>(graph.inputs());
            inputs.set(0, sized);
            graph =
                    new OnnxGraph(
                            graph.name(),
                            graph.opset(),
                            inputs,
                            graph.outputs(),
                            graph.nodes(),
                            graph.initializers(),
                            graph.metadata());
        }
        Map<String, Shape> shapes = GraphCut.shapes(graph, new Shape(1, 3, inputSize, inputSize));
        return new Backbone(graph, inputSize, shapes);
    }

    /**
     * The feature map a new head attaches to: the one the model's metadata names ({@code
     * streamtune.backbone.feature}, set by the zoo for networks whose raw heads come after it),
     * else the deepest 4-D feature map (spatial size above 1x1).
     */
    public String deepest() {
        String named = graph.metadata().get(ModelMetadataKeys.FEATURE_TENSOR);
        Shape s = named == null ? null : shapes.get(named);
        if (s != null && s.dimension() == 4 && s.get(2) > 1) {
            return named;
        }
        return GraphCut.deepestFeatureMap(graph, new Shape(1, 3, inputSize, inputSize));
    }

    /**
     * The last post-activation 4-D tensor at each stride that exists (2, 4, 8, 16, 32), in
     * increasing stride order.
     */
    public Map<Integer, String> featuresByStride() {
        Map<Integer, String> out = new LinkedHashMap<>();
        for (int stride : new int[] {2, 4, 8, 16, 32}) {
            if (inputSize % stride != 0) {
                continue;
            }
            String found = null;
            for (OnnxNode n : graph.nodes()) {
                if (!isActivation(n)) {
                    continue;
                }
                Shape s = shapes.get(n.outputs().get(0));
                if (s != null && s.dimension() == 4 && s.get(2) == inputSize / stride) {
                    found = n.outputs().get(0);
                }
            }
            if (found != null) {
                out.put(stride, found);
            }
        }
        return out;
    }

    private static boolean isActivation(OnnxNode n) {
        return switch (n.opType()) {
            case "Relu", "Clip", "HardSwish", "LeakyRelu", "Add" -> true;
            default -> false;
        };
    }

    /** Channels of a 4-D tensor. */
    public long channels(String tensor) {
        return shapes.get(tensor).get(1);
    }

    /** Stride of a 4-D tensor relative to the input. */
    public int stride(String tensor) {
        return (int) (inputSize / shapes.get(tensor).get(2));
    }
}
