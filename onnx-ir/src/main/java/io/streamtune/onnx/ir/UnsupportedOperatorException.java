package io.streamtune.onnx.ir;

/** Thrown at load time when a model uses an operator, attribute or domain the bridge cannot run. */
public class UnsupportedOperatorException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String opType;
    private final String nodeName;
    private final int opset;

    public UnsupportedOperatorException(String opType, String nodeName, int opset, String detail) {
        super(
                "unsupported operator "
                        + opType
                        + " (node '"
                        + nodeName
                        + "', opset "
                        + opset
                        + ")"
                        + (detail == null || detail.isEmpty() ? "" : ": " + detail));
        this.opType = opType;
        this.nodeName = nodeName;
        this.opset = opset;
    }

    public String opType() {
        return opType;
    }

    public String nodeName() {
        return nodeName;
    }

    public int opset() {
        return opset;
    }
}
