package io.streamtune.onnx.djl.graft;

import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Splits a graph into consecutive blocks for layer-wise freezing: in residual networks a block ends
 * at each residual Add (two computed inputs); otherwise every Conv starts a new block with the
 * BatchNorm/activation nodes that follow it. A parameter-free tail (pooling, flatten) joins the
 * last block, so "the last K blocks" always holds trainable layers.
 */
public final class BlockPartition {

    /** One block: its nodes and the initializers first consumed by them. */
    public record Block(int index, List<String> nodes, Set<String> initializers) {
        public Block {
            nodes = List.copyOf(nodes);
            initializers = Set.copyOf(initializers);
        }
    }

    private static final Set<String> ACTIVATIONS =
            Set.of("Relu", "Clip", "LeakyRelu", "HardSwish", "Sigmoid", "HardSigmoid");

    private BlockPartition() {}

    /** Partitions the nodes, in graph order. */
    public static List<Block> of(OnnxGraph graph) {
        boolean residual = graph.nodes().stream().anyMatch(n -> isResidualAdd(graph, n));
        List<List<OnnxNode>> groups = new ArrayList<>();
        List<OnnxNode> current = new ArrayList<>();
        String blockOutput = null;
        for (OnnxNode n : graph.nodes()) {
            if (blockOutput != null) {
                // the activation right after a residual Add still belongs to its block
                if (ACTIVATIONS.contains(n.opType()) && n.input(0).equals(blockOutput)) {
                    groups.get(groups.size() - 1).add(n);
                    blockOutput = n.outputs().get(0);
                    continue;
                }
                blockOutput = null;
            }
            if (!residual
                    && n.opType().equals("Conv")
                    && current.stream().anyMatch(c -> c.opType().equals("Conv"))) {
                groups.add(current);
                current = new ArrayList<>();
            }
            current.add(n);
            if (residual && isResidualAdd(graph, n)) {
                groups.add(current);
                current = new ArrayList<>();
                blockOutput = n.outputs().get(0);
            }
        }
        if (!current.isEmpty()) {
            boolean hasParameters =
                    current.stream()
                            .anyMatch(
                                    n ->
                                            n.presentInputs().stream()
                                                    .anyMatch(graph.initializers()::containsKey));
            if (hasParameters || groups.isEmpty()) {
                groups.add(current);
            } else {
                // parameter-free tail (pooling, flatten): part of the last block
                groups.get(groups.size() - 1).addAll(current);
            }
        }
        Set<String> seen = new LinkedHashSet<>();
        List<Block> blocks = new ArrayList<>();
        for (List<OnnxNode> g : groups) {
            Set<String> inits = new LinkedHashSet<>();
            for (OnnxNode n : g) {
                for (String in : n.presentInputs()) {
                    if (graph.initializers().containsKey(in) && seen.add(in)) {
                        inits.add(in);
                    }
                }
            }
            blocks.add(new Block(blocks.size(), g.stream().map(OnnxNode::name).toList(), inits));
        }
        return blocks;
    }

    /** Block index of every initializer. */
    public static Map<String, Integer> blockOfInitializer(List<Block> blocks) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (Block b : blocks) {
            b.initializers().forEach(i -> m.put(i, b.index()));
        }
        return m;
    }

    private static boolean isResidualAdd(OnnxGraph g, OnnxNode n) {
        return n.opType().equals("Add")
                && n.inputs().size() == 2
                && !g.initializers().containsKey(n.input(0))
                && !g.initializers().containsKey(n.input(1));
    }
}
