package io.streamtune.tfjs;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxWriter;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/** Runs an ONNX graph in ONNX Runtime on one float input (test helper). */
public final class OrtSessions {

    private OrtSessions() {}

    public static Map<String, float[]> run(OnnxGraph g, long[] shape, float[] data)
            throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(2);
            try (OrtSession s = env.createSession(OnnxWriter.toBytes(g), o);
                    OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), shape);
                    OrtSession.Result r = s.run(Map.of(g.inputs().get(0).name(), in))) {
                Map<String, float[]> out = new LinkedHashMap<>();
                for (var e : r) {
                    OnnxTensor t = (OnnxTensor) e.getValue();
                    FloatBuffer fb = t.getFloatBuffer();
                    float[] f = new float[fb.remaining()];
                    fb.get(f);
                    out.put(e.getKey(), f);
                }
                return out;
            }
        }
    }

    /** max |a - b| / max |b|. */
    public static double relativeMaxError(float[] a, float[] b) {
        double maxDiff = 0;
        double maxMag = 0;
        for (int i = 0; i < a.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
            maxMag = Math.max(maxMag, Math.abs(b[i]));
        }
        return maxDiff / Math.max(maxMag, 1e-12);
    }
}
