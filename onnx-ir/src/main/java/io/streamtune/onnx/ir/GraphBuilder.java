package io.streamtune.onnx.ir;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Appends nodes and freshly initialised parameters to a graph: used to build heads on a cut
 * backbone and to build reference architectures. Each method returns the name of the tensor it
 * produced; {@link #build} names the graph outputs.
 */
public final class GraphBuilder {

    private final String graphName;
    private final int opset;
    private final List<TensorInfo> inputs;
    private final List<OnnxNode> nodes;
    private final Map<String, OnnxTensor> initializers;
    private final Map<String, String> metadata;
    private final Set<String> names = new HashSet<>();
    private final String prefix;
    private final Random random;
    private boolean randomBatchNorm;
    private int counter;

    private GraphBuilder(OnnxGraph base, String prefix, long seed) {
        this.graphName = base.name();
        this.opset = Math.max(13, base.opset());
        this.inputs = new ArrayList<>(base.inputs());
        this.nodes = new ArrayList<>(base.nodes());
        this.initializers = new LinkedHashMap<>(base.initializers());
        this.metadata = new LinkedHashMap<>(base.metadata());
        this.prefix = prefix;
        this.random = new Random(seed);
        base.nodes()
                .forEach(
                        n -> {
                            names.add(n.name());
                            names.addAll(n.outputs());
                        });
        names.addAll(base.initializers().keySet());
        base.inputs().forEach(i -> names.add(i.name()));
    }

    /** Starts a new graph with one float input. */
    public static GraphBuilder newGraph(String name, TensorInfo input, long seed) {
        OnnxGraph empty =
                new OnnxGraph(name, 13, List.of(input), List.of(), List.of(), Map.of(), Map.of());
        return new GraphBuilder(empty, "", seed);
    }

    /**
     * Continues a graph (typically a backbone already cut at a feature tensor); new node and
     * parameter names start with {@code prefix} and never collide with existing ones.
     */
    public static GraphBuilder extend(OnnxGraph base, String prefix, long seed) {
        return new GraphBuilder(base, prefix, seed);
    }

    /**
     * BatchNorm layers added afterwards get random statistics instead of identity ones (for tests).
     */
    public GraphBuilder randomBatchNormStatistics(boolean enabled) {
        this.randomBatchNorm = enabled;
        return this;
    }

    private String fresh(String base) {
        String name;
        do {
            name = prefix + base + "_" + counter++;
        } while (names.contains(name));
        names.add(name);
        return name;
    }

    private String node(String op, List<String> in, Attribute... attrs) {
        String name = fresh(op.toLowerCase(java.util.Locale.ROOT));
        String out = name + "_out";
        names.add(out);
        nodes.add(OnnxNode.of(name, op, in, List.of(out), attrs));
        return out;
    }

    private String param(String base, long[] shape, float[] values) {
        String name = fresh(base);
        initializers.put(name, OnnxTensor.ofFloats(name, shape, values));
        return name;
    }

    private float[] kaiming(long n, long fanIn) {
        float[] v = new float[(int) n];
        double std = Math.sqrt(2.0 / fanIn);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (random.nextGaussian() * std);
        }
        return v;
    }

    private float[] filled(long n, float value) {
        float[] v = new float[(int) n];
        java.util.Arrays.fill(v, value);
        return v;
    }

    /** Adds an arbitrary node with one output. */
    public String op(String opType, List<String> in, Attribute... attrs) {
        return node(opType, in, attrs);
    }

    /** Adds a constant (non-trainable) initializer. */
    public String constant(OnnxTensor value) {
        String name = fresh("const");
        initializers.put(name, value.renamed(name));
        return name;
    }

    /** Conv with Kaiming-normal weights, square kernel, symmetric padding, optional zero bias. */
    public String conv(
            String in,
            long inCh,
            long outCh,
            int kernel,
            int stride,
            int pad,
            int groups,
            boolean bias) {
        long fanIn = inCh / groups * kernel * kernel;
        String w =
                param(
                        "conv_w",
                        new long[] {outCh, inCh / groups, kernel, kernel},
                        kaiming(outCh * fanIn, fanIn));
        List<String> ins = new ArrayList<>(List.of(in, w));
        if (bias) {
            float[] b = new float[(int) outCh];
            for (int i = 0; i < b.length; i++) {
                b[i] = randomBatchNorm ? (float) (random.nextGaussian() * 0.1) : 0f;
            }
            ins.add(param("conv_b", new long[] {outCh}, b));
        }
        return node(
                "Conv",
                ins,
                Attribute.ints("kernel_shape", kernel, kernel),
                Attribute.ints("strides", stride, stride),
                Attribute.ints("pads", pad, pad, pad, pad),
                Attribute.of("group", (long) groups));
    }

    /** BatchNormalization with identity (or, for tests, random) statistics. */
    public String batchNorm(String in, long ch) {
        return batchNorm(in, ch, 1f);
    }

    /**
     * BatchNormalization whose scale γ starts at {@code gammaScale} (small values on the last norm
     * of a residual branch keep deep residual nets well conditioned at initialisation).
     */
    public String batchNorm(String in, long ch, float gammaScale) {
        float[] gamma = filled(ch, gammaScale);
        float[] beta = filled(ch, 0f);
        float[] mean = filled(ch, 0f);
        float[] var = filled(ch, 1f);
        if (randomBatchNorm) {
            for (int i = 0; i < ch; i++) {
                gamma[i] = gammaScale * (0.5f + random.nextFloat());
                beta[i] = (float) (random.nextGaussian() * 0.1);
                mean[i] = (float) (random.nextGaussian() * 0.1);
                var[i] = 0.5f + random.nextFloat();
            }
        }
        return node(
                "BatchNormalization",
                List.of(
                        in,
                        param("bn_gamma", new long[] {ch}, gamma),
                        param("bn_beta", new long[] {ch}, beta),
                        param("bn_mean", new long[] {ch}, mean),
                        param("bn_var", new long[] {ch}, var)),
                Attribute.of("epsilon", 1e-5f),
                Attribute.of("momentum", 0.9f));
    }

    /** InstanceNormalization with scale 1 and bias 0 (image-transformation networks). */
    public String instanceNorm(String in, long ch) {
        return node(
                "InstanceNormalization",
                List.of(
                        in,
                        param("in_gamma", new long[] {ch}, filled(ch, 1f)),
                        param("in_beta", new long[] {ch}, filled(ch, 0f))),
                Attribute.of("epsilon", 1e-5f));
    }

    /** Transposed conv (stride = kernel, as used by upsampling heads). */
    public String convTranspose(String in, long inCh, long outCh, int kernel, int stride) {
        long fanIn = inCh * kernel * kernel;
        String w =
                param(
                        "deconv_w",
                        new long[] {inCh, outCh, kernel, kernel},
                        kaiming(inCh * outCh * kernel * kernel, fanIn));
        String b = param("deconv_b", new long[] {outCh}, filled(outCh, 0f));
        return node(
                "ConvTranspose",
                List.of(in, w, b),
                Attribute.ints("kernel_shape", kernel, kernel),
                Attribute.ints("strides", stride, stride));
    }

    public String relu(String in) {
        return node("Relu", List.of(in));
    }

    /** ReLU6 as exported by PyTorch: Clip(0, 6). */
    public String relu6(String in) {
        String lo = constant(OnnxTensor.ofFloats("lo", new long[0], new float[] {0f}));
        String hi = constant(OnnxTensor.ofFloats("hi", new long[0], new float[] {6f}));
        return node("Clip", List.of(in, lo, hi));
    }

    public String add(String a, String b) {
        return node("Add", List.of(a, b));
    }

    public String maxPool(String in, int kernel, int stride, int pad) {
        return node(
                "MaxPool",
                List.of(in),
                Attribute.ints("kernel_shape", kernel, kernel),
                Attribute.ints("strides", stride, stride),
                Attribute.ints("pads", pad, pad, pad, pad));
    }

    public String globalAveragePool(String in) {
        return node("GlobalAveragePool", List.of(in));
    }

    public String flatten(String in) {
        return node("Flatten", List.of(in), Attribute.of("axis", 1L));
    }

    /** Fully connected layer as PyTorch exports it: Gemm with transB=1. */
    public String gemm(String in, long inFeatures, long outFeatures) {
        String w =
                param(
                        "fc_w",
                        new long[] {outFeatures, inFeatures},
                        kaiming(outFeatures * inFeatures, inFeatures));
        float[] b = new float[(int) outFeatures];
        String bias = param("fc_b", new long[] {outFeatures}, b);
        return node("Gemm", List.of(in, w, bias), Attribute.of("transB", 1L));
    }

    /** Adds a metadata entry. */
    public GraphBuilder metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    /** The graph with the given outputs (float, shape unknown), pruned to what they need. */
    public OnnxGraph build(String... outputs) {
        List<TensorInfo> outs = new ArrayList<>();
        for (String o : outputs) {
            outs.add(new TensorInfo(o, ElementType.FLOAT, null));
        }
        return new OnnxGraph(graphName, opset, inputs, outs, nodes, initializers, metadata)
                .pruneTo(outs);
    }
}
