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

    /** Batches of a set of images, {@code [to - from, ...]}, made when asked for. */
    @FunctionalInterface
    interface Batches {
        OnnxTensor inputs(int from, int to) throws Exception;
    }

    /**
     * Runs the prefix over {@code images} ({@code [N, ...]}) in batches and returns each boundary
     * tensor stacked over all N images.
     */
    static List<OnnxTensor> cacheAll(PrefixRunner runner, OnnxTensor images, int batchSize)
            throws Exception {
        int n = (int) images.shape()[0];
        int per = (int) (images.elementCount() / n);
        return cacheAll(
                runner,
                n,
                batchSize,
                (from, to) -> {
                    long[] shape = images.shape().clone();
                    shape[0] = to - from;
                    return OnnxTensor.ofFloats(
                            images.name(),
                            shape,
                            java.util.Arrays.copyOfRange(images.floats(), from * per, to * per));
                });
    }

    /**
     * Runs the prefix over {@code n} images, made batch by batch (so the whole set never has to be
     * one tensor), and returns each boundary tensor stacked over all n; every output is written
     * straight into its place.
     */
    static List<OnnxTensor> cacheAll(PrefixRunner runner, int n, int batchSize, Batches images)
            throws Exception {
        List<float[]> all = new ArrayList<>();
        List<long[]> shapes = new ArrayList<>();
        for (int start = 0; start < n; start += batchSize) {
            int count = Math.min(batchSize, n - start);
            List<OnnxTensor> out = runner.run(images.inputs(start, start + count));
            for (int i = 0; i < out.size(); i++) {
                float[] values = out.get(i).floats();
                int per = values.length / count;
                if (all.size() <= i) {
                    long[] shape = out.get(i).shape().clone();
                    shape[0] = n;
                    shapes.add(shape);
                    all.add(new float[Math.multiplyExact(per, n)]);
                }
                System.arraycopy(values, 0, all.get(i), start * per, values.length);
            }
        }
        List<OnnxTensor> result = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            result.add(OnnxTensor.ofFloats("boundary_" + i, shapes.get(i), all.get(i)));
        }
        return result;
    }
}
