package io.streamtune.onnx.ir;

import java.util.ArrayList;
import java.util.List;

/**
 * The image input of a vision network in the one form streamtune trains on: a single float input
 * named {@value #NAME}, channels first ({@code [N, C, H, W]}). Exporters differ: the ONNX model zoo
 * names it {@code data}, Ultralytics {@code images}, tf2onnx {@code input_1} or {@code images:0}
 * and keeps TensorFlow's channels-last layout ({@code [N, H, W, C]}). {@link #canonical} renames
 * the input, and for a channels-last network puts a {@code Transpose} in front, so that the rest of
 * the graph sees exactly what it was exported for.
 */
public final class ImageInput {

    /** The input name streamtune's graphs use. */
    public static final String NAME = "input";

    private ImageInput() {}

    /**
     * Whether a 4-D input shape reads as channels-last: 1 or 3 channels in the last place, and
     * neither in the second (so {@code [N, 3, H, W]} and ambiguous shapes stay channels-first).
     */
    public static boolean channelsLast(long[] shape) {
        return shape != null
                && shape.length == 4
                && (shape[3] == 1 || shape[3] == 3)
                && shape[1] != 1
                && shape[1] != 3;
    }

    /**
     * {@code graph} with its image input named {@value #NAME} and channels first; the graph itself
     * when it already is.
     *
     * @throws IllegalArgumentException when the graph has no or several inputs, or its input is not
     *     a float tensor, or a weight is named "input"
     */
    public static OnnxGraph canonical(OnnxGraph graph) {
        if (graph.inputs().size() != 1) {
            throw new IllegalArgumentException(
                    "a vision network takes one image input; this one takes "
                            + graph.inputs().stream().map(TensorInfo::name).toList());
        }
        TensorInfo in = graph.inputs().get(0);
        if (in.type() != ElementType.FLOAT) {
            throw new IllegalArgumentException(
                    "image input " + in.name() + " must be float, is " + in.type());
        }
        boolean last = channelsLast(in.shape());
        if (!last && in.name().equals(NAME)) {
            return graph;
        }
        if (graph.initializers().containsKey(NAME)) {
            throw new IllegalArgumentException(
                    "a weight of this network is named "
                            + NAME
                            + ", the name its image input takes");
        }
        if (!in.name().equals(NAME) && graph.hasTensor(NAME)) {
            // another tensor already has the name: it gets a fresh one
            graph = rename(graph, NAME, fresh(graph, NAME + "_renamed"));
        }
        // The graph's own name for the image after the change: the old name (transposed back to
        // channels-last in front of it), a fresh one when that was "input", else "input" itself.
        String old = in.name();
        String inner = !last ? NAME : old.equals(NAME) ? fresh(graph, NAME + "_nhwc") : old;
        graph = rename(graph, old, inner);
        List<OnnxNode> nodes = new ArrayList<>();
        TensorInfo canonical;
        if (last) {
            long[] s = in.shape();
            canonical = new TensorInfo(NAME, in.type(), new long[] {s[0], s[3], s[1], s[2]});
            nodes.add(
                    OnnxNode.of(
                            fresh(graph, "streamtune_input_to_nhwc"),
                            "Transpose",
                            List.of(NAME),
                            List.of(inner),
                            Attribute.ints("perm", 0, 2, 3, 1)));
        } else {
            canonical = new TensorInfo(NAME, in.type(), in.shape());
        }
        nodes.addAll(graph.nodes());
        return new OnnxGraph(
                graph.name(),
                graph.opset(),
                List.of(canonical),
                graph.outputs(),
                nodes,
                graph.initializers(),
                graph.metadata());
    }

    /**
     * Every use of tensor {@code from} (input, node input or output, graph output) as {@code to}.
     */
    private static OnnxGraph rename(OnnxGraph graph, String from, String to) {
        if (from.equals(to)) {
            return graph;
        }
        java.util.function.UnaryOperator<String> r = t -> t.equals(from) ? to : t;
        List<OnnxNode> nodes = new ArrayList<>();
        for (OnnxNode n : graph.nodes()) {
            nodes.add(
                    new OnnxNode(
                            n.name(),
                            n.opType(),
                            n.inputs().stream().map(r).toList(),
                            n.outputs().stream().map(r).toList(),
                            n.attributes()));
        }
        return new OnnxGraph(
                graph.name(),
                graph.opset(),
                graph.inputs().stream()
                        .map(i -> new TensorInfo(r.apply(i.name()), i.type(), i.shape()))
                        .toList(),
                graph.outputs().stream()
                        .map(o -> new TensorInfo(r.apply(o.name()), o.type(), o.shape()))
                        .toList(),
                nodes,
                graph.initializers(),
                graph.metadata());
    }

    private static String fresh(OnnxGraph graph, String base) {
        String name = base;
        for (int i = 1; graph.hasTensor(name) || hasNode(graph, name); i++) {
            name = base + "_" + i;
        }
        return name;
    }

    private static boolean hasNode(OnnxGraph graph, String name) {
        return graph.nodes().stream().anyMatch(n -> n.name().equals(name));
    }
}
