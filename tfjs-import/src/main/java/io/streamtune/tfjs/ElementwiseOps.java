package io.streamtune.tfjs;

import io.streamtune.onnx.ir.Attribute;
import java.util.List;
import java.util.Map;

/** Element-wise TensorFlow operators: activations and broadcasting arithmetic. */
final class ElementwiseOps {

    private ElementwiseOps() {}

    static void register(Map<String, TfOp> ops) {
        for (String op :
                List.of(
                        "Relu",
                        "Sigmoid",
                        "Tanh",
                        "Elu",
                        "Exp",
                        "Sqrt",
                        "Neg",
                        "Abs",
                        "Softplus")) {
            ops.put(op, (c, n) -> unary(c, n, op));
        }
        ops.put("Relu6", (c, n) -> c.put(n.name(), relu6(c, n.name(), c.get(n.input(0)))));
        ops.put(
                "LeakyRelu",
                (c, n) -> {
                    Value x = c.get(n.input(0));
                    c.put(
                            n.name(),
                            same(
                                    x,
                                    c.emit(
                                            n.name(),
                                            "LeakyRelu",
                                            List.of(x.onnxName()),
                                            Attribute.of("alpha", n.real("alpha", 0.2f)))));
                });
        ops.put(
                "Rsqrt",
                (c, n) -> {
                    Value x = c.get(n.input(0));
                    String s = c.emit(n.name() + "_sqrt", "Sqrt", List.of(x.onnxName()));
                    c.put(n.name(), same(x, c.emit(n.name(), "Reciprocal", List.of(s))));
                });
        ops.put(
                "Square",
                (c, n) -> {
                    Value x = c.get(n.input(0));
                    c.put(
                            n.name(),
                            same(x, c.emit(n.name(), "Mul", List.of(x.onnxName(), x.onnxName()))));
                });
        ops.put("Add", (c, n) -> binary(c, n, "Add"));
        ops.put("AddV2", (c, n) -> binary(c, n, "Add"));
        ops.put("BiasAdd", (c, n) -> binary(c, n, "Add"));
        ops.put("Sub", (c, n) -> binary(c, n, "Sub"));
        ops.put("Mul", (c, n) -> binary(c, n, "Mul"));
        ops.put("RealDiv", (c, n) -> binary(c, n, "Div"));
        ops.put("Div", (c, n) -> binary(c, n, "Div"));
        ops.put("Maximum", (c, n) -> binary(c, n, "Max"));
        ops.put("Minimum", (c, n) -> binary(c, n, "Min"));
        ops.put("Prelu", (c, n) -> binary(c, n, "PRelu"));
        ops.put("AddN", ElementwiseOps::addN);
    }

    private static Value same(Value x, String onnxName) {
        return Conversion.activation(onnxName, x.shape(), x.perm());
    }

    private static void unary(Conversion c, TfNode n, String onnxOp) throws TfjsImportException {
        Value x = c.get(n.input(0));
        if (x.isConstant()) {
            throw new TfjsImportException(
                    c.source()
                            + ": node '"
                            + n.name()
                            + "' ("
                            + n.op()
                            + ") on a constant is not supported");
        }
        c.put(n.name(), same(x, c.emit(n.name(), onnxOp, List.of(x.onnxName()))));
    }

    static Value relu6(Conversion c, String name, Value x) {
        String lo = c.floats(name + "_min", new long[0], 0f);
        String hi = c.floats(name + "_max", new long[0], 6f);
        return same(x, c.emit(name, "Clip", List.of(x.onnxName(), lo, hi)));
    }

    /** Applies a fused activation ({@code Relu}, {@code Relu6}, …) named by a fused_ops entry. */
    static Value activation(Conversion c, TfNode n, String kind, Value x, List<String> extra)
            throws TfjsImportException {
        return switch (kind) {
            case "Relu" -> same(x, c.emit(n.name() + "_relu", "Relu", List.of(x.onnxName())));
            case "Relu6" -> relu6(c, n.name() + "_relu6", x);
            case "Elu" -> same(x, c.emit(n.name() + "_elu", "Elu", List.of(x.onnxName())));
            case "Sigmoid" ->
                    same(x, c.emit(n.name() + "_sigmoid", "Sigmoid", List.of(x.onnxName())));
            case "Tanh" -> same(x, c.emit(n.name() + "_tanh", "Tanh", List.of(x.onnxName())));
            case "LeakyRelu" ->
                    same(
                            x,
                            c.emit(
                                    n.name() + "_leaky",
                                    "LeakyRelu",
                                    List.of(x.onnxName()),
                                    Attribute.of("alpha", n.real("leakyrelu_alpha", 0.2f))));
            case "Prelu" -> {
                if (extra.isEmpty()) {
                    throw new TfjsImportException(
                            c.source() + ": node '" + n.name() + "': Prelu without alpha");
                }
                Value alpha = c.get(extra.get(0));
                String a =
                        alpha.isConstant()
                                ? c.broadcastConstant(alpha.constant(), x.rank(), x.perm())
                                : c.as(alpha, x.perm());
                yield same(x, c.emit(n.name() + "_prelu", "PRelu", List.of(x.onnxName(), a)));
            }
            default ->
                    throw new TfjsImportException(
                            c.source()
                                    + ": node '"
                                    + n.name()
                                    + "' ("
                                    + n.op()
                                    + "): fused activation '"
                                    + kind
                                    + "' is not supported");
        };
    }

    /** Both operands in one layout; constants broadcast into it. */
    private static void binary(Conversion c, TfNode n, String onnxOp) throws TfjsImportException {
        Value a = c.get(n.input(0));
        Value b = c.get(n.input(1));
        if (a.isConstant() && b.isConstant()) {
            throw new TfjsImportException(
                    c.source()
                            + ": node '"
                            + n.name()
                            + "' ("
                            + n.op()
                            + ") on two constants is not supported");
        }
        c.put(n.name(), combine(c, n.name(), onnxOp, a, b));
    }

    static Value combine(Conversion c, String name, String onnxOp, Value a, Value b) {
        // The layout follows the activation of highest rank.
        Value lead = a.isConstant() ? b : b.isConstant() ? a : (b.rank() > a.rank() ? b : a);
        int[] perm = lead.perm();
        int rank = lead.rank();
        boolean mixedRanks = !a.isConstant() && !b.isConstant() && a.rank() != b.rank();
        if (mixedRanks) {
            perm = Value.identity(rank);
        }
        String x = operand(c, a, rank, perm, mixedRanks);
        String y = operand(c, b, rank, perm, mixedRanks);
        long[] shape = broadcast(a.shape(), b.shape());
        return Conversion.activation(c.emit(name, onnxOp, List.of(x, y)), shape, perm);
    }

    private static String operand(Conversion c, Value v, int rank, int[] perm, boolean tfLayout) {
        if (v.isConstant()) {
            return tfLayout ? c.tfLayout(v) : c.broadcastConstant(v.constant(), rank, perm);
        }
        return tfLayout ? c.tfLayout(v) : c.as(v, perm);
    }

    private static void addN(Conversion c, TfNode n) throws TfjsImportException {
        List<String> ins = n.dataInputs();
        Value acc = c.get(ins.get(0));
        for (int i = 1; i < ins.size(); i++) {
            acc =
                    combine(
                            c,
                            n.name() + (i == ins.size() - 1 ? "" : "_" + i),
                            "Add",
                            acc,
                            c.get(ins.get(i)));
        }
        c.put(n.name(), acc);
    }

    /** NumPy broadcasting of TensorFlow shapes; {@code -1} (dynamic) wins over 1. */
    static long[] broadcast(long[] a, long[] b) {
        int r = Math.max(a.length, b.length);
        long[] out = new long[r];
        for (int i = 0; i < r; i++) {
            long x = i < r - a.length ? 1 : a[i - (r - a.length)];
            long y = i < r - b.length ? 1 : b[i - (r - b.length)];
            out[i] = x == 1 ? y : (y == 1 ? x : Math.max(x, y));
        }
        return out;
    }
}
