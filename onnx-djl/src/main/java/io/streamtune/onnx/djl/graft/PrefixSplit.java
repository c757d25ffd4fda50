package io.streamtune.onnx.djl.graft;

import io.streamtune.onnx.ir.ElementType;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxNode;
import io.streamtune.onnx.ir.OnnxTensor;
import io.streamtune.onnx.ir.TensorInfo;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A graph split into a frozen prefix (run once per image, results cached) and a trainable suffix
 * whose inputs are the prefix outputs it reads — one tensor for a clean cut, several when skip
 * connections cross the boundary.
 */
public record PrefixSplit(OnnxGraph prefix, OnnxGraph suffix) {

    /** The tensors handed from prefix to suffix, in suffix-input order. */
    public List<String> boundary() {
        return suffix.inputs().stream().map(TensorInfo::name).toList();
    }

    /**
     * Splits before the first node that touches a trainable (not frozen) initializer; everything
     * earlier in graph order is the prefix.
     */
    public static PrefixSplit beforeFirstTrainable(
            OnnxGraph graph, Set<String> frozenInitializers) {
        int cut = graph.nodes().size();
        for (int i = 0; i < graph.nodes().size(); i++) {
            OnnxNode n = graph.nodes().get(i);
            boolean trainable =
                    n.presentInputs().stream()
                            .anyMatch(
                                    in ->
                                            graph.initializers().containsKey(in)
                                                    && graph.initializers().get(in).type()
                                                            == ElementType.FLOAT
                                                    && isParameterInput(n, in)
                                                    && !frozenInitializers.contains(in));
            if (trainable) {
                cut = i;
                break;
            }
        }
        return atNodeIndex(graph, cut);
    }

    private static boolean isParameterInput(OnnxNode n, String in) {
        return switch (n.opType()) {
            case "Conv", "ConvTranspose", "Gemm", "MatMul", "BatchNormalization" -> true;
            default -> false;
        };
    }

    /** Splits so that the prefix computes exactly {@code tensor} and what it needs. */
    public static PrefixSplit atTensor(OnnxGraph graph, String tensor) {
        OnnxGraph upTo = GraphCut.cutAt(graph, tensor);
        Set<String> prefixNodes = new HashSet<>();
        upTo.nodes().forEach(n -> prefixNodes.add(n.name()));
        List<OnnxNode> pre = new ArrayList<>();
        List<OnnxNode> post = new ArrayList<>();
        for (OnnxNode n : graph.nodes()) {
            (prefixNodes.contains(n.name()) ? pre : post).add(n);
        }
        return build(graph, pre, post);
    }

    /** Splits in graph order: nodes {@code [0, index)} form the prefix. */
    public static PrefixSplit atNodeIndex(OnnxGraph graph, int index) {
        return build(
                graph,
                graph.nodes().subList(0, index),
                graph.nodes().subList(index, graph.nodes().size()));
    }

    private static PrefixSplit build(OnnxGraph g, List<OnnxNode> pre, List<OnnxNode> post) {
        Set<String> produced = new HashSet<>();
        pre.forEach(n -> produced.addAll(n.outputs()));
        g.inputs().forEach(i -> produced.add(i.name()));
        Set<String> crossing = new LinkedHashSet<>();
        for (OnnxNode n : post) {
            for (String in : n.presentInputs()) {
                if (produced.contains(in)) {
                    crossing.add(in);
                }
            }
        }
        for (TensorInfo o : g.outputs()) {
            if (produced.contains(o.name())) {
                crossing.add(o.name());
            }
        }
        List<TensorInfo> boundary =
                crossing.stream().map(s -> new TensorInfo(s, ElementType.FLOAT, null)).toList();
        OnnxGraph prefix =
                new OnnxGraph(
                        g.name() + "_prefix",
                        g.opset(),
                        g.inputs(),
                        boundary,
                        pre,
                        used(g, pre),
                        g.metadata());
        List<TensorInfo> suffixInputs =
                boundary.stream()
                        .map(
                                b ->
                                        g.inputs().stream()
                                                .filter(i -> i.name().equals(b.name()))
                                                .findFirst()
                                                .orElse(b))
                        .toList();
        OnnxGraph suffix =
                new OnnxGraph(
                        g.name() + "_suffix",
                        g.opset(),
                        suffixInputs,
                        g.outputs(),
                        post,
                        used(g, post),
                        g.metadata());
        return new PrefixSplit(prefix, suffix);
    }

    private static Map<String, OnnxTensor> used(OnnxGraph g, List<OnnxNode> nodes) {
        Set<String> names = new HashSet<>();
        nodes.forEach(n -> names.addAll(n.presentInputs()));
        Map<String, OnnxTensor> m = new LinkedHashMap<>();
        g.initializers()
                .forEach(
                        (k, v) -> {
                            if (names.contains(k)) {
                                m.put(k, v);
                            }
                        });
        return m;
    }

    /**
     * Reassembles the full graph from the prefix and a (trained) suffix with the same structure.
     */
    public OnnxGraph merge(OnnxGraph trainedSuffix) {
        List<OnnxNode> nodes = new ArrayList<>(prefix.nodes());
        nodes.addAll(trainedSuffix.nodes());
        Map<String, OnnxTensor> inits = new LinkedHashMap<>(prefix.initializers());
        inits.putAll(trainedSuffix.initializers());
        String name =
                prefix.name().endsWith("_prefix")
                        ? prefix.name().substring(0, prefix.name().length() - 7)
                        : prefix.name();
        return new OnnxGraph(
                name,
                prefix.opset(),
                prefix.inputs(),
                trainedSuffix.outputs(),
                nodes,
                inits,
                trainedSuffix.metadata());
    }
}
