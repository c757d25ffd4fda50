package io.streamtune.onnx.ir;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds inference-mode BatchNormalization into the preceding Conv (as PyTorch's exporter does in
 * eval mode): {@code W' = W·γ/√(σ²+ε)}, {@code b' = (b − μ)·γ/√(σ²+ε) + β}.
 */
public final class BatchNormFolding {

    private BatchNormFolding() {}

    /** The graph with every foldable Conv→BatchNormalization pair merged into one Conv. */
    public static OnnxGraph fold(OnnxGraph g) {
        Map<String, OnnxTensor> inits = new LinkedHashMap<>(g.initializers());
        Map<String, OnnxNode> replaced = new LinkedHashMap<>();
        List<String> removed = new ArrayList<>();
        for (OnnxNode bn : g.nodes()) {
            if (!bn.opType().equals("BatchNormalization") || bn.outputs().size() != 1) {
                continue;
            }
            OnnxNode conv = g.producer(bn.input(0));
            if (conv == null
                    || !conv.opType().equals("Conv")
                    || g.consumers(bn.input(0)).size() != 1
                    || g.outputs().stream().anyMatch(o -> o.name().equals(bn.input(0)))) {
                continue;
            }
            OnnxTensor w = inits.get(conv.input(1));
            OnnxTensor gamma = inits.get(bn.input(1));
            OnnxTensor beta = inits.get(bn.input(2));
            OnnxTensor mean = inits.get(bn.input(3));
            OnnxTensor var = inits.get(bn.input(4));
            if (w == null || gamma == null || beta == null || mean == null || var == null) {
                continue;
            }
            float eps = bn.attrFloat("epsilon", 1e-5f);
            int out = (int) w.shape()[0];
            int per = (int) (w.elementCount() / out);
            float[] nw = w.floats().clone();
            float[] nb = new float[out];
            OnnxTensor oldBias = conv.hasInput(2) ? inits.get(conv.input(2)) : null;
            for (int c = 0; c < out; c++) {
                float s = (float) (gamma.floats()[c] / Math.sqrt(var.floats()[c] + eps));
                for (int i = 0; i < per; i++) {
                    nw[c * per + i] *= s;
                }
                float b = oldBias == null ? 0f : oldBias.floats()[c];
                nb[c] = (b - mean.floats()[c]) * s + beta.floats()[c];
            }
            String wName = conv.input(1);
            String bName = conv.hasInput(2) ? conv.input(2) : conv.name() + "_folded_bias";
            inits.put(wName, OnnxTensor.ofFloats(wName, w.shape(), nw));
            inits.put(bName, OnnxTensor.ofFloats(bName, new long[] {out}, nb));
            for (int i = 1; i < 5; i++) {
                inits.remove(bn.input(i));
            }
            replaced.put(
                    conv.name(),
                    new OnnxNode(
                            conv.name(),
                            "Conv",
                            List.of(conv.input(0), wName, bName),
                            bn.outputs(),
                            conv.attributes()));
            removed.add(bn.name());
        }
        List<OnnxNode> nodes = new ArrayList<>();
        for (OnnxNode n : g.nodes()) {
            if (!removed.contains(n.name())) {
                nodes.add(replaced.getOrDefault(n.name(), n));
            }
        }
        return new OnnxGraph(
                g.name(), g.opset(), g.inputs(), g.outputs(), nodes, inits, g.metadata());
    }
}
