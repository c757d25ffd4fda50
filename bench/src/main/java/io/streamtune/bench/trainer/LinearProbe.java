package io.streamtune.bench.trainer;

import io.streamtune.trainer.pretrain.FashionMnist;
import java.util.List;
import java.util.Random;

/**
 * Softmax regression on raw pixels (0..1), full-batch gradient descent with L2, the epoch chosen on
 * the validation images: the baseline a pretrained pipeline must beat.
 */
final class LinearProbe {

    private LinearProbe() {}

    static double accuracy(
            FashionMnist.Split tr,
            List<Integer> train,
            List<Integer> val,
            FashionMnist.Split te,
            List<Integer> test,
            long seed) {
        int d = 28 * 28 + 1;
        int c = 10;
        double[][] w = new double[c][d];
        double[][] best = new double[c][d];
        double bestVal = -1;
        double lr = 0.5;
        double l2 = 1e-3;
        Random r = new Random(seed);
        for (double[] row : w) {
            for (int j = 0; j < d; j++) {
                row[j] = r.nextGaussian() * 1e-3;
            }
        }
        for (int it = 0; it < 300; it++) {
            double[][] g = new double[c][d];
            for (int i : train) {
                double[] x = features(tr.pixels()[i]);
                double[] p = softmax(w, x);
                p[tr.labels()[i]] -= 1;
                for (int k = 0; k < c; k++) {
                    for (int j = 0; j < d; j++) {
                        g[k][j] += p[k] * x[j];
                    }
                }
            }
            for (int k = 0; k < c; k++) {
                for (int j = 0; j < d; j++) {
                    w[k][j] -= lr * (g[k][j] / train.size() + l2 * w[k][j]);
                }
            }
            if (it % 10 == 9) {
                double v = score(w, tr, val);
                if (v > bestVal) {
                    bestVal = v;
                    for (int k = 0; k < c; k++) {
                        best[k] = w[k].clone();
                    }
                }
            }
        }
        return score(best, te, test);
    }

    private static double score(double[][] w, FashionMnist.Split s, List<Integer> idx) {
        int ok = 0;
        for (int i : idx) {
            double[] p = softmax(w, features(s.pixels()[i]));
            int arg = 0;
            for (int k = 1; k < p.length; k++) {
                if (p[k] > p[arg]) {
                    arg = k;
                }
            }
            ok += arg == s.labels()[i] ? 1 : 0;
        }
        return (double) ok / idx.size();
    }

    private static double[] features(int[] pixels) {
        double[] x = new double[pixels.length + 1];
        for (int i = 0; i < pixels.length; i++) {
            x[i] = pixels[i] / 255.0;
        }
        x[pixels.length] = 1;
        return x;
    }

    private static double[] softmax(double[][] w, double[] x) {
        double[] z = new double[w.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < w.length; k++) {
            double s = 0;
            for (int j = 0; j < x.length; j++) {
                s += w[k][j] * x[j];
            }
            z[k] = s;
            max = Math.max(max, s);
        }
        double sum = 0;
        for (int k = 0; k < z.length; k++) {
            z[k] = Math.exp(z[k] - max);
            sum += z[k];
        }
        for (int k = 0; k < z.length; k++) {
            z[k] /= sum;
        }
        return z;
    }
}
