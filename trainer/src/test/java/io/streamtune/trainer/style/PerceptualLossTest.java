package io.streamtune.trainer.style;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PerceptualLossTest {

    @Test
    void gramMatrixIsTheMeanChannelProductOverPixels() {
        // one sample, 2 channels, 1x2 pixels: a = (1, 2), b = (3, 4)
        float[] f = {1, 2, 3, 4};
        double[] g = PerceptualLoss.gram(f, new long[] {1, 2, 1, 2}, 0);
        // aa = (1 + 4) / 2, ab = (3 + 8) / 2, bb = (9 + 16) / 2
        assertArrayEquals(new double[] {2.5, 5.5, 5.5, 12.5}, g, 1e-9);
    }

    @Test
    void gramOfTheSecondSampleReadsOnlyIt() {
        float[] f = {9, 9, 9, 9, 1, 0, 0, 1};
        double[] g = PerceptualLoss.gram(f, new long[] {2, 2, 1, 2}, 1);
        assertArrayEquals(new double[] {0.5, 0, 0, 0.5}, g, 1e-9);
    }

    @Test
    void distancesAreRelativeSquaredErrors() {
        assertEquals(
                (1.0 + 4.0) / (4.0 + 16.0),
                PerceptualLoss.gramDistance(new double[] {3, 2}, new double[] {2, 4}),
                1e-12);
        float[] fx = {1, 2, 3, 4};
        float[] fy = {1, 2, 4, 6};
        // sample 1 is (3, 4) vs (4, 6): (1 + 4) / scale
        assertEquals(
                5.0 / 25.0,
                PerceptualLoss.contentDistance(fy, fx, new long[] {2, 2, 1, 1}, 1, 25.0),
                1e-12);
        assertEquals(25.0, PerceptualLoss.squaredNorm(fx, new long[] {2, 2, 1, 1}, 1), 1e-12);
    }

    @Test
    void totalVariationIsTheMeanAbsoluteNeighbourDifference() {
        // 3 channels of 2x2: channel 0 = [[0, 1], [0, 1]], others flat
        float[] y = {0, 1, 0, 1, 0, 0, 0, 0, 0.5f, 0.5f, 0.5f, 0.5f};
        // horizontal: channel 0 has |1 - 0| twice of 6 pairs; vertical: all 0
        assertEquals(2.0 / 6.0, PerceptualLoss.totalVariation(y, new long[] {1, 3, 2, 2}, 0), 1e-9);
    }

    @Test
    void trainingLossOnDjlArraysEqualsThePlainJavaLoss() {
        PerceptualLoss loss = new PerceptualLoss(2.0, 0.5, 0.1, 1);
        Random r = new Random(3);
        int n = 2;
        long[] s0 = {2L * n, 4, 6, 6};
        long[] s1 = {2L * n, 8, 3, 3};
        long[] ys = {n, 3, 8, 8};
        float[] f0 = random(r, s0), f1 = random(r, s1), y = new float[(int) (n * 3 * 64)];
        for (int i = 0; i < y.length; i++) {
            y[i] = r.nextFloat();
        }
        double[] g0 =
                PerceptualLoss.gram(random(r, new long[] {1, 4, 6, 6}), new long[] {1, 4, 6, 6}, 0);
        double[] g1 =
                PerceptualLoss.gram(random(r, new long[] {1, 8, 3, 3}), new long[] {1, 8, 3, 3}, 0);
        // plain Java: outputs are samples 0..n-1, content n..2n-1
        double expected = 0;
        for (int i = 0; i < n; i++) {
            List<float[]> fy = List.of(half(f0, s0, 0), half(f1, s1, 0));
            List<float[]> fx = List.of(half(f0, s0, 1), half(f1, s1, 1));
            List<long[]> shapes = List.of(halfShape(s0), halfShape(s1));
            expected += loss.terms(fy, fx, shapes, List.of(g0, g1), 3.5, y, ys, i).total() / n;
        }
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray yy = m.create(y, new Shape(ys));
            NDList feats = new NDList(m.create(f0, new Shape(s0)), m.create(f1, new Shape(s1)));
            NDArray l = loss.loss(m, yy, feats, List.of(square(m, g0), square(m, g1)), 3.5);
            assertEquals(expected, l.getFloat(), 1e-4 * Math.abs(expected));
        }
    }

    private static NDArray square(NDManager m, double[] g) {
        int c = (int) Math.round(Math.sqrt(g.length));
        float[] f = new float[g.length];
        for (int i = 0; i < g.length; i++) {
            f[i] = (float) g[i];
        }
        return m.create(f, new Shape(c, c));
    }

    private static float[] random(Random r, long[] shape) {
        float[] f = new float[(int) (shape[0] * shape[1] * shape[2] * shape[3])];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) r.nextGaussian();
        }
        return f;
    }

    private static float[] half(float[] f, long[] s, int which) {
        int len = f.length / 2;
        float[] out = new float[len];
        System.arraycopy(f, which * len, out, 0, len);
        return out;
    }

    private static long[] halfShape(long[] s) {
        return new long[] {s[0] / 2, s[1], s[2], s[3]};
    }
}
