package io.streamtune.trainer.style;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * The perceptual loss of Johnson et al., made scale-free so that its weights mean the same on any
 * backbone: for output {@code y} of content {@code x},
 *
 * <pre>
 *   style(y)      = mean over style layers l of |G_l(y) - S_l|^2 / |S_l|^2
 *   content(y, x) = |F_c(y) - F_c(x)|^2 / K,  K = mean over style images of |F_c(style)|^2
 *   tv(y)         = mean |y[i, j+1] - y[i, j]| + mean |y[i+1, j] - y[i, j]|   (RGB in [0, 1])
 *   total         = styleWeight * style + contentWeight * content + tvWeight * tv
 * </pre>
 *
 * where {@code F_l} is the backbone's feature map at layer {@code l}, {@code G_l = F_l F_l^T / (H
 * W)} its Gram matrix ({@code C x C}) and {@code S_l} the mean Gram matrix of the style images.
 * Both normalisers are constants of the style (a per-image {@code |F_c(x)|^2} would explode on an
 * image whose deep features are nearly zero, e.g. a flat grey frame). The same formulas are
 * computed twice: on DJL arrays for training and in plain Java for evaluating an exported model's
 * ONNX Runtime outputs (and for the tests that check them by hand).
 *
 * @param styleWeight weight of the style term
 * @param contentWeight weight of the content term
 * @param tvWeight weight of total variation
 * @param contentLayer index (into the perceptual net's layers) of the content layer
 */
public record PerceptualLoss(
        double styleWeight, double contentWeight, double tvWeight, int contentLayer) {

    public PerceptualLoss {
        if (!(styleWeight >= 0) || !(contentWeight >= 0) || !(tvWeight >= 0)) {
            throw new IllegalArgumentException("loss weights must be >= 0");
        }
    }

    /** One sample's loss terms. */
    public record Terms(double style, double content, double tv, double total) {}

    // ---- plain Java (evaluation, tests) ----

    /** The {@code C x C} Gram matrix of sample {@code n} of a {@code [N, C, H, W]} feature map. */
    public static double[] gram(float[] f, long[] shape, int n) {
        int c = (int) shape[1];
        int hw = (int) (shape[2] * shape[3]);
        int base = n * c * hw;
        double[] g = new double[c * c];
        for (int a = 0; a < c; a++) {
            for (int b = a; b < c; b++) {
                double s = 0;
                int ia = base + a * hw, ib = base + b * hw;
                for (int p = 0; p < hw; p++) {
                    s += (double) f[ia + p] * f[ib + p];
                }
                g[a * c + b] = s / hw;
                g[b * c + a] = s / hw;
            }
        }
        return g;
    }

    /** {@code |g - s|^2 / |s|^2}. */
    public static double gramDistance(double[] g, double[] s) {
        double num = 0, den = 0;
        for (int i = 0; i < g.length; i++) {
            double d = g[i] - s[i];
            num += d * d;
            den += s[i] * s[i];
        }
        return num / Math.max(den, 1e-12);
    }

    /** {@code |f|^2} of sample {@code n} of a feature map. */
    public static double squaredNorm(float[] f, long[] shape, int n) {
        int per = (int) (shape[1] * shape[2] * shape[3]);
        double s = 0;
        for (int i = n * per; i < (n + 1) * per; i++) {
            s += (double) f[i] * f[i];
        }
        return s;
    }

    /** {@code |fy - fx|^2 / scale} for sample {@code n} of two same-shaped feature maps. */
    public static double contentDistance(
            float[] fy, float[] fx, long[] shape, int n, double scale) {
        int per = (int) (shape[1] * shape[2] * shape[3]);
        double num = 0;
        for (int i = n * per; i < (n + 1) * per; i++) {
            double d = fy[i] - fx[i];
            num += d * d;
        }
        return num / Math.max(scale, 1e-12);
    }

    /** Total variation of sample {@code n} of a {@code [N, 3, H, W]} image. */
    public static double totalVariation(float[] y, long[] shape, int n) {
        int h = (int) shape[2], w = (int) shape[3];
        int base = n * 3 * h * w;
        double dx = 0, dy = 0;
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    int p = base + (c * h + i) * w + j;
                    if (j + 1 < w) {
                        dx += Math.abs(y[p + 1] - y[p]);
                    }
                    if (i + 1 < h) {
                        dy += Math.abs(y[p + w] - y[p]);
                    }
                }
            }
        }
        return dx / Math.max(1, 3L * h * (w - 1)) + dy / Math.max(1, 3L * (h - 1) * w);
    }

    /**
     * The terms for sample {@code n}: {@code outFeatures}/{@code contentFeatures} are the tap
     * outputs (in layer order) for the output and for the content image, {@code styleGrams} the
     * style's mean Gram matrix per layer, {@code contentScale} the style's {@code K}.
     */
    public Terms terms(
            List<float[]> outFeatures,
            List<float[]> contentFeatures,
            List<long[]> shapes,
            List<double[]> styleGrams,
            double contentScale,
            float[] out,
            long[] outShape,
            int n) {
        double style = 0;
        for (int l = 0; l < styleGrams.size(); l++) {
            style += gramDistance(gram(outFeatures.get(l), shapes.get(l), n), styleGrams.get(l));
        }
        style /= styleGrams.size();
        double content =
                contentDistance(
                        outFeatures.get(contentLayer),
                        contentFeatures.get(contentLayer),
                        shapes.get(contentLayer),
                        n,
                        contentScale);
        double tv = totalVariation(out, outShape, n);
        return new Terms(
                style, content, tv, styleWeight * style + contentWeight * content + tvWeight * tv);
    }

    // ---- DJL (training) ----

    /** Gram matrices {@code [N, C, C]} of a {@code [N, C, H, W]} feature map. */
    static NDArray gram(NDArray f) {
        Shape s = f.getShape();
        NDArray flat = f.reshape(s.get(0), s.get(1), s.get(2) * s.get(3));
        return flat.batchMatMul(flat.transpose(0, 2, 1)).div((float) (s.get(2) * s.get(3)));
    }

    /** Per-sample sum over everything but the batch axis. */
    private static NDArray perSample(NDArray a) {
        return a.reshape(a.getShape().get(0), -1).sum(new int[] {1});
    }

    /**
     * Mean total loss of a batch: {@code y} the network output {@code [N, 3, H, W]}, {@code
     * features} the taps of {@code concat(y, x)} along the batch axis (outputs first), {@code
     * styleGrams} {@code [C, C]} per layer, {@code contentScale} the style's {@code K}.
     */
    NDArray loss(
            NDManager m,
            NDArray y,
            NDList features,
            List<NDArray> styleGrams,
            double contentScale) {
        long n = y.getShape().get(0);
        NDArray style = null;
        for (int l = 0; l < styleGrams.size(); l++) {
            NDArray fy = features.get(l).get("0:" + n);
            NDArray s = styleGrams.get(l);
            NDArray d = perSample(gram(fy).sub(s.expandDims(0)).square());
            NDArray term = d.div(s.square().sum().maximum(1e-12f));
            style = style == null ? term : style.add(term);
        }
        style = style.div((float) styleGrams.size());
        NDArray fy = features.get(contentLayer).get("0:" + n);
        NDArray fx = features.get(contentLayer).get(n + ":");
        NDArray content = perSample(fy.sub(fx).square()).div((float) Math.max(contentScale, 1e-12));
        long h = y.getShape().get(2), w = y.getShape().get(3);
        NDArray dx =
                perSample(y.get(":, :, :, 1:").sub(y.get(":, :, :, :-1")).abs())
                        .div(3f * h * (w - 1));
        NDArray dy =
                perSample(y.get(":, :, 1:, :").sub(y.get(":, :, :-1, :")).abs())
                        .div(3f * (h - 1) * w);
        NDArray total =
                style.mul((float) styleWeight)
                        .add(content.mul((float) contentWeight))
                        .add(dx.add(dy).mul((float) tvWeight));
        return total.mean();
    }
}
