package io.streamtune.trainer.style;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.streamtune.onnx.djl.OnnxBlock;
import io.streamtune.onnx.ir.OnnxTensor;
import io.streamtune.vision.image.RgbImage;
import java.util.List;

/**
 * The optimisation-based reference of Gatys et al. (2016): the output image itself is optimised
 * (Adam on its logits, starting from the content image) with the same perceptual loss the
 * feed-forward network is trained on. Slow — one optimisation per image — and the yardstick for how
 * much of the attainable loss a trained stylizer reaches in one forward pass.
 */
public final class GatysReference {

    /** The optimised image, RGB in {@code [0, 1]} {@code [1, 3, size, size]}, and its loss. */
    public record Result(
            OnnxTensor image, PerceptualLoss.Terms terms, PerceptualLoss.Terms start) {}

    private GatysReference() {}

    /** Optimises {@code steps} Adam steps at {@code lr} on the image's logits. */
    public static Result optimize(
            StyleEvaluator eval,
            PerceptualNet net,
            PerceptualLoss loss,
            RgbImage content,
            int size,
            int steps,
            double lr)
            throws Exception {
        OnnxTensor x = StyleEvaluator.tensor(List.of(content), size);
        try (NDManager m = NDManager.newBaseManager()) {
            OnnxBlock taps = new OnnxBlock(net.graph());
            taps.initialize(m, DataType.FLOAT32, new Shape(2, 3, size, size));
            taps.freezeParameters(true);
            List<NDArray> grams = eval.styleGrams(m);
            float[] mean = new float[3], std = new float[3];
            for (int c = 0; c < 3; c++) {
                mean[c] = net.normalization().mean().get(c).floatValue();
                std[c] = net.normalization().std().get(c).floatValue();
            }
            NDArray mu = m.create(mean, new Shape(1, 3, 1, 1));
            NDArray sigma = m.create(std, new Shape(1, 3, 1, 1));
            NDArray xs = m.create(x.floats(), new Shape(x.shape()));
            NDArray clamped = xs.clip(1e-3f, 1 - 1e-3f);
            NDArray z = clamped.div(clamped.neg().add(1f)).log(); // logit
            NDArray mom = m.zeros(z.getShape());
            NDArray vel = m.zeros(z.getShape());
            double b1 = 0.9, b2 = 0.999;
            for (int t = 1; t <= steps; t++) {
                z.setRequiresGradient(true);
                NDArray grad;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray y = z.getNDArrayInternal().sigmoid();
                    NDArray both = NDArrays.concat(new NDList(y, xs), 0).sub(mu).div(sigma);
                    NDList f = taps.forward(new ParameterStore(m, false), new NDList(both), false);
                    NDArray l = loss.loss(m, y, f, grams, eval.contentScale());
                    if (!Float.isFinite(l.getFloat())) {
                        break;
                    }
                    gc.backward(l);
                    grad = z.getGradient().duplicate();
                }
                if (!Float.isFinite(grad.sum().getFloat())) {
                    continue;
                }
                mom = mom.mul((float) b1).add(grad.mul((float) (1 - b1)));
                vel = vel.mul((float) b2).add(grad.square().mul((float) (1 - b2)));
                NDArray mh = mom.div((float) (1 - Math.pow(b1, t)));
                NDArray vh = vel.div((float) (1 - Math.pow(b2, t)));
                z = z.stopGradient().sub(mh.mul((float) lr).div(vh.sqrt().add(1e-8f)));
            }
            float[] out = z.getNDArrayInternal().sigmoid().toFloatArray();
            OnnxTensor y = OnnxTensor.ofFloats("output", x.shape(), out);
            StyleEvaluator.Scored s = eval.scoreOutputs(y, x);
            return new Result(y, s.model().get(0), s.identity().get(0));
        }
    }
}
