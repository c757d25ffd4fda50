package io.streamtune.trainer.style;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.streamtune.onnx.djl.OnnxBlock;
import io.streamtune.onnx.djl.nets.ReferenceNets;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxTensor;
import io.streamtune.onnx.ort.OrtRunner;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The softmax-smoothed taps: per image, {@code count * softmax(flattened map)} of the raw tap, the
 * same in ONNX Runtime (evaluation) and through the bridge (training).
 */
class PerceptualNetTest {

    static final int SIZE = 32;

    @Test
    void softmaxTapsAreTheRawTapsSmoothedPerImageInOrtAndInTheBridge() throws Exception {
        OnnxGraph base =
                ReferenceNets.mobilenetV2(SIZE, 4, ReferenceNets.BatchNormStyle.UNFOLDED, 11);
        PerceptualNet raw = PerceptualNet.of(base, SIZE, List.of(2, 4, 8));
        PerceptualNet smooth =
                PerceptualNet.of(base, SIZE, List.of(2, 4, 8), PerceptualNet.Activations.SOFTMAX);
        assertEquals(raw.strides(), smooth.strides());
        float[] x = new float[2 * 3 * SIZE * SIZE];
        Random r = new Random(3);
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat() * 2 - 1;
        }
        OnnxTensor in = OnnxTensor.ofFloats("input", new long[] {2, 3, SIZE, SIZE}, x);
        Map<String, OnnxTensor> a, b;
        try (OrtRunner ra = new OrtRunner(raw.graph(), 1);
                OrtRunner rb = new OrtRunner(smooth.graph(), 1)) {
            a = ra.run(Map.of("input", in));
            b = rb.run(Map.of("input", in));
        }
        try (NDManager m = NDManager.newBaseManager()) {
            OnnxBlock block = new OnnxBlock(smooth.graph());
            block.initialize(m, DataType.FLOAT32, new Shape(2, 3, SIZE, SIZE));
            NDList bridged =
                    block.forward(
                            new ParameterStore(m, false),
                            new NDList(m.create(x, new Shape(2, 3, SIZE, SIZE))),
                            false);
            for (int l = 0; l < raw.layers().size(); l++) {
                float[] f = a.get(raw.layers().get(l)).floats();
                float[] s = b.get(smooth.layers().get(l)).floats();
                assertEquals(f.length, s.length);
                int per = f.length / 2;
                for (int n = 0; n < 2; n++) {
                    double max = Double.NEGATIVE_INFINITY, z = 0, mean = 0;
                    for (int i = n * per; i < (n + 1) * per; i++) {
                        max = Math.max(max, f[i]);
                    }
                    for (int i = n * per; i < (n + 1) * per; i++) {
                        z += Math.exp(f[i] - max);
                    }
                    for (int i = n * per; i < (n + 1) * per; i++) {
                        double want = per * Math.exp(f[i] - max) / z;
                        assertEquals(want, s[i], 1e-4 * Math.max(1, want), "layer " + l + " @" + i);
                        assertTrue(s[i] > 0);
                        mean += s[i] / per;
                    }
                    assertEquals(1.0, mean, 1e-3, "mean of a smoothed map");
                }
                NDArray djl = bridged.get(smooth.layers().indexOf(smooth.layers().get(l)));
                float[] d = djl.toFloatArray();
                for (int i = 0; i < s.length; i++) {
                    assertEquals(s[i], d[i], 1e-3 * Math.max(1, Math.abs(s[i])), "bridge @" + i);
                }
            }
        }
    }
}
