package io.streamtune.onnx.djl;

import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.streamtune.onnx.ir.ElementType;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxTensor;
import io.streamtune.onnx.ir.OnnxWriter;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs a serialised ONNX model (or an IR graph, written on the fly) in ONNX Runtime on the CPU. */
public final class OrtRunner implements AutoCloseable {

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    /** Opens a session on model bytes with the given intra-op thread count. */
    public OrtRunner(byte[] model, int threads) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            this.session = env.createSession(model, options);
        }
    }

    /** Opens a session on a graph, written with {@link OnnxWriter}. */
    public OrtRunner(OnnxGraph graph, int threads) throws OrtException {
        this(OnnxWriter.toBytes(graph), threads);
    }

    /** Runs the model; inputs and outputs are float32 or int64 tensors keyed by name. */
    public Map<String, OnnxTensor> run(Map<String, OnnxTensor> inputs) throws OrtException {
        Map<String, ai.onnxruntime.OnnxTensor> feeds = new HashMap<>();
        try {
            for (OnnxTensor t : inputs.values()) {
                feeds.put(
                        t.name(),
                        t.type().isIntegral()
                                ? ai.onnxruntime.OnnxTensor.createTensor(
                                        env, LongBuffer.wrap(t.longs()), t.shape())
                                : ai.onnxruntime.OnnxTensor.createTensor(
                                        env, FloatBuffer.wrap(t.floats()), t.shape()));
            }
            Map<String, OnnxTensor> out = new LinkedHashMap<>();
            try (OrtSession.Result result = session.run(feeds)) {
                for (Map.Entry<String, OnnxValue> e : result) {
                    ai.onnxruntime.OnnxTensor v = (ai.onnxruntime.OnnxTensor) e.getValue();
                    long[] shape = v.getInfo().getShape();
                    int n = (int) OnnxTensor.size(shape);
                    switch (v.getInfo().type) {
                        case FLOAT -> {
                            float[] f = new float[n];
                            v.getFloatBuffer().get(f);
                            out.put(e.getKey(), OnnxTensor.ofFloats(e.getKey(), shape, f));
                        }
                        case INT64 -> {
                            long[] l = new long[n];
                            v.getLongBuffer().get(l);
                            out.put(e.getKey(), OnnxTensor.ofLongs(e.getKey(), shape, l));
                        }
                        case BOOL -> {
                            long[] l = new long[n];
                            java.nio.ByteBuffer b = v.getByteBuffer();
                            for (int i = 0; i < n; i++) {
                                l[i] = b.get(i);
                            }
                            out.put(
                                    e.getKey(),
                                    new OnnxTensor(e.getKey(), ElementType.BOOL, shape, null, l));
                        }
                        default ->
                                throw new IllegalStateException(
                                        "unsupported ORT output type " + v.getInfo().type);
                    }
                }
            }
            return out;
        } finally {
            feeds.values().forEach(ai.onnxruntime.OnnxTensor::close);
        }
    }

    /** Input names in model order. */
    public List<String> inputNames() {
        return List.copyOf(session.getInputNames());
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
