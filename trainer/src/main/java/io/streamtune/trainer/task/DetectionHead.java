package io.streamtune.trainer.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.streamtune.contracts.Box;
import io.streamtune.contracts.Task;
import io.streamtune.onnx.ir.Attribute;
import io.streamtune.onnx.ir.GraphBuilder;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxTensor;
import io.streamtune.vision.metrics.DetectionEvaluator;
import io.streamtune.vision.metrics.GroundTruthBox;
import io.streamtune.vision.metrics.PredictedBox;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An anchor-free, CenterNet-style dense head on one fused feature map (the deepest map upsampled
 * onto the next shallower one): a per-class centre heatmap trained with the penalty-reduced focal
 * loss, and per-cell centre offset and log size trained with L1 at object centres. The export
 * decodes inside the graph to the YOLOv8 layout {@code [N, 4 + nc, A]}: cx, cy, w, h in input
 * pixels, then class scores, with 3x3 peak extraction so each object yields one strong anchor.
 */
public final class DetectionHead implements TaskHead {

    /** Prior probability the heatmap starts at (focal-loss initialisation). */
    private static final double PRIOR = 0.05;

    private final int hidden;

    public DetectionHead(int hidden) {
        this.hidden = hidden;
    }

    @Override
    public Task task() {
        return Task.DETECTION;
    }

    @Override
    public HeadedGraph attach(Backbone backbone, int classes, long seed) {
        FusedFeatures fused = FusedFeatures.build(backbone, hidden, seed);
        GraphBuilder b = fused.builder();
        OnnxGraph cut = fused.cut();
        String x = fused.features();
        String heat = b.conv(x, hidden, classes, 1, 1, 0, 1, true);
        String reg = b.conv(x, hidden, 4, 1, 1, 0, 1, true);
        OnnxGraph g = b.build(heat, reg);
        // Start the heatmap at a low prior so the many background cells do not swamp the first
        // steps.
        String bias = g.producer(heat).input(2);
        Map<String, OnnxTensor> inits = new LinkedHashMap<>(g.initializers());
        float[] prior = new float[classes];
        java.util.Arrays.fill(prior, (float) -Math.log((1 - PRIOR) / PRIOR));
        inits.put(bias, OnnxTensor.ofFloats(bias, new long[] {classes}, prior));
        return new HeadedGraph(g.withInitializers(inits), cut, cut.initializers().keySet());
    }

    @Override
    public NDArray loss(NDManager manager, NDList outputs, List<Example> batch, int classes) {
        Shape heat = outputs.get(0).getShape();
        int side = (int) Math.round(Math.sqrt(batch.get(0).input().length / 3.0));
        return loss(
                outputs,
                targets(manager, batch, classes, side, side, (int) heat.get(2), (int) heat.get(3)));
    }

    /**
     * Targets for a batch at a given grid: heat [B,C,H,W], pos mask [B,C,H,W], reg [B,4,H,W], reg
     * mask [B,1,H,W], count.
     */
    public NDList targets(
            NDManager manager,
            List<Example> batch,
            int classes,
            int inputH,
            int inputW,
            int gh,
            int gw) {
        int b = batch.size();
        float[] heat = new float[b * classes * gh * gw];
        float[] pos = new float[heat.length];
        float[] reg = new float[b * 4 * gh * gw];
        float[] regMask = new float[b * gh * gw];
        double sx = (double) inputW / gw, sy = (double) inputH / gh;
        int objects = 0;
        for (int i = 0; i < b; i++) {
            for (float[] box : batch.get(i).boxes()) {
                int c = (int) box[4];
                double w = box[2] - box[0], h = box[3] - box[1];
                if (w < 1 || h < 1 || c < 0 || c >= classes) {
                    continue;
                }
                double cx = (box[0] + box[2]) / 2 / sx, cy = (box[1] + box[3]) / 2 / sy;
                int gx = Math.min(gw - 1, (int) cx), gy = Math.min(gh - 1, (int) cy);
                double sigma = Math.max(0.5, Math.min(w / sx, h / sy) / 4);
                for (int y = Math.max(0, gy - 3); y < Math.min(gh, gy + 4); y++) {
                    for (int x = Math.max(0, gx - 3); x < Math.min(gw, gx + 4); x++) {
                        double v =
                                Math.exp(
                                        -((x - gx) * (x - gx) + (y - gy) * (y - gy))
                                                / (2 * sigma * sigma));
                        int idx = ((i * classes + c) * gh + y) * gw + x;
                        heat[idx] = (float) Math.max(heat[idx], v);
                    }
                }
                int centre = ((i * classes + c) * gh + gy) * gw + gx;
                heat[centre] = 1f;
                pos[centre] = 1f;
                int cell = gy * gw + gx;
                int base = i * 4 * gh * gw;
                reg[base + cell] = (float) (cx - gx);
                reg[base + gh * gw + cell] = (float) (cy - gy);
                reg[base + 2 * gh * gw + cell] = (float) Math.log(w / sx);
                reg[base + 3 * gh * gw + cell] = (float) Math.log(h / sy);
                regMask[i * gh * gw + cell] = 1f;
                objects++;
            }
        }
        return new NDList(
                manager.create(heat, new Shape(b, classes, gh, gw)),
                manager.create(pos, new Shape(b, classes, gh, gw)),
                manager.create(reg, new Shape(b, 4, gh, gw)),
                manager.create(regMask, new Shape(b, 1, gh, gw)),
                manager.create((float) Math.max(1, objects)));
    }

    private static NDArray loss(NDList outputs, NDList targets) {
        NDArray count = targets.get(4);
        NDArray l1 = outputs.get(1).sub(targets.get(2)).abs().mul(targets.get(3)).sum().div(count);
        return focal(outputs.get(0), targets).add(l1);
    }

    /**
     * The penalty-reduced pixel-wise focal loss of CenterNet (Zhou et al. 2019, eq. 1) of heatmap
     * logits against {@link #targets}' heat (0) and positive mask (1), per object (4).
     */
    static NDArray focal(NDArray logits, NDList targets) {
        NDArray p = logits.getNDArrayInternal().sigmoid().clip(1e-4, 1 - 1e-4);
        NDArray t = targets.get(0);
        NDArray pos = targets.get(1);
        NDArray neg = pos.neg().add(1);
        NDArray posLoss = p.neg().add(1).square().mul(p.log()).mul(pos);
        NDArray negWeight = t.neg().add(1).pow(4);
        NDArray negLoss = negWeight.mul(p.square()).mul(p.neg().add(1).log()).mul(neg);
        return posLoss.add(negLoss).sum().neg().div(targets.get(4));
    }

    @Override
    public Scorer scorer(int classes) {
        return rawScorer(classes);
    }

    /**
     * Decodes raw head outputs of one image into boxes (input pixels), for training-time scoring.
     */
    static List<PredictedBox> decode(
            float[] heat,
            float[] reg,
            int image,
            int classes,
            int gh,
            int gw,
            int strideX,
            int strideY) {
        int hw = gh * gw;
        return decode(
                heat,
                image,
                classes,
                gh,
                gw,
                (y, x) -> {
                    int base = image * 4 * hw + y * gw + x;
                    double cx = (x + reg[base]) * strideX, cy = (y + reg[base + hw]) * strideY;
                    double w = Math.exp(reg[base + 2 * hw]) * strideX,
                            h = Math.exp(reg[base + 3 * hw]) * strideY;
                    return Box.fromCenter(cx, cy, w, h);
                });
    }

    /** The box a head predicts at a heatmap cell. */
    interface CellBox {
        Box at(int y, int x);
    }

    /**
     * Boxes at the 3x3 peaks of one image's heatmap logits (score ≥ 0.01), each shaped by {@code
     * box}.
     */
    static List<PredictedBox> decode(
            float[] heat, int image, int classes, int gh, int gw, CellBox box) {
        List<PredictedBox> out = new ArrayList<>();
        int hw = gh * gw;
        for (int c = 0; c < classes; c++) {
            for (int y = 0; y < gh; y++) {
                for (int x = 0; x < gw; x++) {
                    int idx = (image * classes + c) * hw + y * gw + x;
                    float v = heat[idx];
                    boolean peak = true;
                    for (int dy = -1; dy <= 1 && peak; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            int yy = y + dy, xx = x + dx;
                            if ((dx != 0 || dy != 0)
                                    && yy >= 0
                                    && xx >= 0
                                    && yy < gh
                                    && xx < gw
                                    && heat[(image * classes + c) * hw + yy * gw + xx] > v) {
                                peak = false;
                                break;
                            }
                        }
                    }
                    double score = 1 / (1 + Math.exp(-v));
                    if (!peak || score < 0.01) {
                        continue;
                    }
                    out.add(new PredictedBox(c, score, box.at(y, x)));
                }
            }
        }
        return out;
    }

    /**
     * A scorer over raw outputs: mAP@[.5:.95] of peak-decoded boxes against the examples' boxes.
     */
    public Scorer rawScorer(int classes) {
        return peakScorer(
                classes,
                (heat, reg, image, gh, gw, strideX, strideY) ->
                        decode(
                                heat.floats(),
                                reg.floats(),
                                image,
                                classes,
                                gh,
                                gw,
                                strideX,
                                strideY));
    }

    /** Decodes one image of a batch of raw heatmap + regression outputs into boxes. */
    interface RawDecoder {
        List<PredictedBox> decode(
                OnnxTensor heat,
                OnnxTensor reg,
                int image,
                int gh,
                int gw,
                int strideX,
                int strideY);
    }

    /**
     * mAP@[.5:.95] of the top 100 boxes per image that {@code decoder} reads from the first two
     * graph outputs (heatmap, regression), against the examples' boxes.
     */
    static Scorer peakScorer(int classes, RawDecoder decoder) {
        DetectionEvaluator eval = new DetectionEvaluator();
        return new Scorer() {
            @Override
            public void add(Map<String, OnnxTensor> outputs, List<Example> batch) {
                var it = outputs.values().iterator();
                OnnxTensor heat = it.next();
                OnnxTensor reg = it.next();
                int inputH = (int) Math.round(Math.sqrt(batch.get(0).input().length / 3.0));
                int inputW = inputH;
                int gh = (int) heat.shape()[2], gw = (int) heat.shape()[3];
                for (int i = 0; i < batch.size(); i++) {
                    List<GroundTruthBox> truth = new ArrayList<>();
                    for (float[] b : batch.get(i).boxes()) {
                        truth.add(
                                new GroundTruthBox(
                                        (int) b[4], Box.fromCorners(b[0], b[1], b[2], b[3])));
                    }
                    List<PredictedBox> preds =
                            decoder.decode(heat, reg, i, gh, gw, inputW / gw, inputH / gh);
                    preds.sort((a, c) -> Double.compare(c.score(), a.score()));
                    eval.addImage(truth, preds.subList(0, Math.min(100, preds.size())));
                }
            }

            @Override
            public double score() {
                double m = eval.evaluate().map();
                return m < 0 ? 0 : m;
            }
        };
    }

    @Override
    public OnnxGraph export(OnnxGraph trained, int classes) {
        String heat = trained.outputs().get(0).name();
        String reg = trained.outputs().get(1).name();
        long[] inShape = trained.inputs().get(0).shape();
        int inputH = (int) inShape[2], inputW = (int) inShape[3];
        var shapes =
                io.streamtune.onnx.djl.OnnxBlock.traceShapes(
                        trained, new Shape(1, 3, inputH, inputW));
        int gh = (int) shapes.get(heat).get(2), gw = (int) shapes.get(heat).get(3);
        float strideX = (float) inputW / gw, strideY = (float) inputH / gh;
        GraphBuilder b = GraphBuilder.extend(trained, "export/", 0);
        String p = b.op("Sigmoid", List.of(heat));
        String pooled =
                b.op(
                        "MaxPool",
                        List.of(p),
                        Attribute.ints("kernel_shape", 3, 3),
                        Attribute.ints("strides", 1, 1),
                        Attribute.ints("pads", 1, 1, 1, 1));
        String peak =
                b.op("Cast", List.of(b.op("Equal", List.of(p, pooled))), Attribute.of("to", 1L));
        String scores = b.op("Mul", List.of(p, peak));
        float[] gx = new float[gh * gw];
        float[] gy = new float[gh * gw];
        for (int y = 0; y < gh; y++) {
            for (int x = 0; x < gw; x++) {
                gx[y * gw + x] = x;
                gy[y * gw + x] = y;
            }
        }
        String cx =
                b.op(
                        "Mul",
                        List.of(
                                b.op(
                                        "Add",
                                        List.of(slice(b, reg, 0), b.constant(grid(gx, gh, gw)))),
                                scalar(b, strideX)));
        String cy =
                b.op(
                        "Mul",
                        List.of(
                                b.op(
                                        "Add",
                                        List.of(slice(b, reg, 1), b.constant(grid(gy, gh, gw)))),
                                scalar(b, strideY)));
        String w = b.op("Mul", List.of(b.op("Exp", List.of(slice(b, reg, 2))), scalar(b, strideX)));
        String h = b.op("Mul", List.of(b.op("Exp", List.of(slice(b, reg, 3))), scalar(b, strideY)));
        String all = b.op("Concat", List.of(cx, cy, w, h, scores), Attribute.of("axis", 1L));
        String shape = b.constant(OnnxTensor.vector("shape", 0, 4 + classes, -1));
        String out = b.op("Reshape", List.of(all, shape));
        return b.build(out);
    }

    private static OnnxTensor grid(float[] values, int gh, int gw) {
        return OnnxTensor.ofFloats("grid", new long[] {1, 1, gh, gw}, values);
    }

    private static String scalar(GraphBuilder b, float v) {
        return b.constant(OnnxTensor.ofFloats("scalar", new long[0], new float[] {v}));
    }

    private static String slice(GraphBuilder b, String x, int channel) {
        return b.op(
                "Slice",
                List.of(
                        x,
                        b.constant(OnnxTensor.vector("starts", channel)),
                        b.constant(OnnxTensor.vector("ends", channel + 1)),
                        b.constant(OnnxTensor.vector("axes", 1))));
    }
}
