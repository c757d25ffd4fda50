package io.streamtune.tfjs;

import io.streamtune.onnx.ir.Attribute;
import io.streamtune.onnx.ir.ElementType;
import io.streamtune.onnx.ir.OnnxNode;
import io.streamtune.onnx.ir.OnnxTensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The state of one conversion: TensorFlow tensor name → {@link Value}, the ONNX nodes and
 * initializers emitted so far. Layout is handled here, once: {@link #as} puts any value into the
 * layout an operator needs (a free relabelling for constants, one ONNX Transpose otherwise).
 */
final class Conversion {

    private final String source;
    private final Map<String, Value> values = new HashMap<>();
    private final List<OnnxNode> nodes = new ArrayList<>();
    private final Map<String, OnnxTensor> initializers = new LinkedHashMap<>();
    private final Map<String, String> materialized = new HashMap<>();
    private final Set<String> names = new HashSet<>();
    private int counter;

    Conversion(String source) {
        this.source = source;
    }

    String source() {
        return source;
    }

    List<OnnxNode> nodes() {
        return nodes;
    }

    Map<String, OnnxTensor> initializers() {
        return initializers;
    }

    /** Registers the value of a TensorFlow tensor ({@code node} or {@code node:i}). */
    void put(String tfName, Value v) {
        values.put(tfName, v);
    }

    /** The value of a TensorFlow input reference. */
    Value get(String ref) throws TfjsImportException {
        String key = ref.endsWith(":0") ? ref.substring(0, ref.length() - 2) : ref;
        Value v = values.get(key);
        if (v == null) {
            throw new TfjsImportException(source + ": tensor '" + ref + "' has no converted value");
        }
        return v;
    }

    boolean has(String ref) {
        return values.containsKey(ref.endsWith(":0") ? ref.substring(0, ref.length() - 2) : ref);
    }

    /** The constant behind an input, or an error naming the node that needs it constant. */
    TfTensor constant(TfNode n, int input, String what) throws TfjsImportException {
        Value v = get(n.input(input));
        if (!v.isConstant()) {
            throw new TfjsImportException(
                    source
                            + ": node '"
                            + n.name()
                            + "' ("
                            + n.op()
                            + "): "
                            + what
                            + " must be a constant");
        }
        return v.constant();
    }

    /** A name not used yet: {@code base} itself when free, else {@code base_N}. */
    String fresh(String base) {
        String b = base.replaceAll("[^A-Za-z0-9_/.:-]", "_");
        if (names.add(b)) {
            return b;
        }
        String name;
        do {
            name = b + "_" + ++counter;
        } while (!names.add(name));
        return name;
    }

    /** Emits a node with one output named after the TensorFlow node. */
    String emit(String tfName, String op, List<String> inputs, Attribute... attrs) {
        String out = fresh(tfName);
        nodes.add(OnnxNode.of(fresh(out + "_" + op), op, inputs, List.of(out), attrs));
        return out;
    }

    /** Emits a node with several outputs. */
    List<String> emitMulti(
            String tfName, String op, List<String> inputs, int outputs, Attribute... attrs) {
        List<String> outs = new ArrayList<>();
        for (int i = 0; i < outputs; i++) {
            outs.add(fresh(tfName + (i == 0 ? "" : ":" + i)));
        }
        nodes.add(OnnxNode.of(fresh(tfName + "_" + op), op, inputs, outs, attrs));
        return outs;
    }

    /** Adds an initializer and returns its name. */
    String initializer(String base, OnnxTensor t) {
        String name = fresh(base);
        initializers.put(name, t.renamed(name));
        return name;
    }

    String floats(String base, long[] shape, float... v) {
        return initializer(base, OnnxTensor.ofFloats(base, shape, v));
    }

    String longs(String base, long... v) {
        return initializer(base, OnnxTensor.vector(base, v));
    }

    /** The ONNX tensor holding {@code v} in layout {@code perm} (same rank). */
    String as(Value v, int[] perm) {
        if (v.isConstant()) {
            String key = v.constant().name() + Arrays.toString(perm);
            return materialized.computeIfAbsent(
                    key, k -> initializer(v.constant().name(), transposed(v.constant(), perm)));
        }
        if (Arrays.equals(v.perm(), perm)) {
            return v.onnxName();
        }
        int[] inv = Value.inverse(v.perm());
        long[] q = new long[perm.length];
        for (int k = 0; k < perm.length; k++) {
            q[k] = inv[perm[k]];
        }
        String key = v.onnxName() + Arrays.toString(perm);
        String known = materialized.get(key);
        if (known != null) {
            return known;
        }
        String out =
                emit(
                        v.onnxName() + "_t",
                        "Transpose",
                        List.of(v.onnxName()),
                        Attribute.ints("perm", q));
        materialized.put(key, out);
        return out;
    }

    /** The ONNX tensor holding {@code v} in TensorFlow's own layout. */
    String tfLayout(Value v) {
        return as(v, Value.identity(v.rank()));
    }

    /**
     * A constant broadcast against a tensor of rank {@code rank} in layout {@code perm}:
     * left-padded with ones to that rank (TensorFlow aligns trailing axes), then laid out like the
     * tensor.
     */
    String broadcastConstant(TfTensor c, int rank, int[] perm) {
        if (c.shape().length == 0 || c.shape().length > rank) {
            return as(Value.constant(c), Value.identity(c.shape().length));
        }
        long[] padded = new long[rank];
        Arrays.fill(padded, 1);
        System.arraycopy(c.shape(), 0, padded, rank - c.shape().length, c.shape().length);
        TfTensor r =
                c.floating()
                        ? TfTensor.ofFloats(c.name() + "_r" + rank, padded, c.floats())
                        : TfTensor.ofInts(c.name() + "_r" + rank, padded, c.ints());
        return as(Value.constant(r), perm);
    }

    /** A TensorFlow constant transposed to {@code perm}, as an ONNX tensor. */
    static OnnxTensor transposed(TfTensor t, int[] perm) {
        long[] shape = t.shape();
        int r = shape.length;
        long[] outShape = new long[r];
        for (int k = 0; k < r; k++) {
            outShape[k] = shape[perm[k]];
        }
        int n = (int) TfTensor.size(shape);
        long[] inStrides = strides(shape);
        long[] outStrides = strides(outShape);
        int[] index = new int[n];
        for (int o = 0; o < n; o++) {
            long rem = o;
            long src = 0;
            for (int k = 0; k < r; k++) {
                long ik = outStrides[k] == 0 ? 0 : rem / outStrides[k];
                rem -= ik * outStrides[k];
                src += ik * inStrides[perm[k]];
            }
            index[o] = (int) src;
        }
        if (t.floating()) {
            float[] v = new float[n];
            for (int o = 0; o < n; o++) {
                v[o] = t.floats()[index[o]];
            }
            return OnnxTensor.ofFloats(t.name(), outShape, v);
        }
        long[] v = new long[n];
        for (int o = 0; o < n; o++) {
            v[o] = t.ints()[index[o]];
        }
        return OnnxTensor.ofLongs(t.name(), outShape, v);
    }

    private static long[] strides(long[] shape) {
        long[] s = new long[shape.length];
        long acc = 1;
        for (int k = shape.length - 1; k >= 0; k--) {
            s[k] = acc;
            acc *= shape[k];
        }
        return s;
    }

    /** A new activation value. */
    static Value activation(String onnxName, long[] shape, int[] perm) {
        return new Value(onnxName, shape, perm, ElementType.FLOAT, null);
    }
}
