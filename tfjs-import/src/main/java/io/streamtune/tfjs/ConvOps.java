package io.streamtune.tfjs;

import io.streamtune.onnx.ir.Attribute;
import io.streamtune.onnx.ir.OnnxTensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Convolutions and pooling: {@code Conv2D}, {@code DepthwiseConv2dNative}, their {@code _Fused}
 * forms (bias + activation), {@code Conv2DBackpropInput}, {@code MaxPool}, {@code AvgPool}.
 * TensorFlow's SAME padding becomes explicit ONNX pads (extra padding at the end, as TF does).
 */
final class ConvOps {

    private ConvOps() {}

    static void register(Map<String, TfOp> ops) {
        ops.put("Conv2D", (c, n) -> conv(c, n, false));
        ops.put("_FusedConv2D", (c, n) -> conv(c, n, false));
        ops.put("DepthwiseConv2dNative", (c, n) -> conv(c, n, true));
        ops.put("FusedDepthwiseConv2dNative", (c, n) -> conv(c, n, true));
        ops.put("Conv2DBackpropInput", ConvOps::convTranspose);
        ops.put("MaxPool", (c, n) -> pool(c, n, "MaxPool"));
        ops.put("AvgPool", (c, n) -> pool(c, n, "AveragePool"));
    }

    /** The layout a 4-D op's input must have in ONNX, by the node's data_format. */
    static int[] spatialPerm(Conversion c, TfNode n) throws TfjsImportException {
        String df = n.string("data_format", "NHWC");
        return switch (df) {
            case "NHWC" -> Value.NCHW;
            case "NCHW" -> Value.identity(4);
            default ->
                    throw new TfjsImportException(
                            c.source()
                                    + ": node '"
                                    + n.name()
                                    + "': data_format "
                                    + df
                                    + " is not supported");
        };
    }

    /** Spatial axes (H, W) of a TF shape in the node's data_format. */
    private static int[] spatialAxes(int[] perm) {
        return new int[] {perm[2], perm[3]};
    }

    private static int channelAxis(int[] perm) {
        return perm[1];
    }

    private static void conv(Conversion c, TfNode n, boolean depthwise) throws TfjsImportException {
        Value x = c.get(n.input(0));
        requireRank(c, n, x, 4);
        int[] perm = spatialPerm(c, n);
        TfTensor f = c.constant(n, 1, "the filter");
        if (f.shape().length != 4) {
            throw new TfjsImportException(
                    c.source() + ": node '" + n.name() + "': filter of rank " + f.shape().length);
        }
        long kh = f.shape()[0], kw = f.shape()[1], ci = f.shape()[2], co = f.shape()[3];
        OnnxTensor w;
        long group = 1;
        long outChannels;
        if (depthwise) {
            // [kh, kw, C, M] -> [C*M, 1, kh, kw], group C
            OnnxTensor t = Conversion.transposed(f, new int[] {2, 3, 0, 1});
            w = OnnxTensor.ofFloats(f.name(), new long[] {ci * co, 1, kh, kw}, t.floats());
            group = ci;
            outChannels = ci * co;
        } else {
            // [kh, kw, Cin/g, Cout] -> [Cout, Cin/g, kh, kw]
            w = Conversion.transposed(f, new int[] {3, 2, 0, 1});
            long inChannels = x.shape()[channelAxis(perm)];
            if (inChannels > 0 && inChannels != ci) {
                group = inChannels / ci;
            }
            outChannels = co;
        }
        long[] strides = spatial(n.ints("strides"), perm, 1);
        long[] dilations = spatial(n.ints("dilations"), perm, 1);
        int[] sp = spatialAxes(perm);
        long[] in = {x.shape()[sp[0]], x.shape()[sp[1]]};
        long[] k = {kh, kw};
        Padding p = padding(c, n, in, k, strides, dilations, sp);
        List<String> inputs =
                new ArrayList<>(List.of(c.as(x, perm), c.initializer(n.name() + "/weights", w)));
        List<String> fused = n.strings("fused_ops");
        List<String> args = n.dataInputs().subList(2, n.dataInputs().size());
        int argIndex = 0;
        if (!fused.isEmpty()) {
            String first = fused.get(0);
            if (!first.equals("BiasAdd")) {
                throw new TfjsImportException(
                        c.source()
                                + ": node '"
                                + n.name()
                                + "': fused op "
                                + first
                                + " is not supported (only BiasAdd + activation)");
            }
            TfTensor bias = c.get(args.get(argIndex++)).constant();
            if (bias == null) {
                throw new TfjsImportException(
                        c.source() + ": node '" + n.name() + "': the bias must be a constant");
            }
            inputs.add(
                    c.initializer(
                            n.name() + "/bias",
                            OnnxTensor.ofFloats(
                                    bias.name(), new long[] {outChannels}, bias.floats())));
        }
        String y =
                c.emit(
                        n.name() + (fused.size() > 1 ? "/conv" : ""),
                        "Conv",
                        inputs,
                        Attribute.ints("kernel_shape", kh, kw),
                        Attribute.ints("strides", strides),
                        Attribute.ints("dilations", dilations),
                        Attribute.ints("pads", p.begin[0], p.begin[1], p.end[0], p.end[1]),
                        Attribute.of("group", group));
        long[] shape = x.shape().clone();
        shape[sp[0]] = p.out[0];
        shape[sp[1]] = p.out[1];
        shape[channelAxis(perm)] = outChannels;
        Value out = Conversion.activation(y, shape, perm);
        if (fused.size() > 1) {
            out =
                    ElementwiseOps.activation(
                            c, n, fused.get(1), out, args.subList(argIndex, args.size()));
        }
        c.put(n.name(), out);
    }

    private static void convTranspose(Conversion c, TfNode n) throws TfjsImportException {
        TfTensor outShape = c.constant(n, 0, "input_sizes");
        TfTensor f = c.constant(n, 1, "the filter");
        Value x = c.get(n.input(2));
        requireRank(c, n, x, 4);
        int[] perm = spatialPerm(c, n);
        int[] sp = spatialAxes(perm);
        long kh = f.shape()[0], kw = f.shape()[1], co = f.shape()[2];
        // [kh, kw, Cout, Cin] -> [Cin, Cout, kh, kw]
        OnnxTensor w = Conversion.transposed(f, new int[] {3, 2, 0, 1});
        long[] strides = spatial(n.ints("strides"), perm, 1);
        long[] dilations = spatial(n.ints("dilations"), perm, 1);
        long[] want = outShape.longs();
        long[] out = {want[sp[0]], want[sp[1]]};
        long[] in = {x.shape()[sp[0]], x.shape()[sp[1]]};
        String padding = n.string("padding", "VALID");
        long[] begin = new long[2];
        long[] end = new long[2];
        long[] outPad = new long[2];
        for (int i = 0; i < 2; i++) {
            long k = (i == 0 ? kh : kw);
            long eff = (k - 1) * dilations[i] + 1;
            if (in[i] < 0) {
                throw new TfjsImportException(
                        c.source() + ": node '" + n.name() + "': input size must be static");
            }
            long total = 0;
            if (padding.equals("SAME")) {
                // the forward convolution out -> in would have padded this much
                total = Math.max((in[i] - 1) * strides[i] + eff - out[i], 0);
            } else if (!padding.equals("VALID")) {
                throw new TfjsImportException(
                        c.source()
                                + ": node '"
                                + n.name()
                                + "': padding "
                                + padding
                                + " is not supported");
            }
            begin[i] = total / 2;
            end[i] = total - begin[i];
            outPad[i] = out[i] - (strides[i] * (in[i] - 1) + eff - total);
            if (outPad[i] < 0 || outPad[i] >= strides[i]) {
                throw new TfjsImportException(
                        c.source()
                                + ": node '"
                                + n.name()
                                + "': output size "
                                + out[i]
                                + " cannot be produced from "
                                + in[i]);
            }
        }
        String y =
                c.emit(
                        n.name(),
                        "ConvTranspose",
                        List.of(c.as(x, perm), c.initializer(n.name() + "/weights", w)),
                        Attribute.ints("kernel_shape", kh, kw),
                        Attribute.ints("strides", strides),
                        Attribute.ints("dilations", dilations),
                        Attribute.ints("pads", begin[0], begin[1], end[0], end[1]),
                        Attribute.ints("output_padding", outPad));
        long[] shape = x.shape().clone();
        shape[sp[0]] = out[0];
        shape[sp[1]] = out[1];
        shape[channelAxis(perm)] = co;
        c.put(n.name(), Conversion.activation(y, shape, perm));
    }

    private static void pool(Conversion c, TfNode n, String onnxOp) throws TfjsImportException {
        Value x = c.get(n.input(0));
        requireRank(c, n, x, 4);
        int[] perm = spatialPerm(c, n);
        int[] sp = spatialAxes(perm);
        long[] k = spatial(n.ints("ksize"), perm, 1);
        long[] strides = spatial(n.ints("strides"), perm, 1);
        long[] in = {x.shape()[sp[0]], x.shape()[sp[1]]};
        Padding p = padding(c, n, in, k, strides, new long[] {1, 1}, sp);
        List<Attribute> attrs =
                new ArrayList<>(
                        List.of(
                                Attribute.ints("kernel_shape", k),
                                Attribute.ints("strides", strides),
                                Attribute.ints(
                                        "pads", p.begin[0], p.begin[1], p.end[0], p.end[1])));
        if (onnxOp.equals("AveragePool")) {
            // TensorFlow averages over the valid (unpadded) elements only.
            attrs.add(Attribute.of("count_include_pad", 0L));
        }
        String y =
                c.emit(n.name(), onnxOp, List.of(c.as(x, perm)), attrs.toArray(Attribute[]::new));
        long[] shape = x.shape().clone();
        shape[sp[0]] = p.out[0];
        shape[sp[1]] = p.out[1];
        c.put(n.name(), Conversion.activation(y, shape, perm));
    }

    private record Padding(long[] begin, long[] end, long[] out) {}

    private static Padding padding(
            Conversion c, TfNode n, long[] in, long[] k, long[] s, long[] d, int[] tfAxes)
            throws TfjsImportException {
        String padding = n.string("padding", "VALID");
        long[] begin = new long[2];
        long[] end = new long[2];
        long[] out = new long[2];
        long[] explicit = n.ints("explicit_paddings");
        for (int i = 0; i < 2; i++) {
            long eff = (k[i] - 1) * d[i] + 1;
            switch (padding) {
                case "SAME" -> {
                    if (in[i] < 0) {
                        throw new TfjsImportException(
                                c.source()
                                        + ": node '"
                                        + n.name()
                                        + "': SAME padding needs static spatial sizes");
                    }
                    out[i] = (in[i] + s[i] - 1) / s[i];
                    long total = Math.max((out[i] - 1) * s[i] + eff - in[i], 0);
                    begin[i] = total / 2;
                    end[i] = total - begin[i];
                }
                case "VALID" -> out[i] = in[i] < 0 ? -1 : (in[i] - eff) / s[i] + 1;
                case "EXPLICIT" -> {
                    // one (before, after) pair per TensorFlow axis
                    begin[i] = explicit[2 * tfAxes[i]];
                    end[i] = explicit[2 * tfAxes[i] + 1];
                    out[i] = in[i] < 0 ? -1 : (in[i] + begin[i] + end[i] - eff) / s[i] + 1;
                }
                default ->
                        throw new TfjsImportException(
                                c.source()
                                        + ": node '"
                                        + n.name()
                                        + "': padding "
                                        + padding
                                        + " is not supported");
            }
        }
        return new Padding(begin, end, out);
    }

    /** The H and W entries of a 4-element NHWC/NCHW attribute list. */
    private static long[] spatial(long[] v, int[] perm, long dflt) {
        if (v == null || v.length != 4) {
            return new long[] {dflt, dflt};
        }
        return new long[] {v[perm[2]], v[perm[3]]};
    }

    static void requireRank(Conversion c, TfNode n, Value x, int rank) throws TfjsImportException {
        if (x.rank() != rank) {
            throw new TfjsImportException(
                    c.source()
                            + ": node '"
                            + n.name()
                            + "' ("
                            + n.op()
                            + "): input of rank "
                            + x.rank()
                            + ", expected "
                            + rank);
        }
    }
}
