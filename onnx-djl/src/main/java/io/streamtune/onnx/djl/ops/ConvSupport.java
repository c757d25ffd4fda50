package io.streamtune.onnx.djl.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import io.streamtune.onnx.ir.OnnxNode;
import java.util.Arrays;

/** Padding, attribute and pooling helpers the convolution and pooling operators share. */
final class ConvSupport {

    private ConvSupport() {}

    /** Begin/end padding per spatial axis: {@code [b0, b1, ..., e0, e1, ...]} (ONNX order). */
    static long[] pads(OnnxNode n, long[] in, long[] kernel, long[] strides, long[] dilations) {
        int nd = in.length;
        String autoPad = n.attrString("auto_pad", "NOTSET");
        long[] pads = new long[2 * nd];
        switch (autoPad) {
            case "NOTSET" -> {
                long[] p = n.attrInts("pads");
                if (p != null) {
                    pads = p;
                }
            }
            case "VALID" -> {}
            case "SAME_UPPER", "SAME_LOWER" -> {
                for (int i = 0; i < nd; i++) {
                    long out = (in[i] + strides[i] - 1) / strides[i];
                    long effK = (kernel[i] - 1) * dilations[i] + 1;
                    long total = Math.max(0, (out - 1) * strides[i] + effK - in[i]);
                    long small = total / 2;
                    long big = total - small;
                    pads[i] = autoPad.equals("SAME_UPPER") ? small : big;
                    pads[i + nd] = autoPad.equals("SAME_UPPER") ? big : small;
                }
            }
            default -> throw new IllegalArgumentException("auto_pad " + autoPad);
        }
        return pads;
    }

    static long[] ints(OnnxNode n, String attr, int nd, long dflt) {
        long[] v = n.attrInts(attr);
        if (v == null) {
            v = new long[nd];
            Arrays.fill(v, dflt);
        }
        return v;
    }

    static boolean symmetric(long[] pads) {
        int nd = pads.length / 2;
        for (int i = 0; i < nd; i++) {
            if (pads[i] != pads[i + nd]) {
                return false;
            }
        }
        return true;
    }

    /** Pads spatial axes (axes 2..) with a constant; ONNX order pads, negative values crop. */
    static NDArray padSpatial(NDArray x, long[] pads, double value) {
        int nd = pads.length / 2;
        long[] torch = new long[2 * nd];
        // DJL/PyTorch order: last axis first, (begin, end) pairs.
        for (int i = 0; i < nd; i++) {
            int axis = nd - 1 - i;
            torch[2 * i] = pads[axis];
            torch[2 * i + 1] = pads[axis + nd];
        }
        return x.pad(new Shape(torch), value);
    }

    static NDList pool(OnnxNode n, NDArray x, boolean max) {
        long[] shape = x.getShape().getShape();
        int nd = shape.length - 2;
        long[] spatial = Arrays.copyOfRange(shape, 2, shape.length);
        long[] kernel = n.attrInts("kernel_shape");
        long[] strides = ints(n, "strides", nd, 1);
        long[] dil = ints(n, "dilations", nd, 1);
        long[] pads = pads(n, spatial, kernel, strides, dil);
        boolean ceil = n.attrInt("ceil_mode", 0) != 0;
        boolean countPad = n.attrInt("count_include_pad", 0) != 0;
        boolean withIndices = max && n.outputs().size() > 1 && !n.outputs().get(1).isEmpty();
        if (max && (withIndices || Arrays.stream(dil).anyMatch(d -> d != 1))) {
            return slicedMaxPool(
                    x,
                    kernel,
                    strides,
                    dil,
                    pads,
                    ceil,
                    withIndices,
                    n.attrInt("storage_order", 0) != 0);
        }
        // PyTorch pools only pad symmetrically (at most half a window), and its average pool's
        // count_include_pad disagrees with ONNX at the borders: pad explicitly unless there is no
        // padding.
        boolean nativePads = symmetric(pads);
        for (int i = 0; i < nd && nativePads; i++) {
            nativePads = pads[i] * 2 <= kernel[i] && (max || pads[i] == 0);
        }
        long[] sym = new long[nd];
        if (nativePads) {
            System.arraycopy(pads, 0, sym, 0, nd);
            NDArray y =
                    max
                            ? x.getNDArrayInternal()
                                    .maxPool(
                                            new Shape(kernel),
                                            new Shape(strides),
                                            new Shape(sym),
                                            ceil)
                            : x.getNDArrayInternal()
                                    .avgPool(
                                            new Shape(kernel),
                                            new Shape(strides),
                                            new Shape(sym),
                                            ceil,
                                            countPad);
            return new NDList(y);
        }
        if (max) {
            NDArray padded = padSpatial(x, pads, Double.NEGATIVE_INFINITY);
            return new NDList(
                    padded.getNDArrayInternal()
                            .maxPool(new Shape(kernel), new Shape(strides), new Shape(sym), ceil));
        }
        NDArray padded = padSpatial(x, pads, 0);
        NDArray avg =
                padded.getNDArrayInternal()
                        .avgPool(new Shape(kernel), new Shape(strides), new Shape(sym), ceil, true);
        if (countPad) {
            return new NDList(avg);
        }
        long[] maskShape = shape.clone();
        maskShape[0] = 1;
        maskShape[1] = 1;
        NDArray mask =
                padSpatial(x.getManager().ones(new Shape(maskShape), x.getDataType()), pads, 0);
        NDArray frac =
                mask.getNDArrayInternal()
                        .avgPool(new Shape(kernel), new Shape(strides), new Shape(sym), ceil, true);
        return new NDList(avg.div(frac));
    }

    /**
     * Max pooling with dilation and/or the Indices output (DJL's pooling has neither): the maximum
     * over one strided slice per kernel offset of the (-inf) padded input, first maximum winning.
     */
    static NDList slicedMaxPool(
            NDArray x,
            long[] kernel,
            long[] strides,
            long[] dil,
            long[] pads,
            boolean ceil,
            boolean withIndices,
            boolean columnMajor) {
        long[] shape = x.getShape().getShape();
        int nd = kernel.length;
        long[] out = new long[nd];
        long[] padded = pads.clone();
        for (int i = 0; i < nd; i++) {
            long in = shape[i + 2];
            long span = in + pads[i] + pads[i + nd] - ((kernel[i] - 1) * dil[i] + 1);
            out[i] =
                    (ceil
                                    ? Math.floorDiv(span + strides[i] - 1, strides[i])
                                    : Math.floorDiv(span, strides[i]))
                            + 1;
            if (ceil && (out[i] - 1) * strides[i] >= in + pads[i]) {
                out[i]--;
            }
            long needed = (out[i] - 1) * strides[i] + (kernel[i] - 1) * dil[i] + 1 - (in + pads[i]);
            padded[i + nd] = Math.max(pads[i + nd], needed);
        }
        NDArray xp = padSpatial(x, padded, Double.NEGATIVE_INFINITY);
        // flat positions in the unpadded input, as ONNX's Indices output reports them
        NDArray positions =
                withIndices ? padSpatial(flatPositions(x, columnMajor), padded, -1) : null;
        NDArray result = null;
        NDArray resultIndex = null;
        long[] offset = new long[nd];
        while (true) {
            ai.djl.ndarray.index.NDIndex idx =
                    new ai.djl.ndarray.index.NDIndex().addAllDim().addAllDim();
            for (int i = 0; i < nd; i++) {
                long start = offset[i] * dil[i];
                idx.addSliceDim(start, start + (out[i] - 1) * strides[i] + 1, strides[i]);
            }
            NDArray window = xp.get(idx);
            if (withIndices) {
                NDArray windowIndex = positions.get(idx);
                if (result == null) {
                    resultIndex = windowIndex;
                } else {
                    NDArray better = window.gt(result);
                    resultIndex = ai.djl.ndarray.NDArrays.where(better, windowIndex, resultIndex);
                }
            }
            result = result == null ? window : result.maximum(window);
            int axis = nd - 1;
            while (axis >= 0 && ++offset[axis] == kernel[axis]) {
                offset[axis] = 0;
                axis--;
            }
            if (axis < 0) {
                return withIndices
                        ? new NDList(
                                result,
                                resultIndex.toType(ai.djl.ndarray.types.DataType.INT64, false))
                        : new NDList(result);
            }
        }
    }

    /** Each element's flat index: row-major, or with the spatial axes in column-major order. */
    static NDArray flatPositions(NDArray x, boolean columnMajor) {
        long[] shape = x.getShape().getShape();
        NDArray flat =
                x.getManager()
                        .arange(0f, (float) x.size(), 1f, ai.djl.ndarray.types.DataType.INT64);
        if (!columnMajor) {
            return flat.reshape(x.getShape());
        }
        int rank = shape.length;
        long[] reversed = shape.clone();
        int[] perm = new int[rank];
        perm[0] = 0;
        perm[1] = 1;
        for (int i = 2; i < rank; i++) {
            reversed[i] = shape[rank + 1 - i];
            perm[i] = rank + 1 - i;
        }
        return flat.reshape(new Shape(reversed)).transpose(perm);
    }
}
