package io.streamtune.onnx.djl.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import io.streamtune.onnx.ir.OnnxNode;
import java.util.Arrays;
import java.util.List;

/**
 * ONNX {@code ConvTranspose}: Transposed convolution (a stride-s conv to out×s² channels + pixel
 * shuffle where DJL lacks it).
 */
final class ConvTranspose implements Operator {

    @Override
    public String opType() {
        return "ConvTranspose";
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
        long[] wShape = w.getShape().getShape();
        long[] kernel = Arrays.copyOfRange(wShape, 2, wShape.length);
        long[] strides = ConvSupport.ints(n, "strides", nd, 1);
        long[] dil = ConvSupport.ints(n, "dilations", nd, 1);
        long[] outPad = ConvSupport.ints(n, "output_padding", nd, 0);
        int group = (int) n.attrInt("group", 1);
        long[] pads = new long[2 * nd];
        long[] outputShape = n.attrInts("output_shape");
        String autoPad = n.attrString("auto_pad", "NOTSET");
        if (outputShape != null && outputShape.length > nd) {
            outputShape =
                    Arrays.copyOfRange(outputShape, outputShape.length - nd, outputShape.length);
        }
        if (outputShape != null || autoPad.startsWith("SAME")) {
            for (int i = 0; i < nd; i++) {
                long inI = shape[i + 2];
                long target = outputShape != null ? outputShape[i] : inI * strides[i];
                long total =
                        strides[i] * (inI - 1)
                                + outPad[i]
                                + ((kernel[i] - 1) * dil[i] + 1)
                                - target;
                long half = Math.floorDiv(total, 2);
                if (autoPad.equals("SAME_UPPER")) {
                    pads[i] = half;
                    pads[i + nd] = total - half;
                } else {
                    pads[i] = total - half;
                    pads[i + nd] = half;
                }
            }
        } else if (autoPad.equals("NOTSET") && n.attrInts("pads") != null) {
            pads = n.attrInts("pads");
        }
        // 1) insert (stride-1) zeros between input samples along each spatial axis
        for (int i = 0; i < nd; i++) {
            long s = strides[i];
            if (s == 1) {
                continue;
            }
            int axis = i + 2;
            long[] cur = x.getShape().getShape();
            NDArray e = x.expandDims(axis + 1);
            long[] zs = e.getShape().getShape().clone();
            zs[axis + 1] = s - 1;
            NDArray zeros = x.getManager().zeros(new Shape(zs), x.getDataType());
            NDArray inter = e.concat(zeros, axis + 1);
            long[] merged = cur.clone();
            merged[axis] = cur[axis] * s;
            x = inter.reshape(new Shape(merged));
        }
        // 2) full padding minus the ONNX pads; the trailing (stride-1) zeros are cropped here too
        long[] convPads = new long[2 * nd];
        for (int i = 0; i < nd; i++) {
            long effK = (kernel[i] - 1) * dil[i] + 1;
            convPads[i] = effK - 1 - pads[i];
            convPads[i + nd] = effK - 1 - pads[i + nd] + outPad[i] - (strides[i] - 1);
        }
        x = ConvSupport.padSpatial(x, convPads, 0);
        // 3) weight (Cin, Cout/g, k...) -> (Cout, Cin/g, k...), flipped spatially
        long cin = wShape[0];
        long coutPerGroup = wShape[1];
        long[] grouped = new long[wShape.length + 1];
        grouped[0] = group;
        grouped[1] = cin / group;
        grouped[2] = coutPerGroup;
        System.arraycopy(kernel, 0, grouped, 3, nd);
        NDArray wt = w.reshape(new Shape(grouped)).swapAxes(1, 2);
        long[] convW = new long[wShape.length];
        convW[0] = coutPerGroup * group;
        convW[1] = cin / group;
        System.arraycopy(kernel, 0, convW, 2, nd);
        wt = wt.reshape(new Shape(convW));
        int[] flipAxes = new int[nd];
        for (int i = 0; i < nd; i++) {
            flipAxes[i] = i + 2;
        }
        wt = wt.flip(flipAxes);
        long[] ones = new long[nd];
        Arrays.fill(ones, 1);
        return x.getNDArrayInternal()
                .convolution(
                        x,
                        wt,
                        in.length > 2 ? in[2] : null,
                        new Shape(ones),
                        new Shape(new long[nd]),
                        new Shape(dil),
                        group);
    }
}
