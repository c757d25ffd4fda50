package io.streamtune.onnx.djl;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.streamtune.onnx.djl.ops.Nd;
import io.streamtune.onnx.djl.ops.OpContext;
import io.streamtune.onnx.djl.ops.Operators;
import io.streamtune.onnx.djl.ops.ParameterRole;
import io.streamtune.onnx.ir.ElementType;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxNode;
import io.streamtune.onnx.ir.OnnxTensor;
import io.streamtune.onnx.ir.TensorInfo;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A DJL block that executes an {@link OnnxGraph}: float initializers feeding Conv, ConvTranspose,
 * Gemm, MatMul and BatchNormalization become DJL {@link Parameter}s (BatchNorm running statistics
 * are never trainable), everything else is a constant.
 */
public final class OnnxBlock extends AbstractBlock {

    private final OnnxGraph graph;
    private final Map<String, Parameter> params = new LinkedHashMap<>();
    private final Map<String, OnnxTensor> constants = new LinkedHashMap<>();
    private final Map<String, String> batchNormScale = new HashMap<>();
    private final List<String> inputNames;

    /**
     * Wraps a graph; parameters take the graph's initializer values when the block is initialised.
     */
    public OnnxBlock(OnnxGraph graph) {
        this.graph = graph;
        this.inputNames = graph.inputs().stream().map(TensorInfo::name).toList();
        Map<String, Parameter.Type> roles = new LinkedHashMap<>();
        for (OnnxNode n : graph.nodes()) {
            for (ParameterRole r : Operators.parameterRoles(n.opType())) {
                role(roles, n.input(r.input()), r.type());
                if (r.type() == Parameter.Type.GAMMA) {
                    batchNormScale.put(n.name(), n.input(r.input()));
                }
            }
        }
        for (OnnxTensor t : graph.initializers().values()) {
            Parameter.Type role = roles.get(t.name());
            if (role != null && t.type() == ElementType.FLOAT) {
                boolean stats =
                        role == Parameter.Type.RUNNING_MEAN || role == Parameter.Type.RUNNING_VAR;
                Parameter p =
                        Parameter.builder()
                                .setName(t.name())
                                .setType(role)
                                .optShape(new Shape(t.shape()))
                                .optInitializer(
                                        (manager, shape, dataType) ->
                                                manager.create(t.floats(), shape))
                                .optRequiresGrad(!stats)
                                .build();
                params.put(t.name(), addParameter(p));
            } else {
                constants.put(t.name(), t);
            }
        }
    }

    private void role(Map<String, Parameter.Type> roles, String tensor, Parameter.Type type) {
        if (!tensor.isEmpty() && graph.initializers().containsKey(tensor)) {
            roles.putIfAbsent(tensor, type);
        }
    }

    /** The graph this block runs (with the initial initializer values). */
    public OnnxGraph graph() {
        return graph;
    }

    /** Parameters keyed by the initializer (tensor) name they stand for. */
    public Map<String, Parameter> parametersByTensor() {
        return Collections.unmodifiableMap(params);
    }

    /** Whether a parameter is a BatchNorm running statistic (never trainable). */
    public static boolean isRunningStatistic(Parameter p) {
        return p.getType() == Parameter.Type.RUNNING_MEAN
                || p.getType() == Parameter.Type.RUNNING_VAR;
    }

    @Override
    public void freezeParameters(boolean freeze) {
        freezeParameters(freeze, p -> true);
    }

    @Override
    public void freezeParameters(boolean freeze, Predicate<Parameter> pred) {
        for (Parameter p : params.values()) {
            if (!isRunningStatistic(p) && pred.test(p)) {
                p.freeze(freeze);
            }
        }
    }

    /**
     * The graph with the current parameter values as initializers (BatchNorm running statistics
     * included); parameters not yet initialised keep their original values.
     */
    public OnnxGraph toGraph() {
        Map<String, OnnxTensor> inits = new LinkedHashMap<>(graph.initializers());
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            Parameter p = e.getValue();
            if (p.isInitialized()) {
                inits.put(e.getKey(), Nd.fromNd(e.getKey(), p.getArray()));
            }
        }
        return graph.withInitializers(inits);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        if (inputs.size() != inputNames.size()) {
            throw new IllegalArgumentException(
                    "expected "
                            + inputNames.size()
                            + " inputs "
                            + inputNames
                            + ", got "
                            + inputs.size());
        }
        NDManager manager =
                inputs.isEmpty() ? parameterStore.getManager() : inputs.head().getManager();
        Device device = manager.getDevice();
        Map<String, NDArray> env = new HashMap<>();
        for (int i = 0; i < inputNames.size(); i++) {
            env.put(inputNames.get(i), inputs.get(i));
        }
        for (Map.Entry<String, Parameter> e : this.params.entrySet()) {
            env.put(e.getKey(), parameterStore.getValue(e.getValue(), device, training));
        }
        return execute(env, manager, training);
    }

    private NDList execute(Map<String, NDArray> env, NDManager manager, boolean training) {
        for (OnnxTensor c : constants.values()) {
            env.put(c.name(), Nd.toNd(manager, c));
        }
        OpContext ctx = new OpContext(manager, training, graph.opset(), this::usesBatchStatistics);
        for (OnnxNode n : graph.nodes()) {
            NDArray[] in = new NDArray[n.inputs().size()];
            for (int i = 0; i < in.length; i++) {
                String name = n.input(i);
                if (!name.isEmpty()) {
                    in[i] = env.get(name);
                    if (in[i] == null) {
                        throw new IllegalStateException(
                                "node " + n.name() + " input " + name + " not computed");
                    }
                }
            }
            NDList out = Operators.run(ctx, n, in);
            for (int i = 0; i < n.outputs().size() && i < out.size(); i++) {
                if (!n.outputs().get(i).isEmpty()) {
                    env.put(n.outputs().get(i), out.get(i));
                }
            }
        }
        NDList result = new NDList();
        for (TensorInfo o : graph.outputs()) {
            NDArray a = env.get(o.name());
            if (a == null) {
                throw new IllegalStateException("graph output " + o.name() + " not computed");
            }
            result.add(a);
        }
        return result;
    }

    /** Training-mode BatchNorm uses batch statistics only while its scale is trainable. */
    private boolean usesBatchStatistics(OnnxNode bn) {
        String scale = batchNormScale.get(bn.name());
        Parameter p = scale == null ? null : params.get(scale);
        return p == null || p.requiresGradient();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> env = new HashMap<>();
            for (int i = 0; i < inputNames.size(); i++) {
                DataType dt =
                        graph.inputs().get(i).type() == ElementType.INT64
                                ? DataType.INT64
                                : DataType.FLOAT32;
                env.put(inputNames.get(i), m.zeros(inputShapes[i], dt));
            }
            for (Map.Entry<String, Parameter> e : params.entrySet()) {
                env.put(e.getKey(), Nd.toNd(m, graph.initializers().get(e.getKey())));
            }
            NDList out = execute(env, m, false);
            Shape[] shapes = new Shape[out.size()];
            for (int i = 0; i < shapes.length; i++) {
                shapes[i] = out.get(i).getShape();
            }
            return shapes;
        }
    }

    /**
     * Shapes of every tensor for one input shape, by running the graph once on zeros (used for
     * cutting and head sizing).
     */
    public static Map<String, Shape> traceShapes(OnnxGraph graph, Shape... inputShapes) {
        Map<String, Shape> result = new LinkedHashMap<>();
        for (int i = 0; i < graph.inputs().size(); i++) {
            result.put(graph.inputs().get(i).name(), inputShapes[i]);
        }
        trace(graph, inputShapes, (name, a) -> result.put(name, a.getShape()));
        return result;
    }

    /**
     * Values of every integer tensor computed by nodes, for inputs of zeros with the given shapes.
     */
    public static Map<String, OnnxTensor> traceIntegerValues(
            OnnxGraph graph, Shape... inputShapes) {
        Map<String, OnnxTensor> result = new LinkedHashMap<>();
        trace(
                graph,
                inputShapes,
                (name, a) -> {
                    if (a.getDataType().isInteger()) {
                        result.put(name, Nd.fromNd(name, a));
                    }
                });
        return result;
    }

    private static void trace(
            OnnxGraph graph,
            Shape[] inputShapes,
            java.util.function.BiConsumer<String, NDArray> sink) {
        List<TensorInfo> all =
                graph.nodes().stream()
                        .flatMap(n -> n.outputs().stream())
                        .filter(s -> !s.isEmpty())
                        .map(s -> new TensorInfo(s, ElementType.FLOAT, null))
                        .toList();
        OnnxGraph everything =
                new OnnxGraph(
                        graph.name(),
                        graph.opset(),
                        graph.inputs(),
                        all,
                        graph.nodes(),
                        graph.initializers(),
                        graph.metadata());
        OnnxBlock block = new OnnxBlock(everything);
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> env = new HashMap<>();
            for (int i = 0; i < block.inputNames.size(); i++) {
                DataType dt =
                        graph.inputs().get(i).type() == ElementType.INT64
                                ? DataType.INT64
                                : DataType.FLOAT32;
                env.put(block.inputNames.get(i), m.zeros(inputShapes[i], dt));
            }
            for (Map.Entry<String, Parameter> e : block.params.entrySet()) {
                env.put(e.getKey(), Nd.toNd(m, graph.initializers().get(e.getKey())));
            }
            NDList out = block.execute(env, m, false);
            for (int i = 0; i < all.size(); i++) {
                sink.accept(all.get(i).name(), out.get(i));
            }
        }
    }
}
