package io.streamtune.vision.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.streamtune.onnx.ort.OrtRunner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ModelRunner} over an ONNX Runtime session, opened through the one ORT wrapper ({@link
 * OrtRunner}) with the same options as feature caching and evaluation use.
 *
 * <p>The model must have one float image input {@code [batch, channels, height, width]}. With a
 * dynamic batch dimension a whole batch runs at once; with a fixed batch size b the batch is run in
 * chunks of b, the last one zero-padded (so fixed batch 1 means one image at a time). Outputs of
 * any numeric type are returned as floats. {@link #run} may be called from several threads; {@link
 * #close} must not overlap a run.
 */
public final class OnnxModelRunner implements ModelRunner {

    private static final Logger LOG = LoggerFactory.getLogger(OnnxModelRunner.class);

    private final String source;
    private final OrtRunner ort;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final InputShape input;
    private final List<String> outputNames;
    private final ModelSpec spec;
    private final int imageSize;

    private OnnxModelRunner(String source, OrtRunner ort, InputShape input, ModelSpec spec) {
        this.source = source;
        this.ort = ort;
        this.env = ort.environment();
        this.session = ort.session();
        this.input = input;
        this.spec = spec;
        try {
            this.outputNames = List.copyOf(session.getOutputInfo().keySet());
        } catch (OrtException e) {
            throw new IllegalStateException("cannot read outputs of " + source, e);
        }
        this.imageSize =
                spec.preprocess().channels().planes() * spec.inputWidth() * spec.inputHeight();
    }

    /** Loads a model file, configured from its metadata and the overrides. */
    public static OnnxModelRunner load(
            Path file, RunnerOptions options, ModelSpecOverrides overrides)
            throws ModelLoadException {
        String source = file.toString();
        if (!Files.isRegularFile(file)) {
            throw new ModelLoadException(source, "no such file");
        }
        try {
            options.checkSize(source, Files.size(file));
        } catch (java.io.IOException e) {
            throw new ModelLoadException(source, "cannot read its size: " + e.getMessage(), e);
        }
        String fileName = file.getFileName().toString();
        String stem =
                fileName.endsWith(".onnx")
                        ? fileName.substring(0, fileName.length() - 5)
                        : fileName;
        return open(
                source, stem, options, overrides, (env, opts) -> env.createSession(source, opts));
    }

    /**
     * Loads a model from bytes (e.g. a fetched artifact); {@code name} is used in messages and as
     * the default model name.
     */
    public static OnnxModelRunner load(
            byte[] model, String name, RunnerOptions options, ModelSpecOverrides overrides)
            throws ModelLoadException {
        Objects.requireNonNull(model, "model");
        options.checkSize(name, model.length);
        return open(name, name, options, overrides, (env, opts) -> env.createSession(model, opts));
    }

    private interface SessionFactory {
        OrtSession create(OrtEnvironment env, OrtSession.SessionOptions options)
                throws OrtException;
    }

    private static OnnxModelRunner open(
            String source,
            String defaultName,
            RunnerOptions options,
            ModelSpecOverrides overrides,
            SessionFactory factory)
            throws ModelLoadException {
        OrtRunner ort;
        try {
            ort =
                    OrtRunner.open(
                            factory::create,
                            options.intraOpThreads(),
                            options.interOpThreads(),
                            options.arena());
        } catch (OrtException | RuntimeException e) {
            throw new ModelLoadException(source, "ONNX Runtime refused it: " + e.getMessage(), e);
        }
        OrtEnvironment env = ort.environment();
        OrtSession session = ort.session();
        try {
            InputShape input = inputShape(session);
            ModelSpec spec =
                    ModelSpecParser.parse(
                            session.getMetadata().getCustomMetadata(),
                            input,
                            overrides,
                            defaultName,
                            outputShapes(session));
            OnnxModelRunner runner = new OnnxModelRunner(source, ort, input, spec);
            LOG.info(
                    "Loaded model {} v{} from {}: task {}, input {} {}x{} ({}), {} classes, outputs"
                            + " {}",
                    spec.name(),
                    spec.version(),
                    source,
                    spec.task(),
                    input.name(),
                    spec.inputWidth(),
                    spec.inputHeight(),
                    input.batching(),
                    spec.classNames().size(),
                    runner.outputNames);
            return runner;
        } catch (OrtException | RuntimeException e) {
            closeQuietly(ort);
            throw new ModelLoadException(source, e.getMessage(), e);
        }
    }

    private static InputShape inputShape(OrtSession session) throws OrtException {
        Map<String, NodeInfo> inputs = session.getInputInfo();
        if (inputs.size() != 1) {
            throw new IllegalArgumentException(
                    "expected one image input, found " + inputs.keySet());
        }
        NodeInfo node = inputs.values().iterator().next();
        if (!(node.getInfo() instanceof TensorInfo info)
                || (info.type != OnnxJavaType.FLOAT && info.type != OnnxJavaType.UINT8)) {
            throw new IllegalArgumentException(
                    "input "
                            + node.getName()
                            + " is neither a float nor a uint8 tensor: "
                            + node.getInfo());
        }
        boolean uint8 = info.type == OnnxJavaType.UINT8;
        long[] shape = info.getShape();
        if (shape.length == 3) {
            // one image without a batch dimension: [C, H, W], or [H, W, C] by its channel count
            boolean last = shape[0] != 1 && shape[0] != 3 && (shape[2] == 1 || shape[2] == 3);
            return new InputShape(
                    node.getName(),
                    1,
                    (int) dim(last ? shape[2] : shape[0]),
                    (int) dim(last ? shape[0] : shape[1]),
                    (int) dim(last ? shape[1] : shape[2]),
                    last,
                    uint8,
                    true);
        }
        if (shape.length != 4) {
            throw new IllegalArgumentException(
                    "input "
                            + node.getName()
                            + " must be [batch, channels, height, width] or [channels, height,"
                            + " width], is "
                            + Arrays.toString(shape));
        }
        if (io.streamtune.onnx.ir.ImageInput.channelsLast(shape)) {
            return new InputShape(
                    node.getName(),
                    dim(shape[0]),
                    (int) dim(shape[3]),
                    (int) dim(shape[1]),
                    (int) dim(shape[2]),
                    true,
                    uint8);
        }
        return new InputShape(
                node.getName(),
                dim(shape[0]),
                (int) dim(shape[1]),
                (int) dim(shape[2]),
                (int) dim(shape[3]),
                false,
                uint8);
    }

    private static Map<String, long[]> outputShapes(OrtSession session) throws OrtException {
        Map<String, long[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, NodeInfo> e : session.getOutputInfo().entrySet()) {
            out.put(
                    e.getKey(),
                    e.getValue().getInfo() instanceof TensorInfo t ? t.getShape() : null);
        }
        return out;
    }

    private static long dim(long d) {
        return d > 0 ? d : -1;
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    @Override
    public InputShape inputShape() {
        return input;
    }

    @Override
    public List<String> outputNames() {
        return outputNames;
    }

    @Override
    public Map<String, FloatTensor> run(float[][] batch) {
        if (batch.length == 0) {
            throw new IllegalArgumentException("empty batch");
        }
        for (int i = 0; i < batch.length; i++) {
            if (batch[i].length != imageSize) {
                throw new IllegalArgumentException(
                        "image "
                                + i
                                + " has "
                                + batch[i].length
                                + " values, model "
                                + spec.name()
                                + " expects "
                                + imageSize);
            }
        }
        int chunk = input.dynamicBatch() ? batch.length : (int) input.batch();
        List<Map<String, FloatTensor>> parts = new ArrayList<>();
        for (int start = 0; start < batch.length; start += chunk) {
            int real = Math.min(chunk, batch.length - start);
            parts.add(runChunk(batch, start, real, chunk));
        }
        return parts.size() == 1 ? parts.get(0) : concatenate(parts);
    }

    private Map<String, FloatTensor> runChunk(float[][] batch, int start, int real, int size) {
        ByteBuffer bytes =
                ByteBuffer.allocateDirect(size * imageSize * (input.uint8() ? 1 : Float.BYTES))
                        .order(ByteOrder.nativeOrder());
        FloatBuffer floats = input.uint8() ? null : bytes.asFloatBuffer();
        int planes = spec.preprocess().channels().planes();
        int plane = spec.inputHeight() * spec.inputWidth();
        for (int i = 0; i < real; i++) {
            float[] image = batch[start + i];
            int at = i * imageSize;
            if (floats != null && !input.channelsLast()) {
                floats.put(at, image); // planes as the pre-processor wrote them
                continue;
            }
            for (int p = 0; p < plane; p++) {
                for (int c = 0; c < planes; c++) {
                    // the pre-processor writes planes (CHW); a channels-last model reads pixels
                    int to = at + (input.channelsLast() ? p * planes + c : c * plane + p);
                    float v = image[c * plane + p];
                    if (floats != null) {
                        floats.put(to, v);
                    } else {
                        // an 8-bit input takes the pixel values (Normalization.RAW), rounded
                        bytes.put(to, (byte) Math.max(0, Math.min(255, Math.round(v))));
                    }
                }
            }
        }
        // Padding images of a fixed-size batch stay zero; their outputs are dropped below.
        long[] shape =
                input.channelsLast()
                        ? new long[] {size, spec.inputHeight(), spec.inputWidth(), planes}
                        : new long[] {size, planes, spec.inputHeight(), spec.inputWidth()};
        if (input.unbatched()) {
            shape = Arrays.copyOfRange(shape, 1, 4);
        }
        try (OnnxTensor tensor =
                        floats != null
                                ? OnnxTensor.createTensor(env, floats, shape)
                                : OnnxTensor.createTensor(env, bytes, shape, OnnxJavaType.UINT8);
                OrtSession.Result result = session.run(Map.of(input.name(), tensor))) {
            Map<String, FloatTensor> out = new LinkedHashMap<>();
            for (Map.Entry<String, OnnxValue> entry : result) {
                FloatTensor t = toFloat(entry.getKey(), entry.getValue());
                if (input.unbatched()) {
                    // the one image's outputs, as a batch of one
                    long[] batched = new long[t.shape().length + 1];
                    batched[0] = 1;
                    System.arraycopy(t.shape(), 0, batched, 1, t.shape().length);
                    t = new FloatTensor(batched, t.data());
                }
                out.put(entry.getKey(), real == size ? t : firstRows(t, real));
            }
            return out;
        } catch (OrtException e) {
            throw new IllegalStateException(
                    "model " + spec.name() + " from " + source + " failed: " + e.getMessage(), e);
        }
    }

    private static FloatTensor toFloat(String name, OnnxValue value) throws OrtException {
        if (!(value instanceof OnnxTensor tensor)) {
            throw new IllegalStateException(
                    "output " + name + " is not a tensor: " + value.getInfo());
        }
        TensorInfo info = tensor.getInfo();
        long[] shape = info.getShape();
        float[] data;
        switch (info.type) {
            case FLOAT -> {
                FloatBuffer b = tensor.getFloatBuffer();
                data = new float[b.remaining()];
                b.get(data);
            }
            case DOUBLE -> {
                DoubleBuffer b = tensor.getDoubleBuffer();
                data = new float[b.remaining()];
                for (int i = 0; i < data.length; i++) {
                    data[i] = (float) b.get(i);
                }
            }
            case INT64 -> {
                LongBuffer b = tensor.getLongBuffer();
                data = new float[b.remaining()];
                for (int i = 0; i < data.length; i++) {
                    data[i] = b.get(i);
                }
            }
            case INT32 -> {
                IntBuffer b = tensor.getIntBuffer();
                data = new float[b.remaining()];
                for (int i = 0; i < data.length; i++) {
                    data[i] = b.get(i);
                }
            }
            case UINT8, INT8, BOOL -> {
                ByteBuffer b = tensor.getByteBuffer();
                data = new float[b.remaining()];
                for (int i = 0; i < data.length; i++) {
                    data[i] = info.type == OnnxJavaType.INT8 ? b.get(i) : b.get(i) & 0xFF;
                }
            }
            default ->
                    throw new IllegalStateException(
                            "output " + name + " has unsupported type " + info.type);
        }
        return new FloatTensor(shape, data);
    }

    private static FloatTensor firstRows(FloatTensor t, int rows) {
        long[] shape = t.shape();
        int per = (int) (t.data().length / shape[0]);
        shape[0] = rows;
        return new FloatTensor(shape, Arrays.copyOf(t.data(), per * rows));
    }

    /**
     * The chunks' outputs as one batch. An output whose size varies between runs (the detections of
     * a model with NMS inside, one run per image) is padded with zeros to the largest run in each
     * dimension: zero rows score nothing.
     */
    static Map<String, FloatTensor> concatenate(List<Map<String, FloatTensor>> parts) {
        Map<String, FloatTensor> out = new LinkedHashMap<>();
        for (String name : parts.get(0).keySet()) {
            long[] shape = parts.get(0).get(name).shape().clone();
            long rows = 0;
            for (Map<String, FloatTensor> part : parts) {
                long[] s = part.get(name).shape();
                if (s.length != shape.length) {
                    throw new IllegalStateException(
                            "output " + name + " changes rank between runs");
                }
                rows += s[0];
                for (int d = 1; d < s.length; d++) {
                    shape[d] = Math.max(shape[d], s[d]);
                }
            }
            shape[0] = rows;
            long per = 1;
            for (int d = 1; d < shape.length; d++) {
                per *= shape[d];
            }
            float[] data = new float[Math.toIntExact(rows * per)];
            int offset = 0;
            for (Map<String, FloatTensor> part : parts) {
                FloatTensor t = part.get(name);
                pad(t.data(), t.shape(), data, offset, shape);
                offset += (int) (t.shape()[0] * per);
            }
            out.put(name, new FloatTensor(shape, data));
        }
        return out;
    }

    /** Copies row-major {@code from} (shape {@code fromShape}) into the larger {@code to}. */
    private static void pad(float[] from, long[] fromShape, float[] to, int at, long[] toShape) {
        if (Arrays.equals(
                Arrays.copyOfRange(fromShape, 1, fromShape.length),
                Arrays.copyOfRange(toShape, 1, toShape.length))) {
            System.arraycopy(from, 0, to, at, from.length);
            return;
        }
        int rank = fromShape.length;
        int inner = (int) fromShape[rank - 1];
        int lines = inner == 0 ? 0 : from.length / inner;
        int[] index = new int[rank - 1];
        for (int line = 0; line < lines; line++) {
            // the destination offset of this line's first value
            long dst = 0;
            for (int d = 0; d < rank - 1; d++) {
                dst = dst * toShape[d] + index[d];
            }
            System.arraycopy(from, line * inner, to, (int) (at + dst * toShape[rank - 1]), inner);
            for (int d = rank - 2; d >= 0; d--) {
                if (++index[d] < fromShape[d]) {
                    break;
                }
                index[d] = 0;
            }
        }
    }

    @Override
    public void warmUp() {
        long started = System.nanoTime();
        run(new float[][] {new float[imageSize]});
        LOG.info(
                "Warmed up model {} v{} in {} ms",
                spec.name(),
                spec.version(),
                (System.nanoTime() - started) / 1_000_000);
    }

    @Override
    public void close() {
        closeQuietly(ort);
    }

    private static void closeQuietly(OrtRunner ort) {
        try {
            ort.close();
        } catch (OrtException e) {
            LOG.warn("Closing an ONNX Runtime session failed", e);
        }
    }
}
