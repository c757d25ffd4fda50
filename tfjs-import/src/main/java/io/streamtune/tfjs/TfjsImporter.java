package io.streamtune.tfjs;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamtune.onnx.ir.ElementType;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.TensorInfo;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Converts a TensorFlow.js graph model to an ONNX graph (opset 13): channels-last activations
 * become channels-first, the graph is cut at the requested tensors (post-processing such as TopK or
 * Gather decoding beyond them is dropped), and the batch axis is dynamic.
 *
 * <p>Layout is decided in one place ({@link Conversion#as}): every value remembers how its ONNX
 * tensor is permuted from the TensorFlow one, so Transpose nodes appear only where an operator
 * really needs another layout.
 */
public final class TfjsImporter {

    private static final Map<String, TfOp> OPS = new TreeMap<>();

    static {
        ElementwiseOps.register(OPS);
        ConvOps.register(OPS);
        LayoutOps.register(OPS);
    }

    /** How a 4-D graph input is laid out in TensorFlow. */
    public enum InputLayout {
        /** Decide from the shape: channels (1, 3 or 4) last means NHWC. */
        AUTO,
        NHWC,
        NCHW
    }

    /** What to import: which tensors to cut at, the input layout, metadata to attach. */
    /**
     * @param outputs TF tensors to cut at; empty = the signature's outputs
     * @param inputLayout how 4-D inputs are laid out
     * @param inputName the ONNX name of the (single) input, or {@code null} to keep TF's name
     * @param metadata {@code metadata_props} to attach
     */
    public record Options(
            List<String> outputs,
            InputLayout inputLayout,
            String inputName,
            Map<String, String> metadata) {

        public Options {
            outputs = List.copyOf(outputs);
            Objects.requireNonNull(inputLayout, "inputLayout");
            metadata = Map.copyOf(metadata);
        }

        /** The signature's outputs, layout from the shape, TF's input name, no metadata. */
        public static Options defaults() {
            return new Options(List.of(), InputLayout.AUTO, null, Map.of());
        }

        public Options withOutputs(List<String> names) {
            return new Options(names, inputLayout, inputName, metadata);
        }

        public Options withInputName(String name) {
            return new Options(outputs, inputLayout, name, metadata);
        }

        public Options withMetadata(Map<String, String> meta) {
            return new Options(outputs, inputLayout, inputName, meta);
        }
    }

    private TfjsImporter() {}

    /** Every TensorFlow operator the importer converts. */
    public static Set<String> supportedOps() {
        Set<String> s = new java.util.TreeSet<>(OPS.keySet());
        s.add("Const");
        s.add("Placeholder");
        return s;
    }

    /**
     * Converts {@code model}, cut at {@code options.outputs()} (default: its signature outputs).
     */
    public static OnnxGraph convert(TfjsGraphModel model, Options options)
            throws TfjsImportException {
        List<String> outputs =
                options.outputs().isEmpty() ? model.signatureOutputs() : options.outputs();
        if (outputs.isEmpty()) {
            throw new TfjsImportException(
                    model.source() + ": no outputs named and the signature lists none");
        }
        Map<String, TfNode> byName = new HashMap<>();
        for (TfNode n : model.nodes()) {
            byName.put(n.name(), n);
        }
        List<TfNode> order = needed(model, byName, outputs);
        Conversion c = new Conversion(model.source());
        List<TensorInfo> inputs = new ArrayList<>();
        for (TfNode n : order) {
            switch (n.op()) {
                case "Const" -> c.put(n.name(), Value.constant(constant(model, n)));
                case "Placeholder" -> {
                    if (!inputs.isEmpty() && options.inputName() != null) {
                        throw new TfjsImportException(
                                model.source() + ": more than one input; inputName applies to one");
                    }
                    inputs.add(placeholder(c, n, options));
                }
                default -> {
                    TfTensor folded = foldConstants(c, n);
                    if (folded != null) {
                        c.put(n.name(), Value.constant(folded));
                        continue;
                    }
                    TfOp op = OPS.get(n.op());
                    if (op == null) {
                        throw new TfjsImportException(
                                model.source()
                                        + ": operator "
                                        + n.op()
                                        + " (node '"
                                        + n.name()
                                        + "') is not supported; if it belongs to post-processing,"
                                        + " cut the graph before it (outputs=...), otherwise it needs a"
                                        + " converter in io.streamtune.tfjs");
                    }
                    op.convert(c, n);
                }
            }
        }
        List<TensorInfo> outs = new ArrayList<>();
        for (String o : outputs) {
            Value v = c.get(o);
            if (v.isConstant()) {
                throw new TfjsImportException(
                        model.source() + ": output '" + o + "' is a constant");
            }
            // 4-D outputs channels-first, as ONNX vision models are; everything else as TF has it.
            int[] perm = v.rank() == 4 ? Value.NCHW : Value.identity(v.rank());
            String t = c.as(v, perm);
            String name = c.fresh(o.replace(':', '_'));
            c.nodes()
                    .add(
                            io.streamtune.onnx.ir.OnnxNode.of(
                                    c.fresh(name + "_out"), "Identity", List.of(t), List.of(name)));
            Value laid = new Value(name, v.shape(), perm, v.type(), null);
            outs.add(new TensorInfo(name, ElementType.FLOAT, laid.physicalShape()));
        }
        Map<String, String> meta = new LinkedHashMap<>(options.metadata());
        return new OnnxGraph(
                        "tfjs:" + graphName(model.source()),
                        13,
                        inputs,
                        outs,
                        c.nodes(),
                        c.initializers(),
                        meta)
                .pruneTo(outs);
    }

    /** The node's constant value when every input is constant and the op folds, else null. */
    private static TfTensor foldConstants(Conversion c, TfNode n) throws TfjsImportException {
        List<TfTensor> ins = new ArrayList<>();
        for (String i : n.dataInputs()) {
            Value v = c.get(i);
            if (!v.isConstant()) {
                return null;
            }
            ins.add(v.constant());
        }
        return ins.isEmpty() ? null : ConstantFolding.fold(n, ins);
    }

    private static String graphName(String source) {
        String s = source.replace('\\', '/');
        return s.substring(s.lastIndexOf('/') + 1);
    }

    /**
     * The nodes the outputs depend on, inputs first (iterative DFS: deep graphs don't overflow).
     */
    private static List<TfNode> needed(
            TfjsGraphModel model, Map<String, TfNode> byName, List<String> outputs)
            throws TfjsImportException {
        List<TfNode> order = new ArrayList<>();
        Set<String> done = new HashSet<>();
        Set<String> onStack = new HashSet<>();
        for (String out : outputs) {
            String root = nodeName(out);
            if (!byName.containsKey(root)) {
                throw new TfjsImportException(
                        model.source() + ": no tensor named '" + out + "' to cut at");
            }
            Deque<String[]> stack = new ArrayDeque<>();
            stack.push(new String[] {root, "0"});
            while (!stack.isEmpty()) {
                String[] top = stack.peek();
                String name = top[0];
                if (done.contains(name)) {
                    stack.pop();
                    continue;
                }
                TfNode n = byName.get(name);
                if (n == null) {
                    throw new TfjsImportException(
                            model.source() + ": a node reads '" + name + "', which does not exist");
                }
                List<String> ins = n.dataInputs();
                int i = Integer.parseInt(top[1]);
                if (i == 0) {
                    onStack.add(name);
                }
                if (i < ins.size()) {
                    top[1] = Integer.toString(i + 1);
                    String dep = nodeName(ins.get(i));
                    if (!done.contains(dep)) {
                        if (onStack.contains(dep)) {
                            throw new TfjsImportException(
                                    model.source()
                                            + ": the graph has a cycle through '"
                                            + dep
                                            + "'");
                        }
                        stack.push(new String[] {dep, "0"});
                    }
                } else {
                    stack.pop();
                    onStack.remove(name);
                    done.add(name);
                    order.add(n);
                }
            }
        }
        return order;
    }

    static String nodeName(String ref) {
        String s = ref.startsWith("^") ? ref.substring(1) : ref;
        int colon = s.lastIndexOf(':');
        return colon > 0 && s.substring(colon + 1).chars().allMatch(Character::isDigit)
                ? s.substring(0, colon)
                : s;
    }

    private static TfTensor constant(TfjsGraphModel model, TfNode n) throws TfjsImportException {
        TfTensor t = model.weights().get(n.name());
        if (t != null) {
            return t;
        }
        // Small constants may be inline in the graph instead of the weights manifest.
        JsonNode tensor = n.attrs().path("value").path("tensor");
        String dtype = tensor.path("dtype").asText(n.type("dtype", ""));
        List<Long> dims = new ArrayList<>();
        for (JsonNode d : tensor.path("tensorShape").path("dim")) {
            dims.add(d.path("size").asLong());
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        long count = TfTensor.size(shape);
        JsonNode vals = dtype.equals("DT_FLOAT") ? tensor.path("floatVal") : tensor.path("intVal");
        if (vals.isMissingNode() || vals.isEmpty() || count > 1_000_000) {
            throw new TfjsImportException(
                    model.source()
                            + ": constant '"
                            + n.name()
                            + "' has no weights in the manifest");
        }
        if (dtype.equals("DT_FLOAT")) {
            float[] f = new float[(int) count];
            for (int i = 0; i < count; i++) {
                f[i] = (float) vals.get(Math.min(i, vals.size() - 1)).asDouble();
            }
            return TfTensor.ofFloats(n.name(), shape, f);
        }
        long[] l = new long[(int) count];
        for (int i = 0; i < count; i++) {
            l[i] = vals.get(Math.min(i, vals.size() - 1)).asLong();
        }
        return TfTensor.ofInts(n.name(), shape, l);
    }

    private static TensorInfo placeholder(Conversion c, TfNode n, Options options)
            throws TfjsImportException {
        InputLayout layout = options.inputLayout();
        JsonNode dims = n.attrs().path("shape").path("shape").path("dim");
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = dims.get(i).path("size").asLong(-1);
        }
        if (!n.type("dtype", "DT_FLOAT").equals("DT_FLOAT")) {
            throw new TfjsImportException(c.source() + ": input '" + n.name() + "' is not float32");
        }
        int[] perm = Value.identity(shape.length);
        if (shape.length == 4) {
            shape[0] = -1; // dynamic batch: inference micro-batches, the trainer trains in batches
            boolean nhwc =
                    switch (layout) {
                        case NHWC -> true;
                        case NCHW -> false;
                        case AUTO -> isChannels(shape[3]) && !isChannels(shape[1]);
                    };
            if (nhwc) {
                perm = Value.NCHW;
            }
        }
        String name =
                c.fresh(
                        options.inputName() != null
                                ? options.inputName()
                                : n.name().replace(':', '_'));
        Value v = Conversion.activation(name, shape, perm);
        c.put(n.name(), v);
        return new TensorInfo(name, ElementType.FLOAT, v.physicalShape());
    }

    private static boolean isChannels(long d) {
        return d == 1 || d == 3 || d == 4;
    }
}
