package io.streamtune.trainer.task;

import ai.djl.ndarray.types.Shape;
import io.streamtune.contracts.ModelMetadataKeys;
import io.streamtune.onnx.djl.graft.GraphCut;
import io.streamtune.onnx.ir.Attribute;
import io.streamtune.onnx.ir.ElementType;
import io.streamtune.onnx.ir.GraphBuilder;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxNode;
import io.streamtune.onnx.ir.OnnxTensor;
import io.streamtune.onnx.ir.TensorInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Adds the embedding-summary output ({@link ModelMetadataKeys#EMBEDDING_OUTPUT}) to an exported
 * graph: the backbone's feature maps (the tensors the head was grafted on) globally average-pooled,
 * concatenated and multiplied by a fixed Gaussian random projection to {@link #DIMENSIONS} values
 * per image. A random projection keeps distances between images approximately (Johnson-
 * Lindenstrauss) at a cost of one pooled matrix product, so a handful of one-dimensional histograms
 * of it see a change of what the camera films even when the predictions do not change; drift
 * compares them with the same output on the version's gate images.
 */
public final class EmbeddingSummary {

    /** Values per image. */
    public static final int DIMENSIONS = 8;

    /** Seed of the projection (per version it only has to match its own reference). */
    static final long SEED = 0x5eed_d21f7L;

    private EmbeddingSummary() {}

    /**
     * {@code exported} with the embedding output last, computed from those of {@code features}'s
     * outputs it contains that are 4-D at input size {@code height} x {@code width}; {@code
     * exported} unchanged when it already has the output or none of the features applies.
     *
     * @param features the cut backbone (its outputs are the feature maps the head reads)
     */
    public static OnnxGraph attach(OnnxGraph exported, OnnxGraph features, int height, int width) {
        for (TensorInfo o : exported.outputs()) {
            if (o.name().equals(ModelMetadataKeys.EMBEDDING_OUTPUT)) {
                return exported;
            }
        }
        Map<String, Shape> shapes = GraphCut.shapes(features, new Shape(1, 3, height, width));
        List<String> maps = new ArrayList<>();
        long channels = 0;
        for (TensorInfo f : features.outputs()) {
            Shape s = shapes.get(f.name());
            if (s != null && s.dimension() == 4 && exported.hasTensor(f.name())) {
                maps.add(f.name());
                channels += s.get(1);
            }
        }
        if (maps.isEmpty()) {
            return exported;
        }
        GraphBuilder b = GraphBuilder.extend(exported, "embedding/", SEED);
        List<String> pooled = new ArrayList<>();
        for (String m : maps) {
            pooled.add(b.flatten(b.globalAveragePool(m)));
        }
        String x =
                pooled.size() == 1
                        ? pooled.get(0)
                        : b.op("Concat", pooled, Attribute.of("axis", 1L));
        String projected = b.op("MatMul", List.of(x, b.constant(projection(channels))));
        List<String> keep = new ArrayList<>();
        exported.outputs().forEach(o -> keep.add(o.name()));
        keep.add(projected);
        OnnxGraph built = b.build(keep.toArray(String[]::new));
        List<OnnxNode> nodes = new ArrayList<>(built.nodes());
        nodes.add(
                OnnxNode.of(
                        "embedding/output",
                        "Identity",
                        List.of(projected),
                        List.of(ModelMetadataKeys.EMBEDDING_OUTPUT)));
        List<TensorInfo> outputs = new ArrayList<>(exported.outputs());
        outputs.add(
                new TensorInfo(
                        ModelMetadataKeys.EMBEDDING_OUTPUT,
                        ElementType.FLOAT,
                        new long[] {-1, DIMENSIONS}));
        return new OnnxGraph(
                built.name(),
                built.opset(),
                built.inputs(),
                outputs,
                nodes,
                built.initializers(),
                built.metadata());
    }

    /** The {@code [channels, DIMENSIONS]} projection, entries N(0, 1 / channels). */
    static OnnxTensor projection(long channels) {
        Random r = new Random(SEED);
        float[] w = new float[(int) (channels * DIMENSIONS)];
        double scale = 1 / Math.sqrt(channels);
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (r.nextGaussian() * scale);
        }
        return OnnxTensor.ofFloats("projection", new long[] {channels, DIMENSIONS}, w);
    }
}
