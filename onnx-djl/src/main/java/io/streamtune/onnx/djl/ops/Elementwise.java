package io.streamtune.onnx.djl.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.streamtune.onnx.ir.OnnxNode;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The element-wise unary operators other exporters' networks are made of (GELU spelt with {@code
 * Erf}, LayerNorm spelt with {@code Pow} and {@code Sqrt}, softplus and ELU activations), one
 * {@link Operator} each, differentiable through DJL. Each keeps the semantics it has had since the
 * opset named (later opsets only added element types).
 */
final class Elementwise implements Operator {

    private final String opType;
    private final int since;
    private final BiFunction<OnnxNode, NDArray, NDArray> kernel;

    private Elementwise(String opType, int since, BiFunction<OnnxNode, NDArray, NDArray> kernel) {
        this.opType = opType;
        this.since = since;
        this.kernel = kernel;
    }

    static List<Operator> all() {
        return List.of(
                new Elementwise("Abs", 6, (n, x) -> x.abs()),
                new Elementwise("Neg", 6, (n, x) -> x.neg()),
                new Elementwise("Sqrt", 6, (n, x) -> x.sqrt()),
                new Elementwise("Exp", 6, (n, x) -> x.exp()),
                new Elementwise("Log", 6, (n, x) -> x.log()),
                new Elementwise(
                        "Reciprocal",
                        6,
                        (n, x) -> x.getManager().ones(x.getShape(), x.getDataType()).div(x)),
                new Elementwise("Erf", 9, (n, x) -> x.erf()),
                new Elementwise("Softplus", 1, (n, x) -> x.getNDArrayInternal().softPlus()),
                new Elementwise(
                        "Elu", 6, (n, x) -> x.getNDArrayInternal().elu(n.attrFloat("alpha", 1f))));
    }

    @Override
    public String opType() {
        return opType;
    }

    @Override
    public int sinceOpset() {
        return since;
    }

    @Override
    public NDList run(OpContext c, OnnxNode n, NDArray[] in) {
        return new NDList(kernel.apply(n, in[0]));
    }
}
