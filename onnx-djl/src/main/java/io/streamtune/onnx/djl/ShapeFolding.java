package io.streamtune.onnx.djl;

import ai.djl.ndarray.types.Shape;
import io.streamtune.onnx.ir.ElementType;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxNode;
import io.streamtune.onnx.ir.OnnxTensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds shape plumbing (Shape, Gather, Unsqueeze, Squeeze, Concat, arithmetic on shapes…) into
 * int64 initializers. A node is folded when all its outputs are integer tensors whose values are
 * the same for two different batch sizes, so graphs keep a dynamic batch dimension.
 */
public final class ShapeFolding {

    private ShapeFolding() {}

    /**
     * Folds using the given per-input shape (dimension 0 is the batch and is varied); returns the
     * graph unchanged when nothing folds.
     */
    public static OnnxGraph fold(OnnxGraph graph, Shape... inputShapes) {
        Shape[] one = new Shape[inputShapes.length];
        Shape[] two = new Shape[inputShapes.length];
        for (int i = 0; i < inputShapes.length; i++) {
            long[] s1 = inputShapes[i].getShape().clone();
            long[] s2 = s1.clone();
            s1[0] = 1;
            s2[0] = 2;
            one[i] = new Shape(s1);
            two[i] = new Shape(s2);
        }
        Map<String, OnnxTensor> a = OnnxBlock.traceIntegerValues(graph, one);
        Map<String, OnnxTensor> b = OnnxBlock.traceIntegerValues(graph, two);
        Map<String, OnnxTensor> inits = new LinkedHashMap<>(graph.initializers());
        List<OnnxNode> kept = new ArrayList<>();
        for (OnnxNode n : graph.nodes()) {
            boolean foldable =
                    !n.outputs().isEmpty()
                            && n.outputs().stream()
                                    .allMatch(
                                            o -> {
                                                OnnxTensor x = a.get(o);
                                                OnnxTensor y = b.get(o);
                                                return x != null
                                                        && y != null
                                                        && Arrays.equals(x.shape(), y.shape())
                                                        && Arrays.equals(x.longs(), y.longs());
                                            });
            boolean isOutput =
                    graph.outputs().stream().anyMatch(o -> n.outputs().contains(o.name()));
            if (foldable && !isOutput) {
                for (String o : n.outputs()) {
                    OnnxTensor v = a.get(o);
                    inits.put(o, new OnnxTensor(o, ElementType.INT64, v.shape(), null, v.longs()));
                }
            } else {
                kept.add(n);
            }
        }
        OnnxGraph folded =
                new OnnxGraph(
                        graph.name(),
                        graph.opset(),
                        graph.inputs(),
                        graph.outputs(),
                        kept,
                        inits,
                        graph.metadata());
        return folded.pruneTo(graph.outputs());
    }
}
