package io.streamtune.onnx.djl.graft;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import io.streamtune.onnx.djl.OnnxBlock;
import io.streamtune.onnx.djl.ops.Nd;
import io.streamtune.onnx.ir.OnnxTensor;
import io.streamtune.onnx.ir.TensorInfo;
import io.streamtune.onnx.ort.OrtRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Computes a frozen prefix's boundary tensors for a batch of images, in ONNX Runtime or DJL
 * inference mode.
 */
public interface PrefixRunner extends AutoCloseable {

    /** Boundary tensors (in {@link PrefixSplit#boundary()} order) for one input batch. */
    List<OnnxTensor> run(OnnxTensor batch) throws Exception;

    @Override
    void close() throws Exception;

    /** Runs the prefix in ONNX Runtime. */
    static PrefixRunner onnxRuntime(PrefixSplit split, int threads) throws Exception {
        OrtRunner ort = new OrtRunner(split.prefix(), threads);
        String input = split.prefix().inputs().get(0).name();
        List<String> outputs = split.prefix().outputs().stream().map(TensorInfo::name).toList();
        return new PrefixRunner() {
            @Override
            public List<OnnxTensor> run(OnnxTensor batch) throws Exception {
                Map<String, OnnxTensor> out = ort.run(Map.of(input, batch.renamed(input)));
                List<OnnxTensor> l = new ArrayList<>();
                outputs.forEach(o -> l.add(out.get(o)));
                return l;
            }

            @Override
            public void close() throws Exception {
                ort.close();
            }
        };
    }

    /**
     * Runs the prefix as a DJL block in inference mode (no gradients, running BatchNorm
     * statistics).
     */
    static PrefixRunner djl(PrefixSplit split) {
        NDManager manager = NDManager.newBaseManager();
        OnnxBlock block = new OnnxBlock(split.prefix());
        block.freezeParameters(true);
        return new PrefixRunner() {
            private boolean initialised;

            @Override
            public List<OnnxTensor> run(OnnxTensor batch) {
                try (NDManager m = manager.newSubManager()) {
                    NDList in = new NDList(Nd.toNd(m, batch));
                    if (!initialised) {
                        block.initialize(manager, DataType.FLOAT32, in.head().getShape());
                        block.freezeParameters(true);
                        initialised = true;
                    }
                    NDList out = block.forward(new ParameterStore(m, false), in, false);
                    List<OnnxTensor> l = new ArrayList<>();
                    for (int i = 0; i < out.size(); i++) {
                        l.add(Nd.fromNd(split.prefix().outputs().get(i).name(), out.get(i)));
                    }
                    return l;
                }
            }

            @Override
            public void close() {
                manager.close();
            }
        };
    }

    /**
     * Runs the prefix over {@code images} ({@code [N, ...]}) in batches and returns each boundary
     * tensor stacked over all N images.
     */
    static List<OnnxTensor> cacheAll(PrefixRunner runner, OnnxTensor images, int batchSize)
            throws Exception {
        long n = images.shape()[0];
        int per = (int) (images.elementCount() / n);
        List<List<float[]>> parts = new ArrayList<>();
        List<long[]> shapes = new ArrayList<>();
        for (long start = 0; start < n; start += batchSize) {
            long count = Math.min(batchSize, n - start);
            long[] shape = images.shape().clone();
            shape[0] = count;
            float[] slice =
                    java.util.Arrays.copyOfRange(
                            images.floats(), (int) (start * per), (int) ((start + count) * per));
            List<OnnxTensor> out = runner.run(OnnxTensor.ofFloats(images.name(), shape, slice));
            for (int i = 0; i < out.size(); i++) {
                if (parts.size() <= i) {
                    parts.add(new ArrayList<>());
                    shapes.add(out.get(i).shape());
                }
                parts.get(i).add(out.get(i).floats());
            }
        }
        List<OnnxTensor> result = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            long[] shape = shapes.get(i).clone();
            shape[0] = n;
            float[] all = new float[(int) OnnxTensor.size(shape)];
            int off = 0;
            for (float[] p : parts.get(i)) {
                System.arraycopy(p, 0, all, off, p.length);
                off += p.length;
            }
            result.add(OnnxTensor.ofFloats("boundary_" + i, shape, all));
        }
        return result;
    }
}
