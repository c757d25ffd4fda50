package io.streamtune.trainer.style;

import io.streamtune.contracts.ModelMetadataKeys;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.trainer.task.Backbone;
import io.streamtune.vision.preprocess.Normalization;
import java.util.ArrayList;
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

    /**
     * Taps {@code base} at {@code strides} (those it has; a stride the network lacks at {@code
     * size} is left out) for inputs of {@code size} pixels.
     */
    public static PerceptualNet of(OnnxGraph base, int size, List<Integer> strides) {
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
        String mean = base.metadata().get(ModelMetadataKeys.MEAN);
        String std = base.metadata().get(ModelMetadataKeys.STD);
        Normalization n =
                mean != null && std != null
                        ? Normalization.parse(mean, std)
                        : Normalization.IMAGENET;
        return new PerceptualNet(taps, layers, found, n);
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
