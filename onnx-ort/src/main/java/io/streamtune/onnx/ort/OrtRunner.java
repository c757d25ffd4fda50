package io.streamtune.onnx.ort;

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

/**
 * The one ONNX Runtime wrapper: every session streamtune opens — the bridge's frozen-prefix caching
 * and parity checks, evaluation, serving (vision's {@code OnnxModelRunner} is built on it) — is
 * created here with the same options; tensors go in and out as IR tensors.
 */
public final class OrtRunner implements AutoCloseable {

    /** How a session is created from the environment and the options (from bytes or a file). */
    @FunctionalInterface
    public interface SessionSource {
        OrtSession create(OrtEnvironment env, OrtSession.SessionOptions options)
                throws OrtException;
    }

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    private OrtRunner(SessionSource source, int intraThreads, int interThreads, boolean arena)
            throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(intraThreads);
            options.setInterOpNumThreads(interThreads);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setCPUArenaAllocator(arena);
            options.setMemoryPatternOptimization(arena);
            this.session = source.create(env, options);
        }
    }

    /** Opens a session from any source with the given thread counts, all graph optimisations on. */
    public static OrtRunner open(SessionSource source, int intraThreads, int interThreads)
            throws OrtException {
        return new OrtRunner(source, intraThreads, interThreads, true);
    }

    /**
     * {@link #open(SessionSource, int, int)}, with ONNX Runtime's CPU memory arena and
     * memory-pattern plans kept between runs or not ({@code arena}): without them activation memory
     * is returned after each run, at some cost in speed.
     */
    public static OrtRunner open(
            SessionSource source, int intraThreads, int interThreads, boolean arena)
            throws OrtException {
        return new OrtRunner(source, intraThreads, interThreads, arena);
    }

    /** Opens a session on model bytes with the given intra-op thread count. */
    public OrtRunner(byte[] model, int threads) throws OrtException {
        this((env, o) -> env.createSession(model, o), threads, 1, true);
    }

    /** Opens a session on a graph, written with {@link OnnxWriter}. */
    public OrtRunner(OnnxGraph graph, int threads) throws OrtException {
        this(OnnxWriter.toBytes(graph), threads);
    }

    /** The session, for callers with their own tensor layout (serving's batched images). */
    public OrtSession session() {
        return session;
    }

    /** The environment the session belongs to. */
    public OrtEnvironment environment() {
        return env;
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
