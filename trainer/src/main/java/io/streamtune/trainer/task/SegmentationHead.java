package io.streamtune.trainer.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.streamtune.contracts.Task;
import io.streamtune.onnx.ir.GraphBuilder;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxTensor;
import io.streamtune.vision.metrics.SegmentationEvaluator;
import java.util.List;
import java.util.Map;

/**
 * FCN-style head: the deepest feature map, upsampled and fused with the next shallower one, a 1x1
 * classifier, then bilinear upsampling to input size; per-pixel cross-entropy ignoring 255. Exports
 * {@code [N, C, H, W]} logits.
 */
public final class SegmentationHead implements TaskHead {

    /** The "ignore" label value. */
    public static final int IGNORE = 255;

    private final int hidden;

    /** {@code hidden}: channels of the fused head features. */
    public SegmentationHead(int hidden) {
        if (hidden < 4) {
            throw new IllegalArgumentException("hidden channels must be >= 4: " + hidden);
        }
        this.hidden = hidden;
    }

    @Override
    public Task task() {
        return Task.SEGMENTATION;
    }

    @Override
    public HeadedGraph attach(Backbone backbone, int classes, long seed) {
        FusedFeatures fused = FusedFeatures.build(backbone, hidden, seed);
        GraphBuilder b = fused.builder();
        OnnxGraph cut = fused.cut();
        String x = fused.features();
        long ch = hidden;
        int stride = fused.stride();
        String logits = b.conv(x, ch, classes, 1, 1, 0, 1, true);
        String out = stride == 1 ? logits : FusedFeatures.resize(b, logits, stride);
        OnnxGraph graph = b.build(out);
        return new HeadedGraph(graph, cut, cut.initializers().keySet());
    }

    @Override
    public NDArray loss(NDManager manager, NDList outputs, List<Example> batch, int classes) {
        return loss(outputs, targets(manager, batch, classes));
    }

    NDList targets(NDManager manager, List<Example> batch, int classes) {
        int hw = batch.get(0).mask().length;
        float[] t = new float[batch.size() * classes * hw];
        long valid = 0;
        for (int i = 0; i < batch.size(); i++) {
            int[] m = batch.get(i).mask();
            for (int p = 0; p < hw; p++) {
                if (m[p] != IGNORE && m[p] < classes) {
                    t[(i * classes + m[p]) * hw + p] = 1f;
                    valid++;
                }
            }
        }
        long h = (long) Math.sqrt(hw);
        Shape shape =
                h * h == hw
                        ? new Shape(batch.size(), classes, h, h)
                        : new Shape(batch.size(), classes, 1, hw);
        return new NDList(manager.create(t, shape), manager.create((float) Math.max(1, valid)));
    }

    private static NDArray loss(NDList outputs, NDList targets) {
        NDArray logits = outputs.head();
        NDArray t = targets.get(0).reshape(logits.getShape());
        return logits.logSoftmax(1).mul(t).sum().neg().div(targets.get(1));
    }

    @Override
    public Scorer scorer(int classes) {
        SegmentationEvaluator eval = new SegmentationEvaluator(classes, IGNORE);
        return new Scorer() {
            @Override
            public void add(Map<String, OnnxTensor> outputs, List<Example> batch) {
                float[] logits = outputs.values().iterator().next().floats();
                int hw = batch.get(0).mask().length;
                for (int i = 0; i < batch.size(); i++) {
                    int[] pred = new int[hw];
                    for (int p = 0; p < hw; p++) {
                        int best = 0;
                        for (int c = 1; c < classes; c++) {
                            if (logits[(i * classes + c) * hw + p]
                                    > logits[(i * classes + best) * hw + p]) {
                                best = c;
                            }
                        }
                        pred[p] = best;
                    }
                    eval.add(batch.get(i).mask(), pred);
                }
            }

            @Override
            public double score() {
                return eval.report().meanIoU();
            }
        };
    }

    @Override
    public OnnxGraph export(OnnxGraph trained, int classes) {
        return trained;
    }
}
