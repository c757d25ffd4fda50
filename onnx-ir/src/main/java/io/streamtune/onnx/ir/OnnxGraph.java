package io.streamtune.onnx.ir;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable ONNX-semantics graph: nodes in topological order, named initializers, graph inputs
 * and outputs, the default-domain opset, and the model's {@code metadata_props}.
 */
public record OnnxGraph(
        String name,
        int opset,
        List<TensorInfo> inputs,
        List<TensorInfo> outputs,
        List<OnnxNode> nodes,
        Map<String, OnnxTensor> initializers,
        Map<String, String> metadata) {

    public OnnxGraph {
        Objects.requireNonNull(name, "name");
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        nodes = topologicalOrder(nodes, inputs, initializers.keySet());
        initializers = Collections.unmodifiableMap(new LinkedHashMap<>(initializers));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        if (opset < 1) {
            throw new IllegalArgumentException("opset must be positive: " + opset);
        }
    }

    /** The node producing a tensor, or {@code null} for graph inputs and initializers. */
    public OnnxNode producer(String tensor) {
        for (OnnxNode n : nodes) {
            if (n.outputs().contains(tensor)) {
                return n;
            }
        }
        return null;
    }

    /** Nodes consuming a tensor, in graph order. */
    public List<OnnxNode> consumers(String tensor) {
        List<OnnxNode> l = new ArrayList<>();
        for (OnnxNode n : nodes) {
            if (n.inputs().contains(tensor)) {
                l.add(n);
            }
        }
        return l;
    }

    /** A node by name. */
    public OnnxNode node(String nodeName) {
        return nodes.stream()
                .filter(n -> n.name().equals(nodeName))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node " + nodeName));
    }

    /** Whether a name is a tensor of this graph (input, initializer or node output). */
    public boolean hasTensor(String tensor) {
        return initializers.containsKey(tensor)
                || inputs.stream().anyMatch(i -> i.name().equals(tensor))
                || producer(tensor) != null;
    }

    /** Copy with other metadata (replaces the whole map). */
    public OnnxGraph withMetadata(Map<String, String> newMetadata) {
        return new OnnxGraph(name, opset, inputs, outputs, nodes, initializers, newMetadata);
    }

    /** Copy with other initializer values (same keys or a superset). */
    public OnnxGraph withInitializers(Map<String, OnnxTensor> newInitializers) {
        return new OnnxGraph(name, opset, inputs, outputs, nodes, newInitializers, metadata);
    }

    /**
     * The subgraph computing {@code newOutputs} from the graph inputs: unreachable nodes,
     * initializers and inputs are dropped.
     */
    public OnnxGraph pruneTo(List<TensorInfo> newOutputs) {
        Set<String> needed = new HashSet<>();
        for (TensorInfo o : newOutputs) {
            if (!hasTensor(o.name())) {
                throw new IllegalArgumentException("no tensor named " + o.name());
            }
            needed.add(o.name());
        }
        List<OnnxNode> kept = new ArrayList<>();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            OnnxNode n = nodes.get(i);
            if (n.outputs().stream().anyMatch(needed::contains)) {
                kept.add(0, n);
                needed.addAll(n.presentInputs());
            }
        }
        Map<String, OnnxTensor> inits = new LinkedHashMap<>();
        initializers.forEach(
                (k, v) -> {
                    if (needed.contains(k)) {
                        inits.put(k, v);
                    }
                });
        List<TensorInfo> ins = inputs.stream().filter(i -> needed.contains(i.name())).toList();
        return new OnnxGraph(name, opset, ins, newOutputs, kept, inits, metadata);
    }

    private static List<OnnxNode> topologicalOrder(
            List<OnnxNode> nodes, List<TensorInfo> inputs, Set<String> initializerNames) {
        Map<String, Integer> producerIndex = new HashMap<>();
        Set<String> nodeNames = new HashSet<>();
        for (int i = 0; i < nodes.size(); i++) {
            OnnxNode n = nodes.get(i);
            if (!nodeNames.add(n.name())) {
                throw new IllegalArgumentException("duplicate node name " + n.name());
            }
            for (String o : n.outputs()) {
                if (o.isEmpty()) {
                    continue;
                }
                if (producerIndex.put(o, i) != null) {
                    throw new IllegalArgumentException("tensor " + o + " produced twice");
                }
            }
        }
        Set<String> available = new HashSet<>(initializerNames);
        inputs.forEach(t -> available.add(t.name()));
        int[] missing = new int[nodes.size()];
        Map<String, List<Integer>> waiting = new HashMap<>();
        Deque<Integer> ready = new ArrayDeque<>();
        for (int i = 0; i < nodes.size(); i++) {
            Set<String> deps = new LinkedHashSet<>();
            for (String in : nodes.get(i).presentInputs()) {
                if (!available.contains(in)) {
                    if (!producerIndex.containsKey(in)) {
                        throw new IllegalArgumentException(
                                "node " + nodes.get(i).name() + " reads undefined tensor " + in);
                    }
                    deps.add(in);
                }
            }
            missing[i] = deps.size();
            for (String d : deps) {
                waiting.computeIfAbsent(d, k -> new ArrayList<>()).add(i);
            }
            if (deps.isEmpty()) {
                ready.add(i);
            }
        }
        List<OnnxNode> sorted = new ArrayList<>(nodes.size());
        // A stable Kahn sort: always take the lowest original index that is ready.
        java.util.PriorityQueue<Integer> queue = new java.util.PriorityQueue<>(ready);
        while (!queue.isEmpty()) {
            int i = queue.poll();
            sorted.add(nodes.get(i));
            for (String o : nodes.get(i).outputs()) {
                for (int j : waiting.getOrDefault(o, List.of())) {
                    if (--missing[j] == 0) {
                        queue.add(j);
                    }
                }
            }
        }
        if (sorted.size() != nodes.size()) {
            throw new IllegalArgumentException("graph has a cycle");
        }
        return List.copyOf(sorted);
    }
}
