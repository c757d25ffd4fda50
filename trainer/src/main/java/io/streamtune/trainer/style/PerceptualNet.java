package io.streamtune.trainer.style;

import io.streamtune.contracts.ModelMetadataKeys;
import io.streamtune.onnx.ir.Attribute;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxNode;
import io.streamtune.onnx.ir.OnnxTensor;
import io.streamtune.onnx.ir.TensorInfo;
import io.streamtune.trainer.task.Backbone;
import io.streamtune.vision.preprocess.Normalization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The frozen pretrained backbone that measures perceptual similarity: the base network cut so that
 * its outputs are the feature maps the loss reads (the last activation at each chosen stride), with
 * the input normalisation the network was trained with.
 *
 * @param graph the backbone, outputs in {@code layers} order, input {@code input} normalised
 * @param layers tap tensor names, shallow to deep
 * @param strides their strides relative to the input
 * @param normalization what to apply to {@code [0, 1]} RGB before the graph
 */
public record PerceptualNet(
        OnnxGraph graph, List<String> layers, List<Integer> strides, Normalization normalization) {

    public PerceptualNet {
        layers = List.copyOf(layers);
        strides = List.copyOf(strides);
    }

    /** What the loss reads of each tapped feature map. */
    public enum Activations {
        /** The feature map as the network computes it. */
        RAW,
        /**
         * A softmax over the whole map (channels and positions) of each image, rescaled by its
         * element count so that its mean is 1: Wang et al.'s activation smoothing (CVPR 2021) for
         * networks whose peaky, low-entropy activations make poor Gram statistics.
         */
        SOFTMAX
    }

    /**
     * Taps {@code base} at {@code strides} (those it has; a stride the network lacks at {@code
     * size} is left out) for inputs of {@code size} pixels.
     */
    public static PerceptualNet of(OnnxGraph base, int size, List<Integer> strides) {
        return of(base, size, strides, Activations.RAW);
    }

    /** As {@link #of(OnnxGraph, int, List)}, each tap read as {@code activations} says. */
    public static PerceptualNet of(
            OnnxGraph base, int size, List<Integer> strides, Activations activations) {
        Backbone backbone = Backbone.of(base, size);
        Map<Integer, String> byStride = backbone.featuresByStride();
        List<String> layers = new ArrayList<>();
        List<Integer> found = new ArrayList<>();
        for (int s : strides) {
            String t = byStride.get(s);
            if (t != null) {
                layers.add(t);
                found.add(s);
            }
        }
        if (layers.isEmpty()) {
            throw new IllegalArgumentException(
                    "the perceptual network has no feature map at strides "
                            + strides
                            + " for "
                            + size
                            + " px inputs (it has "
                            + byStride.keySet()
                            + ")");
        }
        OnnxGraph taps =
                Backbone.upTo(
                                backbone.graph(),
                                List.copyOf(new java.util.LinkedHashSet<>(layers)),
                                size)
                        .graph();
        if (activations == Activations.SOFTMAX) {
            taps = softmaxed(taps, layers);
            layers = layers.stream().map(t -> t + SOFTMAX_SUFFIX).toList();
        }
        String mean = base.metadata().get(ModelMetadataKeys.MEAN);
        String std = base.metadata().get(ModelMetadataKeys.STD);
        Normalization n =
                mean != null && std != null
                        ? Normalization.parse(mean, std)
                        : Normalization.IMAGENET;
        return new PerceptualNet(taps, layers, found, n);
    }

    private static final String SOFTMAX_SUFFIX = "/streamtune_softmax";

    /**
     * {@code g} with each output {@code t} replaced by {@code t + SOFTMAX_SUFFIX}: {@code
     * Reshape(softmax(flat(t)) / mean(softmax(flat(t))), Shape(t))} per image. In the graph, so
     * ONNX Runtime (evaluation) and the bridge (training) compute the same thing.
     */
    private static OnnxGraph softmaxed(OnnxGraph g, List<String> taps) {
        List<OnnxNode> nodes = new ArrayList<>(g.nodes());
        Map<String, OnnxTensor> inits = new LinkedHashMap<>(g.initializers());
        String flatShape = "streamtune_softmax_flat";
        inits.put(flatShape, OnnxTensor.vector(flatShape, 0, -1));
        List<TensorInfo> outputs = new ArrayList<>();
        for (TensorInfo o : g.outputs()) {
            String t = o.name();
            if (!taps.contains(t)) {
                continue;
            }
            String p = t + "/streamtune_";
            nodes.add(OnnxNode.of(p + "shape", "Shape", List.of(t), List.of(p + "shape")));
            nodes.add(
                    OnnxNode.of(p + "flat", "Reshape", List.of(t, flatShape), List.of(p + "flat")));
            nodes.add(
                    OnnxNode.of(
                            p + "sm",
                            "Softmax",
                            List.of(p + "flat"),
                            List.of(p + "sm"),
                            Attribute.of("axis", 1L)));
            nodes.add(
                    OnnxNode.of(
                            p + "mean",
                            "ReduceMean",
                            List.of(p + "sm"),
                            List.of(p + "mean"),
                            Attribute.ints("axes", 1L),
                            Attribute.of("keepdims", 1L)));
            nodes.add(
                    OnnxNode.of(
                            p + "norm", "Div", List.of(p + "sm", p + "mean"), List.of(p + "norm")));
            nodes.add(
                    OnnxNode.of(
                            p + "out",
                            "Reshape",
                            List.of(p + "norm", p + "shape"),
                            List.of(t + SOFTMAX_SUFFIX)));
            outputs.add(new TensorInfo(t + SOFTMAX_SUFFIX, o.type(), o.shape()));
        }
        return new OnnxGraph(g.name(), g.opset(), g.inputs(), outputs, nodes, inits, g.metadata());
    }

    /** Index in {@link #layers} of the tap at {@code stride}, or the deepest one below it. */
    public int layerAt(int stride) {
        int best = 0;
        for (int i = 0; i < strides.size(); i++) {
            if (strides.get(i) <= stride) {
                best = i;
            }
        }
        return best;
    }

    /** {@code [0, 1]} RGB planes normalised in place for the graph. */
    public float[] normalize(float[] chw, int batch, int plane) {
        float[] out = new float[chw.length];
        for (int n = 0; n < batch; n++) {
            for (int c = 0; c < 3; c++) {
                float m = normalization.mean().get(c).floatValue();
                float s = normalization.std().get(c).floatValue();
                int base = (n * 3 + c) * plane;
                for (int p = 0; p < plane; p++) {
                    out[base + p] = (chw[base + p] - m) / s;
                }
            }
        }
        return out;
    }
}
