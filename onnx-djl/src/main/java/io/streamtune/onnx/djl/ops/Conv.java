package io.streamtune.onnx.djl.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import io.streamtune.onnx.ir.OnnxNode;
import java.util.Arrays;
import java.util.List;

/** ONNX {@code Conv}: N-D convolution with groups, dilations and (auto) padding. */
final class Conv implements Operator {

    @Override
    public String opType() {
        return "Conv";
    }

    @Override
    public List<ParameterRole> parameterRoles() {
        return ParameterRole.WEIGHT_AND_BIAS;
    }

    @Override
    public NDList run(OpContext ctx, OnnxNode n, NDArray[] in) {
        NDArray x = in[0];
        NDArray w = in[1];
        long[] shape = x.getShape().getShape();
        int nd = shape.length - 2;
        long[] spatial = Arrays.copyOfRange(shape, 2, shape.length);
        long[] kernel = Arrays.copyOfRange(w.getShape().getShape(), 2, w.getShape().dimension());
        long[] strides = ConvSupport.ints(n, "strides", nd, 1);
        long[] dil = ConvSupport.ints(n, "dilations", nd, 1);
        long[] pads = ConvSupport.pads(n, spatial, kernel, strides, dil);
        long[] sym = new long[nd];
        if (ConvSupport.symmetric(pads)) {
            System.arraycopy(pads, 0, sym, 0, nd);
        } else {
            x = ConvSupport.padSpatial(x, pads, 0);
        }
        int group = (int) n.attrInt("group", 1);
        return x.getNDArrayInternal()
                .convolution(
                        x,
                        w,
                        in.length > 2 ? in[2] : null,
                        new Shape(strides),
                        new Shape(sym),
                        new Shape(dil),
                        group);
    }
}
