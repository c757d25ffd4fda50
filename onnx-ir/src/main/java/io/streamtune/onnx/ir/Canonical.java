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

    static List<OnnxNode> normalise(OnnxNode n, int opset, Map<String, OnnxTensor> inits)
            throws UnsupportedOperatorException {
        if (opset >= 13) {
            return List.of(n);
        }
        switch (n.opType()) {
            case "BatchNormalization" -> {
                // opset 7-8 `spatial` (1 = the only form opset 9 kept); consumed_inputs before 7
                if (n.attrInt("spatial", 1) != 1) {
                    throw new UnsupportedOperatorException(
                            n.opType(), n.name(), opset, "spatial=0 (per-activation statistics)");
                }
                return List.of(n.withoutAttribute("spatial").withoutAttribute("consumed_inputs"));
            }
            case "Pad" -> {
                if (opset >= 11) {
                    return List.of(n);
                }
                // opset 2-10: pads and value were attributes
                String padsName = n.name() + "_pads";
                inits.put(padsName, OnnxTensor.vector(padsName, n.attrInts("pads")));
                String valueName = n.name() + "_value";
                inits.put(
                        valueName,
                        OnnxTensor.ofFloats(
                                valueName, new long[0], new float[] {n.attrFloat("value", 0f)}));
                return List.of(
                        n.withoutAttribute("pads")
                                .withoutAttribute("value")
                                .withInputs(List.of(n.input(0), padsName, valueName)));
            }
            case "Clip" -> {
                if (opset >= 11) {
                    return List.of(n);
                }
                // opset 6-10: min and max were attributes
                List<String> ins = new ArrayList<>(List.of(n.input(0), "", ""));
                if (n.has("min")) {
                    String lo = n.name() + "_min";
                    inits.put(
                            lo,
                            OnnxTensor.ofFloats(
                                    lo, new long[0], new float[] {n.attrFloat("min", 0f)}));
                    ins.set(1, lo);
                }
                if (n.has("max")) {
                    String hi = n.name() + "_max";
                    inits.put(
                            hi,
                            OnnxTensor.ofFloats(
                                    hi, new long[0], new float[] {n.attrFloat("max", 0f)}));
                    ins.set(2, hi);
                }
                return List.of(n.withoutAttribute("min").withoutAttribute("max").withInputs(ins));
            }
            case "Slice" -> {
                if (opset >= 10) {
                    return List.of(n);
                }
                // opset 1-9: starts, ends, axes were attributes
                List<String> ins = new ArrayList<>(List.of(n.input(0)));
                for (String a : List.of("starts", "ends", "axes")) {
                    long[] v = n.attrInts(a);
                    if (v == null) {
                        continue;
                    }
                    String name = n.name() + "_" + a;
                    inits.put(name, OnnxTensor.vector(name, v));
                    ins.add(name);
                }
                return List.of(
                        n.withoutAttribute("starts")
                                .withoutAttribute("ends")
                                .withoutAttribute("axes")
                                .withInputs(ins));
            }
            case "Upsample", "Resize" -> {
                if (n.opType().equals("Resize") && opset >= 11) {
                    return List.of(n);
                }
                // Upsample (7-9) and Resize-10 scale with x_in = x_out / scale, nearest rounding
                // down: Resize-13 with asymmetric coordinates and floor.
                String scales;
                if (n.has("scales")) {
                    scales = n.name() + "_scales";
                    float[] f = n.attrFloats("scales");
                    inits.put(scales, OnnxTensor.ofFloats(scales, new long[] {f.length}, f));
                } else {
                    scales = n.input(1);
                }
                String mode = n.attrString("mode", "nearest");
                return List.of(
                        OnnxNode.of(
                                n.name(),
                                "Resize",
                                List.of(n.input(0), "", scales),
                                n.outputs(),
                                Attribute.of("mode", mode.equals("bilinear") ? "linear" : mode),
                                Attribute.of("coordinate_transformation_mode", "asymmetric"),
                                Attribute.of("nearest_mode", "floor")));
            }
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
