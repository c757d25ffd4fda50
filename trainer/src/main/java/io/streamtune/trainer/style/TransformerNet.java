package io.streamtune.trainer.style;

import io.streamtune.onnx.ir.Attribute;
import io.streamtune.onnx.ir.ElementType;
import io.streamtune.onnx.ir.GraphBuilder;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxTensor;
import io.streamtune.onnx.ir.TensorInfo;
import java.util.List;

/**
 * The image-transformation network of Johnson et al. (2016), built as an ONNX graph: a 9x9
 * convolution, two stride-2 down-sampling convolutions, residual blocks, two nearest-neighbour
 * up-samplings each followed by a convolution (no transposed convolutions, so no checkerboard), and
 * a 9x9 convolution to an RGB change that is added to the input and clipped to {@code [0, 1]};
 * instance normalisation after every hidden convolution. Fully convolutional: it runs at any input
 * size divisible by 4.
 *
 * <p>Input {@code input} {@code [N, 3, H, W]} RGB in {@code [0, 1]}; output {@code stylized} the
 * same shape and range.
 */
public final class TransformerNet {

    /** The output tensor's name. */
    public static final String OUTPUT = "stylized";

    /** The fixed factor on the last convolution's output (see {@link #build}). */
    static final float RESIDUAL_SCALE = 0.1f;

    private TransformerNet() {}

    /**
     * A freshly initialised network whose widest layers have {@code 4 * channels} channels, with
     * {@code blocks} residual blocks.
     */
    public static OnnxGraph build(int channels, int blocks, long seed) {
        if (channels < 2 || blocks < 0) {
            throw new IllegalArgumentException(
                    "channels >= 2 and blocks >= 0, were " + channels + " and " + blocks);
        }
        TensorInfo in = new TensorInfo("input", ElementType.FLOAT, new long[] {-1, 3, -1, -1});
        GraphBuilder b = GraphBuilder.newGraph("streamtune-stylizer", in, seed);
        long c1 = channels, c2 = 2L * channels, c3 = 4L * channels;
        String x = convNormRelu(b, "input", 3, c1, 9, 1);
        x = convNormRelu(b, x, c1, c2, 3, 2);
        x = convNormRelu(b, x, c2, c3, 3, 2);
        for (int i = 0; i < blocks; i++) {
            String r = convNormRelu(b, x, c3, c3, 3, 1);
            r = b.instanceNorm(b.conv(r, c3, c3, 3, 1, 1, 1, false), c3);
            x = b.add(x, r);
        }
        x = convNormRelu(b, upsample(b, x), c3, c2, 3, 1);
        x = convNormRelu(b, upsample(b, x), c2, c1, 3, 1);
        // the network predicts a change to the input: it starts close to the identity (content
        // kept) and learns the style as a residual
        // a fixed 1/10 after the last conv: Adam moves every weight by about the learning rate per
        // step whatever its scale, and over this conv's 81 c inputs that moved the whole output by
        // tenths in the first steps (the loss rose several-fold before it fell); the factor makes
        // those steps ten times smaller
        String scale =
                b.constant(
                        OnnxTensor.ofFloats(
                                "residual_scale", new long[0], new float[] {RESIDUAL_SCALE}));
        String residual = b.op("Mul", List.of(b.conv(x, c1, 3, 9, 1, 4, 1, true), scale));
        String lo = b.constant(OnnxTensor.ofFloats("lo", new long[0], new float[] {0f}));
        String hi = b.constant(OnnxTensor.ofFloats("hi", new long[0], new float[] {1f}));
        String out = b.op("Clip", List.of(b.add("input", residual), lo, hi));
        String named = b.op("Identity", List.of(out));
        OnnxGraph g = rename(b.build(named), named);
        // the residual starts small: a fresh network passes the content through nearly unchanged
        String w = null;
        for (io.streamtune.onnx.ir.OnnxNode n : g.nodes()) {
            if (n.opType().equals("Conv")) {
                w = n.input(1);
            }
        }
        java.util.Map<String, OnnxTensor> inits = new java.util.LinkedHashMap<>(g.initializers());
        OnnxTensor t = inits.get(w);
        float[] v = t.floats().clone();
        for (int i = 0; i < v.length; i++) {
            v[i] *= 0.1f; // with RESIDUAL_SCALE: a residual at 1/100 of a Kaiming conv's
        }
        inits.put(w, OnnxTensor.ofFloats(w, t.shape(), v));
        return g.withInitializers(inits);
    }

    private static String convNormRelu(
            GraphBuilder b, String x, long in, long out, int kernel, int stride) {
        return b.relu(
                b.instanceNorm(b.conv(x, in, out, kernel, stride, kernel / 2, 1, false), out));
    }

    private static String upsample(GraphBuilder b, String x) {
        String scales =
                b.constant(
                        OnnxTensor.ofFloats(
                                "scales", new long[] {4}, new float[] {1f, 1f, 2f, 2f}));
        return b.op(
                "Resize",
                List.of(x, "", scales),
                Attribute.of("mode", "nearest"),
                Attribute.of("coordinate_transformation_mode", "asymmetric"),
                Attribute.of("nearest_mode", "floor"));
    }

    /** The graph with its output tensor renamed to {@link #OUTPUT}. */
    private static OnnxGraph rename(OnnxGraph g, String from) {
        List<io.streamtune.onnx.ir.OnnxNode> nodes = new java.util.ArrayList<>();
        for (io.streamtune.onnx.ir.OnnxNode n : g.nodes()) {
            if (n.outputs().contains(from)) {
                nodes.add(
                        new io.streamtune.onnx.ir.OnnxNode(
                                n.name(), n.opType(), n.inputs(), List.of(OUTPUT), n.attributes()));
            } else {
                nodes.add(n);
            }
        }
        return new OnnxGraph(
                g.name(),
                g.opset(),
                g.inputs(),
                List.of(new TensorInfo(OUTPUT, ElementType.FLOAT, new long[] {-1, 3, -1, -1})),
                nodes,
                g.initializers(),
                g.metadata());
    }
}
