package io.streamtune.onnx.ir;

/** The tensor a {@code Constant} node produces, from whichever value attribute it carries. */
public final class ConstantValue {

    private ConstantValue() {}

    /** Decodes the node's value. */
    public static OnnxTensor of(OnnxNode n) {
        String out = n.outputs().get(0);
        if (n.has("value")) {
            return n.attrTensor("value").renamed(out);
        }
        if (n.has("value_float")) {
            return OnnxTensor.ofFloats(
                    out, new long[0], new float[] {n.attrFloat("value_float", 0)});
        }
        if (n.has("value_floats")) {
            float[] f = n.attrFloats("value_floats");
            return OnnxTensor.ofFloats(out, new long[] {f.length}, f);
        }
        if (n.has("value_int")) {
            return OnnxTensor.ofLongs(out, new long[0], n.attrInt("value_int", 0));
        }
        if (n.has("value_ints")) {
            return OnnxTensor.vector(out, n.attrInts("value_ints"));
        }
        throw new IllegalArgumentException(
                "Constant node " + n.name() + " has no supported value attribute");
    }
}
