package io.streamtune.trainer.style;

import io.streamtune.onnx.ir.OnnxTensor;
import io.streamtune.onnx.ort.OrtRunner;
import io.streamtune.vision.image.RgbImage;
import io.streamtune.vision.preprocess.ChannelOrder;
import io.streamtune.vision.preprocess.ImageOps;
import io.streamtune.vision.preprocess.Normalization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Scores stylization models in ONNX Runtime: the model's output for each content image, and the
 * perceptual network's taps of output, content and style images, combined by {@link
 * PerceptualLoss}. What the gate judges is computed here, on the exported ONNX file.
 */
public final class StyleEvaluator implements AutoCloseable {

    private static final int BATCH = 4;

    private final PerceptualNet net;
    private final PerceptualLoss loss;
    private final int size;
    private final OrtRunner taps;
    private final List<double[]> styleGrams;
    private final double contentScale;
    private final int threads;

    /** Opens the perceptual network and computes the style's Gram matrices at {@code size}. */
    public StyleEvaluator(
            PerceptualNet net, PerceptualLoss loss, List<RgbImage> styles, int size, int threads)
            throws Exception {
        if (styles.isEmpty()) {
            throw new IllegalArgumentException("no style image");
        }
        this.net = net;
        this.loss = loss;
        this.size = size;
        this.threads = threads;
        this.taps = new OrtRunner(net.graph(), threads);
        List<double[]> sums = null;
        double scale = 0;
        for (RgbImage s : styles) {
            List<OnnxTensor> f = features(tensor(List.of(s), size));
            OnnxTensor c = f.get(loss.contentLayer());
            scale += PerceptualLoss.squaredNorm(c.floats(), c.shape(), 0) / styles.size();
            if (sums == null) {
                sums = new ArrayList<>();
                for (OnnxTensor t : f) {
                    sums.add(new double[(int) (t.shape()[1] * t.shape()[1])]);
                }
            }
            for (int l = 0; l < f.size(); l++) {
                double[] g = PerceptualLoss.gram(f.get(l).floats(), f.get(l).shape(), 0);
                for (int i = 0; i < g.length; i++) {
                    sums.get(l)[i] += g[i] / styles.size();
                }
            }
        }
        this.styleGrams = sums;
        this.contentScale = scale;
    }

    /** The style's Gram matrices as {@code [C, C]} arrays of {@code manager}, for training. */
    public List<ai.djl.ndarray.NDArray> styleGrams(ai.djl.ndarray.NDManager manager) {
        List<ai.djl.ndarray.NDArray> out = new ArrayList<>();
        for (double[] g : styleGrams) {
            int c = (int) Math.round(Math.sqrt(g.length));
            float[] f = new float[g.length];
            for (int i = 0; i < g.length; i++) {
                f[i] = (float) g[i];
            }
            out.add(manager.create(f, new ai.djl.ndarray.types.Shape(c, c)));
        }
        return out;
    }

    /** The style's content normaliser {@code K} (see {@link PerceptualLoss}). */
    public double contentScale() {
        return contentScale;
    }

    /** The style's mean Gram matrix per layer. */
    public List<double[]> styleGrams() {
        return styleGrams;
    }

    /** {@code images} resized to {@code size} square, RGB in {@code [0, 1]}, as one batch. */
    public static OnnxTensor tensor(List<RgbImage> images, int size) {
        float[][] planes = new float[images.size()][];
        for (int i = 0; i < images.size(); i++) {
            RgbImage r = ImageOps.resize(images.get(i), size, size);
            planes[i] = ImageOps.toChw(r, ChannelOrder.RGB, Normalization.UNIT);
        }
        return OnnxTensor.ofFloats(
                "input", new long[] {images.size(), 3, size, size}, ImageOps.pack(planes));
    }

    /** The taps of a {@code [N, 3, H, W]} batch in {@code [0, 1]}, in layer order. */
    List<OnnxTensor> features(OnnxTensor images) throws Exception {
        long[] s = images.shape();
        float[] normed = net.normalize(images.floats(), (int) s[0], (int) (s[2] * s[3]));
        Map<String, OnnxTensor> out =
                taps.run(Map.of("input", OnnxTensor.ofFloats("input", s, normed)));
        List<OnnxTensor> l = new ArrayList<>();
        for (String t : net.layers()) {
            l.add(out.get(t));
        }
        return l;
    }

    /**
     * Per content image: the model's loss terms, and the loss of the image left as it is (no
     * content loss, its own style distance and total variation): {@code gain = 1 - model /
     * identity} is the share of the unstylized image's loss the model removes.
     */
    public record Scored(List<PerceptualLoss.Terms> model, List<PerceptualLoss.Terms> identity) {

        /** Per-image gains. */
        public double[] gains() {
            double[] g = new double[model.size()];
            for (int i = 0; i < g.length; i++) {
                g[i] = 1 - model.get(i).total() / Math.max(identity.get(i).total(), 1e-12);
            }
            return g;
        }

        public double mean(java.util.function.ToDoubleFunction<PerceptualLoss.Terms> f) {
            return model.stream().mapToDouble(f).average().orElse(Double.NaN);
        }
    }

    /** Scores the model in {@code onnx} on {@code contents}. */
    public Scored score(byte[] onnx, List<RgbImage> contents) throws Exception {
        try (OrtRunner model = new OrtRunner(onnx, threads)) {
            String input = model.inputNames().get(0);
            List<PerceptualLoss.Terms> m = new ArrayList<>();
            List<PerceptualLoss.Terms> id = new ArrayList<>();
            for (int from = 0; from < contents.size(); from += BATCH) {
                List<RgbImage> part =
                        contents.subList(from, Math.min(contents.size(), from + BATCH));
                OnnxTensor x = tensor(part, size);
                OnnxTensor y =
                        model.run(Map.of(input, x.renamed(input))).values().iterator().next();
                score(y, x, part.size(), m, id);
            }
            return new Scored(m, id);
        }
    }

    /** Scores given outputs {@code y} for contents {@code x} (both {@code [N, 3, H, W]}). */
    public Scored scoreOutputs(OnnxTensor y, OnnxTensor x) throws Exception {
        List<PerceptualLoss.Terms> m = new ArrayList<>();
        List<PerceptualLoss.Terms> id = new ArrayList<>();
        score(y, x, (int) y.shape()[0], m, id);
        return new Scored(m, id);
    }

    private void score(
            OnnxTensor y,
            OnnxTensor x,
            int n,
            List<PerceptualLoss.Terms> model,
            List<PerceptualLoss.Terms> identity)
            throws Exception {
        List<OnnxTensor> fy = features(y);
        List<OnnxTensor> fx = features(x);
        List<float[]> fyv = fy.stream().map(OnnxTensor::floats).toList();
        List<float[]> fxv = fx.stream().map(OnnxTensor::floats).toList();
        List<long[]> shapes = fy.stream().map(OnnxTensor::shape).toList();
        for (int i = 0; i < n; i++) {
            model.add(
                    loss.terms(
                            fyv, fxv, shapes, styleGrams, contentScale, y.floats(), y.shape(), i));
            identity.add(
                    loss.terms(
                            fxv, fxv, shapes, styleGrams, contentScale, x.floats(), x.shape(), i));
        }
    }

    @Override
    public void close() throws Exception {
        taps.close();
    }
}
