package io.streamtune.onnx.djl.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import io.streamtune.onnx.ir.OnnxNode;
import io.streamtune.onnx.ir.UnsupportedOperatorException;
import java.util.Set;

/** ONNX {@code Pad}: Constant, reflect and edge padding, optionally on given axes. */
final class Pad implements Operator {

    @Override
    public String opType() {
        return "Pad";
    }

    @Override
    public void check(OnnxNode n, int opset) throws UnsupportedOperatorException {
        String mode = n.attrString("mode", "constant");
        if (!Set.of("constant", "reflect", "edge").contains(mode)) {
            Operators.reject(n, opset, "mode " + mode);
        }
    }

    @Override
    public NDList run(OpContext c, OnnxNode n, NDArray[] in) {
        NDArray x = in[0];
        long[] shape = x.getShape().getShape();
        int rank = shape.length;
        long[] given = Nd.longs(in[1]);
        long[] axes = in.length > 3 && in[3] != null ? Nd.longs(in[3]) : null;
        long[] pads = new long[2 * rank];
        if (axes == null) {
            pads = given;
        } else {
            for (int i = 0; i < axes.length; i++) {
                int a = Nd.axis(axes[i], rank);
                pads[a] = given[i];
                pads[a + rank] = given[i + axes.length];
            }
        }
        String mode = n.attrString("mode", "constant");
        if (mode.equals("constant")) {
            double value =
                    in.length > 2 && in[2] != null && in[2].size() > 0 ? Nd.floats(in[2])[0] : 0;
            long[] torch = new long[2 * rank];
            for (int i = 0; i < rank; i++) {
                int axis = rank - 1 - i;
                torch[2 * i] = pads[axis];
                torch[2 * i + 1] = pads[axis + rank];
            }
            return new NDList(x.pad(new Shape(torch), value));
        }
        NDArray y = x;
        for (int axis = 0; axis < rank; axis++) {
            long b = pads[axis];
            long e = pads[axis + rank];
            if (b == 0 && e == 0) {
                continue;
            }
            long dim = shape[axis];
            long outD = dim + b + e;
            long[] idx = new long[(int) outD];
            for (int i = 0; i < outD; i++) {
                long src = i - b;
                if (mode.equals("edge")) {
                    src = Math.max(0, Math.min(dim - 1, src));
                } else {
                    long period = 2 * (dim - 1);
                    if (period == 0) {
                        src = 0;
                    } else {
                        src = Math.floorMod(src, period);
                        if (src >= dim) {
                            src = period - src;
                        }
                    }
                }
                idx[i] = src;
            }
            y = Nd.take(y, axis, idx);
        }
        return new NDList(y);
    }
}
