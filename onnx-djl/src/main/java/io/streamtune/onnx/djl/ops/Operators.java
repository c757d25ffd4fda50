package io.streamtune.onnx.djl.ops;

import ai.djl.ndarray.NDList;
import io.streamtune.onnx.ir.ConstantValue;
import io.streamtune.onnx.ir.OnnxNode;
import io.streamtune.onnx.ir.UnsupportedOperatorException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The supported operator set: one kernel per ONNX op type, plus load-time attribute checks. */
public final class Operators {

    private static final Map<String, Kernel> KERNELS = new TreeMap<>();

    static {
        KERNELS.put("Conv", ConvKernels::conv);
        KERNELS.put("ConvTranspose", ConvKernels::convTranspose);
        KERNELS.put("MaxPool", ConvKernels::maxPool);
        KERNELS.put("AveragePool", ConvKernels::averagePool);
        KERNELS.put("GlobalAveragePool", ConvKernels::globalAveragePool);
        KERNELS.put("BatchNormalization", TensorKernels::batchNorm);
        KERNELS.put("Relu", TensorKernels::relu);
        KERNELS.put("LeakyRelu", TensorKernels::leakyRelu);
        KERNELS.put("Clip", TensorKernels::clip);
        KERNELS.put("Sigmoid", TensorKernels::sigmoid);
        KERNELS.put("HardSigmoid", TensorKernels::hardSigmoid);
        KERNELS.put("HardSwish", TensorKernels::hardSwish);
        KERNELS.put("Add", TensorKernels::add);
        KERNELS.put("Sub", TensorKernels::sub);
        KERNELS.put("Mul", TensorKernels::mul);
        KERNELS.put("Equal", TensorKernels::equal);
        KERNELS.put("Div", TensorKernels::div);
        KERNELS.put("Flatten", TensorKernels::flatten);
        KERNELS.put("Reshape", TensorKernels::reshape);
        KERNELS.put("Transpose", TensorKernels::transpose);
        KERNELS.put("Concat", TensorKernels::concat);
        KERNELS.put("Split", TensorKernels::split);
        KERNELS.put("Slice", TensorKernels::slice);
        KERNELS.put("Gemm", TensorKernels::gemm);
        KERNELS.put("MatMul", TensorKernels::matMul);
        KERNELS.put("Softmax", TensorKernels::softmax);
        KERNELS.put("Resize", ResizeKernels::resize);
        KERNELS.put("Pad", ResizeKernels::pad);
        KERNELS.put("Identity", TensorKernels::identity);
        KERNELS.put("Tanh", TensorKernels::tanh);
        KERNELS.put("Cast", TensorKernels::cast);
        KERNELS.put("ReduceMean", TensorKernels::reduceMean);
        KERNELS.put("Dropout", TensorKernels::dropout);
        KERNELS.put("Shape", TensorKernels::shape);
        KERNELS.put("Gather", TensorKernels::gather);
        KERNELS.put("Unsqueeze", TensorKernels::unsqueeze);
        KERNELS.put("Squeeze", TensorKernels::squeeze);
        KERNELS.put(
                "Constant", (c, n, in) -> new NDList(Nd.toNd(c.manager(), ConstantValue.of(n))));
    }

    private Operators() {}

    /** Every supported op type. */
    public static Set<String> supported() {
        return KERNELS.keySet();
    }

    /** The kernel for an op type (which {@link #check} has accepted). */
    public static Kernel kernel(String opType) {
        Kernel k = KERNELS.get(opType);
        if (k == null) {
            throw new IllegalArgumentException("no kernel for " + opType);
        }
        return k;
    }

    /** Fails unless the node's op type and attributes are supported at this opset. */
    public static void check(OnnxNode n, int opset) throws UnsupportedOperatorException {
        String op = n.opType();
        if (!KERNELS.containsKey(op)) {
            throw new UnsupportedOperatorException(op, n.name(), opset, null);
        }
        switch (op) {
            case "MaxPool" -> {}
            case "AveragePool" -> {
                long[] d = n.attrInts("dilations");
                if (d != null && java.util.Arrays.stream(d).anyMatch(v -> v != 1)) {
                    reject(n, opset, "dilations other than 1");
                }
            }
            case "Resize" -> {
                String mode = n.attrString("mode", "nearest");
                if (!Set.of("nearest", "linear", "cubic").contains(mode)) {
                    reject(n, opset, "mode " + mode);
                }
                String ctm = n.attrString("coordinate_transformation_mode", "half_pixel");
                if (!Set.of(
                                "half_pixel",
                                "pytorch_half_pixel",
                                "align_corners",
                                "asymmetric",
                                "tf_half_pixel_for_nn",
                                "tf_crop_and_resize")
                        .contains(ctm)) {
                    reject(n, opset, "coordinate_transformation_mode " + ctm);
                }
                if (n.attrInt("antialias", 0) != 0
                        || n.has("axes")
                        || !n.attrString("keep_aspect_ratio_policy", "stretch").equals("stretch")) {
                    reject(n, opset, "antialias/axes/keep_aspect_ratio_policy");
                }
            }
            case "Pad" -> {
                String mode = n.attrString("mode", "constant");
                if (!Set.of("constant", "reflect", "edge").contains(mode)) {
                    reject(n, opset, "mode " + mode);
                }
            }
            case "Cast" -> {
                int to = (int) n.attrInt("to", 1);
                if (!java.util.Set.of(1, 2, 3, 6, 7, 9, 11).contains(to)) {
                    reject(n, opset, "casting to ONNX type " + to);
                }
            }
            case "Constant" -> {
                if (!(n.has("value")
                        || n.has("value_float")
                        || n.has("value_floats")
                        || n.has("value_int")
                        || n.has("value_ints"))) {
                    reject(n, opset, "sparse or string values");
                }
            }
            default -> {}
        }
    }

    private static void reject(OnnxNode n, int opset, String what)
            throws UnsupportedOperatorException {
        throw new UnsupportedOperatorException(
                n.opType(), n.name(), opset, what + " is not supported");
    }

    /** Runs a node. */
    public static NDList run(OpContext ctx, OnnxNode n, ai.djl.ndarray.NDArray[] inputs) {
        return kernel(n.opType()).run(ctx, n, inputs);
    }
}
