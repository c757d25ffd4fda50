package io.streamtune.onnx.djl.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.streamtune.onnx.ir.OnnxNode;
import io.streamtune.onnx.ir.UnsupportedOperatorException;
import java.util.List;

/**
 * One ONNX operator on the bridge, all in one place: its kernel, its load-time attribute checks,
 * the roles of its parameter inputs and the opsets it covers. Adding an operator is one class
 * implementing this, listed in {@link Operators}.
 */
public interface Operator {

    /** The ONNX op type, e.g. {@code Conv}. */
    String opType();

    /**
     * The first default-domain opset this operator is accepted at; older signatures are rewritten
     * to the opset-13 form by the reader, so most operators start at 7.
     */
    default int sinceOpset() {
        return 7;
    }

    /** The last opset whose semantics the kernel implements. */
    default int untilOpset() {
        return 21;
    }

    /** Fails unless the node's attributes are ones the kernel implements. */
    default void check(OnnxNode n, int opset) throws UnsupportedOperatorException {}

    /** Which initializer inputs are trainable parameters, in the order roles are assigned. */
    default List<ParameterRole> parameterRoles() {
        return List.of();
    }

    /** Runs the node on DJL arrays (absent optional inputs are {@code null}). */
    NDList run(OpContext ctx, OnnxNode n, NDArray[] in);
}
