package io.streamtune.onnx.djl.graft;

import ai.djl.ndarray.types.Shape;
import io.streamtune.onnx.djl.OnnxBlock;
import io.streamtune.onnx.ir.ElementType;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxNode;
import io.streamtune.onnx.ir.TensorInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Finds feature tensors in a backbone and cuts the graph there, dropping everything after. */
public final class GraphCut {

    private static final Set<String> POOLING_PLUMBING =
            Set.of(
                    "Flatten",
                    "Reshape",
                    "Squeeze",
                    "GlobalAveragePool",
                    "ReduceMean",
                    "Identity",
                    "Dropout");

    private GraphCut() {}

    /** The graph computing only {@code tensor} (its single output). */
    public static OnnxGraph cutAt(OnnxGraph graph, String tensor) {
        if (!graph.hasTensor(tensor)) {
            throw new IllegalArgumentException("no tensor named " + tensor + " in " + graph.name());
        }
        return graph.pruneTo(List.of(new TensorInfo(tensor, ElementType.FLOAT, null)));
    }

    /**
     * The input of the final classifier: the first input of the last Gemm/MatMul that is fed,
     * through Flatten/Reshape/Squeeze, by a GlobalAveragePool (or Flatten of a feature map).
     */
    public static String classifierInput(OnnxGraph graph) {
        List<OnnxNode> nodes = graph.nodes();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            OnnxNode n = nodes.get(i);
            if (!n.opType().equals("Gemm") && !n.opType().equals("MatMul")) {
                continue;
            }
            OnnxNode p = graph.producer(n.input(0));
            boolean pooled = false;
            while (p != null && POOLING_PLUMBING.contains(p.opType())) {
                pooled = true;
                p = graph.producer(p.input(0));
            }
            if (pooled) {
                return n.input(0);
            }
        }
        throw new IllegalArgumentException(
                "no Gemm/MatMul classifier after Flatten/GlobalAveragePool in " + graph.name());
    }

    /** Shapes of all tensors for a given input shape. */
    public static Map<String, Shape> shapes(OnnxGraph graph, Shape inputShape) {
        return OnnxBlock.traceShapes(graph, inputShape);
    }

    /**
     * The deepest 4-D feature map: the last 4-D tensor (in graph order) whose spatial size exceeds
     * 1×1.
     */
    public static String deepestFeatureMap(OnnxGraph graph, Shape inputShape) {
        Map<String, Shape> shapes = shapes(graph, inputShape);
        String best = null;
        for (OnnxNode n : graph.nodes()) {
            for (String o : n.outputs()) {
                Shape s = shapes.get(o);
                if (s != null && s.dimension() == 4 && s.get(2) * s.get(3) > 1) {
                    best = o;
                }
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("no 4-D feature map in " + graph.name());
        }
        return best;
    }

    /**
     * For each requested stride (e.g. 8, 16, 32), the last 4-D tensor whose height is the input
     * height divided by that stride (rounded up).
     */
    public static Map<Integer, String> featureMapsAtStrides(
            OnnxGraph graph, Shape inputShape, int... strides) {
        Map<String, Shape> shapes = shapes(graph, inputShape);
        long h = inputShape.get(2);
        Map<Integer, String> result = new LinkedHashMap<>();
        for (int stride : strides) {
            long target = (h + stride - 1) / stride;
            String found = null;
            for (OnnxNode n : graph.nodes()) {
                for (String o : n.outputs()) {
                    Shape s = shapes.get(o);
                    if (s != null && s.dimension() == 4 && s.get(2) == target) {
                        found = o;
                    }
                }
            }
            if (found == null) {
                throw new IllegalArgumentException(
                        "no feature map at stride " + stride + " in " + graph.name());
            }
            result.put(stride, found);
        }
        return result;
    }
}
