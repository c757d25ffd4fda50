package io.streamtune.onnx.djl.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.streamtune.onnx.ir.ConstantValue;
import io.streamtune.onnx.ir.OnnxNode;
import io.streamtune.onnx.ir.UnsupportedOperatorException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The bridge's operator table: every {@link Operator}, by ONNX op type. */
public final class Operators {

    /** {@code Constant} nodes are folded into initializers by the reader; this runs stragglers. */
    private static final Operator CONSTANT =
            new Operator() {
                @Override
                public String opType() {
                    return "Constant";
                }

                @Override
                public void check(OnnxNode n, int opset) throws UnsupportedOperatorException {
                    if (!(n.has("value")
                            || n.has("value_float")
                            || n.has("value_floats")
                            || n.has("value_int")
                            || n.has("value_ints"))) {
                        reject(n, opset, "sparse or string values");
                    }
                }

                @Override
                public NDList run(OpContext c, OnnxNode n, NDArray[] in) {
                    NDManager m = c.manager();
                    return new NDList(Nd.toNd(m, ConstantValue.of(n)));
                }
            };

    private static final Map<String, Operator> OPERATORS = new TreeMap<>();

    static {
        List<Operator> all = new java.util.ArrayList<>(Elementwise.all());
        all.addAll(
                List.of(
                        new Conv(),
                        new ConvTranspose(),
                        new MaxPool(),
                        new AveragePool(),
                        new GlobalAveragePool(),
                        new BatchNormalization(),
                        new InstanceNormalization(),
                        new Relu(),
                        new LeakyRelu(),
                        new Clip(),
                        new Sigmoid(),
                        new HardSigmoid(),
                        new HardSwish(),
                        new Add(),
                        new Sub(),
                        new Mul(),
                        new Div(),
                        new Equal(),
                        new Flatten(),
                        new Reshape(),
                        new Transpose(),
                        new Concat(),
                        new Split(),
                        new Slice(),
                        new Gemm(),
                        new MatMul(),
                        new Softmax(),
                        new Resize(),
                        new Pad(),
                        new Identity(),
                        new Tanh(),
                        new Cast(),
                        new ReduceMean(),
                        new Dropout(),
                        new ShapeOf(),
                        new Gather(),
                        new Unsqueeze(),
                        new Squeeze(),
                        new GlobalMaxPool(),
                        new LayerNormalization(),
                        new Pow(),
                        CONSTANT));
        for (Operator o : all) {
            if (OPERATORS.put(o.opType(), o) != null) {
                throw new IllegalStateException("two operators for " + o.opType());
            }
        }
    }

    private Operators() {}

    /** Every supported op type. */
    public static Set<String> supported() {
        return OPERATORS.keySet();
    }

    /** The operator for an op type (which {@link #check} has accepted). */
    public static Operator operator(String opType) {
        Operator o = OPERATORS.get(opType);
        if (o == null) {
            throw new IllegalArgumentException("no operator " + opType);
        }
        return o;
    }

    /** The parameter roles of an op type's inputs; none for an op type the bridge lacks. */
    public static List<ParameterRole> parameterRoles(String opType) {
        Operator o = OPERATORS.get(opType);
        return o == null ? List.of() : o.parameterRoles();
    }

    /** Fails unless the node's op type, opset and attributes are supported. */
    public static void check(OnnxNode n, int opset) throws UnsupportedOperatorException {
        Operator o = OPERATORS.get(n.opType());
        if (o == null) {
            throw new UnsupportedOperatorException(n.opType(), n.name(), opset, null);
        }
        if (opset < o.sinceOpset() || opset > o.untilOpset()) {
            throw new UnsupportedOperatorException(
                    n.opType(),
                    n.name(),
                    opset,
                    "supported at opsets " + o.sinceOpset() + "-" + o.untilOpset());
        }
        o.check(n, opset);
    }

    /** Rejects a node for an attribute value the kernel does not implement. */
    static void reject(OnnxNode n, int opset, String what) throws UnsupportedOperatorException {
        throw new UnsupportedOperatorException(
                n.opType(), n.name(), opset, what + " is not supported");
    }

    /** Runs a node. */
    public static NDList run(OpContext ctx, OnnxNode n, NDArray[] inputs) {
        return operator(n.opType()).run(ctx, n, inputs);
    }
}
