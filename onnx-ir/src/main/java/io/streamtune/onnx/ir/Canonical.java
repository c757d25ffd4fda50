package io.streamtune.onnx.ir;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rewrites nodes to their opset-13 signatures and folds {@code Constant} nodes into initializers.
 */
final class Canonical {

    private Canonical() {}

    static List<OnnxNode> normalise(OnnxNode n, int opset, Map<String, OnnxTensor> inits) {
        if (opset >= 13) {
            return List.of(n);
        }
        switch (n.opType()) {
            case "Squeeze", "Unsqueeze" -> {
                long[] axes = n.attrInts("axes");
                if (axes == null) {
                    return List.of(n);
                }
                String axesName = n.name() + "_axes";
                inits.put(axesName, OnnxTensor.vector(axesName, axes));
                return List.of(
                        n.withoutAttribute("axes").withInputs(List.of(n.input(0), axesName)));
            }
            case "Split" -> {
                long[] split = n.attrInts("split");
                if (split == null) {
                    return List.of(n);
                }
                String splitName = n.name() + "_split";
                inits.put(splitName, OnnxTensor.vector(splitName, split));
                return List.of(
                        n.withoutAttribute("split").withInputs(List.of(n.input(0), splitName)));
            }
            case "Dropout" -> {
                if (opset >= 12 || !n.has("ratio")) {
                    return List.of(n);
                }
                String ratioName = n.name() + "_ratio";
                inits.put(
                        ratioName,
                        OnnxTensor.ofFloats(
                                ratioName, new long[0], new float[] {n.attrFloat("ratio", 0.5f)}));
                return List.of(
                        n.withoutAttribute("ratio").withInputs(List.of(n.input(0), ratioName)));
            }
            case "Softmax" -> {
                // Before opset 13 Softmax normalises over the input flattened to 2-D at `axis`.
                String x = n.input(0);
                String y = n.outputs().get(0);
                String p = n.name();
                return List.of(
                        OnnxNode.of(p + "_shape", "Shape", List.of(x), List.of(p + "_shape_out")),
                        OnnxNode.of(
                                p + "_flatten",
                                "Flatten",
                                List.of(x),
                                List.of(p + "_flat"),
                                Attribute.of("axis", n.attrInt("axis", 1))),
                        OnnxNode.of(
                                p,
                                "Softmax",
                                List.of(p + "_flat"),
                                List.of(p + "_soft"),
                                Attribute.of("axis", -1L)),
                        OnnxNode.of(
                                p + "_reshape",
                                "Reshape",
                                List.of(p + "_soft", p + "_shape_out"),
                                List.of(y)));
            }
            default -> {
                return List.of(n);
            }
        }
    }

    static OnnxGraph foldConstants(OnnxGraph g) {
        Map<String, OnnxTensor> inits = new LinkedHashMap<>(g.initializers());
        List<OnnxNode> nodes = new ArrayList<>();
        for (OnnxNode n : g.nodes()) {
            if (n.opType().equals("Constant")) {
                String out = n.outputs().get(0);
                inits.put(out, io.streamtune.onnx.ir.ConstantValue.of(n).renamed(out));
            } else {
                nodes.add(n);
            }
        }
        return new OnnxGraph(
                g.name(), g.opset(), g.inputs(), g.outputs(), nodes, inits, g.metadata());
    }
}
