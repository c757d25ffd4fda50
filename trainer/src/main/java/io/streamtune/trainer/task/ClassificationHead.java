package io.streamtune.trainer.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.streamtune.contracts.Task;
import io.streamtune.onnx.djl.graft.GraphCut;
import io.streamtune.onnx.djl.graft.Heads;
import io.streamtune.onnx.ir.GraphBuilder;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxTensor;
import java.util.List;
import java.util.Map;

/**
 * Global average pool (+ optional hidden ReLU layer) + linear layer on the deepest feature map;
 * softmax cross-entropy with optional label smoothing.
 */
public final class ClassificationHead implements TaskHead {

    private final double labelSmoothing;
    private final int hidden;

    /** {@code labelSmoothing} in [0, 1): mass spread evenly over all classes; no hidden layer. */
    public ClassificationHead(double labelSmoothing) {
        this(labelSmoothing, 0);
    }

    /**
     * {@code hidden}: width of a hidden ReLU layer between pooling and the classifier, 0 for none.
     */
    public ClassificationHead(double labelSmoothing, int hidden) {
        if (labelSmoothing < 0 || labelSmoothing >= 1) {
            throw new IllegalArgumentException(
                    "label smoothing must be in [0, 1): " + labelSmoothing);
        }
        if (hidden < 0) {
            throw new IllegalArgumentException("hidden width must be >= 0: " + hidden);
        }
        this.labelSmoothing = labelSmoothing;
        this.hidden = hidden;
    }

    @Override
    public Task task() {
        return Task.CLASSIFICATION;
    }

    @Override
    public HeadedGraph attach(Backbone backbone, int classes, long seed) {
        String feature = backbone.deepest();
        OnnxGraph cut = GraphCut.cutAt(backbone.graph(), feature);
        long channels = backbone.channels(feature);
        OnnxGraph graph;
        if (hidden == 0) {
            graph = Heads.classifier(cut, feature, channels, classes, true, seed);
        } else {
            GraphBuilder b = GraphBuilder.extend(cut, "head/", seed);
            String x = b.relu(b.gemm(b.flatten(b.globalAveragePool(feature)), channels, hidden));
            graph = b.build(b.gemm(x, hidden, classes));
        }
        return new HeadedGraph(graph, cut, cut.initializers().keySet());
    }

    @Override
    public NDArray loss(NDManager manager, NDList outputs, List<Example> batch, int classes) {
        return loss(outputs, targets(manager, batch, classes));
    }

    NDList targets(NDManager manager, List<Example> batch, int classes) {
        float[] t = new float[batch.size() * classes];
        float off = (float) (labelSmoothing / classes);
        float on = (float) (1 - labelSmoothing) + off;
        for (int i = 0; i < batch.size(); i++) {
            for (int c = 0; c < classes; c++) {
                t[i * classes + c] = c == batch.get(i).classId() ? on : off;
            }
        }
        return new NDList(manager.create(t, new Shape(batch.size(), classes)));
    }

    private static NDArray loss(NDList outputs, NDList targets) {
        NDArray logp = outputs.head().logSoftmax(1);
        return logp.mul(targets.head()).sum(new int[] {1}).neg().mean();
    }

    @Override
    public Scorer scorer(int classes) {
        return new Scorer() {
            private long correct;
            private long total;

            @Override
            public void add(Map<String, OnnxTensor> outputs, List<Example> batch) {
                float[] logits = outputs.values().iterator().next().floats();
                for (int i = 0; i < batch.size(); i++) {
                    int best = 0;
                    for (int c = 1; c < classes; c++) {
                        if (logits[i * classes + c] > logits[i * classes + best]) {
                            best = c;
                        }
                    }
                    correct += best == batch.get(i).classId() ? 1 : 0;
                    total++;
                }
            }

            @Override
            public double score() {
                return total == 0 ? 0 : (double) correct / total;
            }
        };
    }

    @Override
    public OnnxGraph export(OnnxGraph trained, int classes) {
        return trained;
    }
}
