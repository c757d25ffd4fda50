package io.streamtune.onnx.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.streamtune.onnx.djl.ops.Nd;
import io.streamtune.onnx.ir.Attribute;
import io.streamtune.onnx.ir.ElementType;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxNode;
import io.streamtune.onnx.ir.OnnxTensor;
import io.streamtune.onnx.ir.TensorInfo;
import io.streamtune.onnx.ort.OrtRunner;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Static factories and runners shared by the bridge tests. */
final class OnnxFixtures {

    private OnnxFixtures() {}

    static TensorInfo floatInput(String name, long... shape) {
        return new TensorInfo(name, ElementType.FLOAT, shape);
    }

    static TensorInfo output(String name) {
        return new TensorInfo(name, ElementType.FLOAT, null);
    }

    static OnnxTensor random(Random r, String name, long... shape) {
        float[] v = new float[(int) OnnxTensor.size(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return OnnxTensor.ofFloats(name, shape, v);
    }

    static OnnxTensor positive(Random r, String name, long... shape) {
        float[] v = new float[(int) OnnxTensor.size(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = 0.5f + r.nextFloat();
        }
        return OnnxTensor.ofFloats(name, shape, v);
    }

    /** A graph with one node reading {@code x} (plus initializers) and writing {@code y...}. */
    static OnnxGraph singleOp(
            String op,
            List<TensorInfo> inputs,
            List<OnnxTensor> inits,
            List<String> nodeInputs,
            int outputs,
            Attribute... attrs) {
        List<String> outs = new ArrayList<>();
        for (int i = 0; i < outputs; i++) {
            outs.add(outputs == 1 ? "y" : "y" + i);
        }
        Map<String, OnnxTensor> initMap = new LinkedHashMap<>();
        inits.forEach(t -> initMap.put(t.name(), t));
        OnnxNode node = OnnxNode.of(op + "_node", op, nodeInputs, outs, attrs);
        return new OnnxGraph(
                op,
                17,
                inputs,
                outs.stream().map(OnnxFixtures::output).toList(),
                List.of(node),
                initMap,
                Map.of());
    }

    /** Runs a graph in DJL inference mode. */
    static Map<String, OnnxTensor> runDjl(OnnxGraph graph, Map<String, OnnxTensor> inputs) {
        try (NDManager m = NDManager.newBaseManager()) {
            OnnxBlock block = new OnnxBlock(graph);
            NDList in = new NDList();
            Shape[] shapes = new Shape[graph.inputs().size()];
            for (int i = 0; i < shapes.length; i++) {
                NDArray a = Nd.toNd(m, inputs.get(graph.inputs().get(i).name()));
                in.add(a);
                shapes[i] = a.getShape();
            }
            block.initialize(m, DataType.FLOAT32, shapes);
            NDList out = block.forward(new ParameterStore(m, false), in, false);
            Map<String, OnnxTensor> result = new LinkedHashMap<>();
            for (int i = 0; i < out.size(); i++) {
                String name = graph.outputs().get(i).name();
                result.put(name, Nd.fromNd(name, out.get(i)));
            }
            return result;
        }
    }

    /**
     * Trains the block for a few SGD steps on random images and labels (fixed seed); a freeze plan,
     * if given, is applied after the trainer is initialised, as DJL requires.
     */
    static ai.djl.Model train(
            OnnxBlock block,
            Shape inputShape,
            int classes,
            int steps,
            float lr,
            io.streamtune.onnx.djl.graft.FreezePlan plan,
            long seed) {
        return train(
                block,
                inputShape,
                classes,
                steps,
                ai.djl.training.optimizer.Optimizer.sgd()
                        .setLearningRateTracker(ai.djl.training.tracker.Tracker.fixed(lr))
                        .build(),
                plan,
                seed);
    }

    static ai.djl.Model train(
            OnnxBlock block,
            Shape inputShape,
            int classes,
            int steps,
            ai.djl.training.optimizer.Optimizer optimizer,
            io.streamtune.onnx.djl.graft.FreezePlan plan,
            long seed) {
        return train(
                block,
                inputShape,
                ai.djl.training.loss.Loss.softmaxCrossEntropyLoss(),
                new Shape(inputShape.get(0)),
                classes,
                steps,
                optimizer,
                plan,
                seed);
    }

    /**
     * Returns the still-open model: the block's parameters live in its manager until it is closed.
     * 1-D labels are random class ids, others random normal regression targets.
     */
    static ai.djl.Model train(
            OnnxBlock block,
            Shape inputShape,
            ai.djl.training.loss.Loss loss,
            Shape labelShape,
            int classes,
            int steps,
            ai.djl.training.optimizer.Optimizer optimizer,
            io.streamtune.onnx.djl.graft.FreezePlan plan,
            long seed) {
        ai.djl.Model model = ai.djl.Model.newInstance("onnx-test");
        {
            model.setBlock(block);
            ai.djl.training.DefaultTrainingConfig config =
                    new ai.djl.training.DefaultTrainingConfig(loss).optOptimizer(optimizer);
            try (ai.djl.training.Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(inputShape);
                if (plan != null) {
                    plan.apply(block);
                }
                Random r = new Random(seed);
                NDManager m = trainer.getManager();
                for (int step = 0; step < steps; step++) {
                    try (NDManager batch = m.newSubManager()) {
                        float[] xs = new float[(int) inputShape.size()];
                        for (int i = 0; i < xs.length; i++) {
                            xs[i] = (float) r.nextGaussian();
                        }
                        float[] ys = new float[(int) labelShape.size()];
                        for (int i = 0; i < ys.length; i++) {
                            ys[i] =
                                    labelShape.dimension() == 1
                                            ? r.nextInt(classes)
                                            : (float) r.nextGaussian();
                        }
                        NDArray x = batch.create(xs, inputShape);
                        NDArray y = batch.create(ys, labelShape);
                        try (ai.djl.training.GradientCollector gc =
                                trainer.newGradientCollector()) {
                            NDList pred = trainer.forward(new NDList(x));
                            NDArray value = trainer.getLoss().evaluate(new NDList(y), pred);
                            gc.backward(value);
                        }
                        trainer.step();
                    }
                }
            }
        }
        return model;
    }

    /** DJL inference-mode forward of an already initialised block. */
    static OnnxTensor forward(OnnxBlock block, OnnxTensor input) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDList out =
                    block.forward(
                            new ParameterStore(m, false), new NDList(Nd.toNd(m, input)), false);
            return Nd.fromNd("y", out.head());
        }
    }

    /** Float initializer values of a graph. */
    static Map<String, float[]> snapshotOf(OnnxGraph graph) {
        Map<String, float[]> m = new LinkedHashMap<>();
        graph.initializers()
                .forEach(
                        (k, v) -> {
                            if (v.floats() != null) {
                                m.put(k, v.floats());
                            }
                        });
        return m;
    }

    /** Values of every parameter, copied. */
    static Map<String, float[]> snapshot(OnnxBlock block) {
        Map<String, float[]> m = new LinkedHashMap<>();
        block.parametersByTensor().forEach((k, p) -> m.put(k, p.getArray().toFloatArray()));
        return m;
    }

    static Map<String, OnnxTensor> runOrt(OnnxGraph graph, Map<String, OnnxTensor> inputs)
            throws Exception {
        try (OrtRunner ort = new OrtRunner(graph, 1)) {
            return ort.run(inputs);
        }
    }

    /** Largest absolute difference; shapes must agree (else +infinity). */
    static double maxAbsDiff(OnnxTensor a, OnnxTensor b) {
        if (!java.util.Arrays.equals(a.shape(), b.shape())) {
            return Double.POSITIVE_INFINITY;
        }
        double max = 0;
        int n = (int) a.elementCount();
        for (int i = 0; i < n; i++) {
            double x = a.type().isIntegral() ? a.longs()[i] : a.floats()[i];
            double y = b.type().isIntegral() ? b.longs()[i] : b.floats()[i];
            if (Double.isNaN(x) != Double.isNaN(y)) {
                return Double.POSITIVE_INFINITY;
            }
            if (!Double.isNaN(x) && x != y) {
                max = Math.max(max, Math.abs(x - y));
            }
        }
        return max;
    }

    static Map<String, OnnxTensor> feeds(OnnxTensor... tensors) {
        Map<String, OnnxTensor> m = new LinkedHashMap<>();
        for (OnnxTensor t : tensors) {
            m.put(t.name(), t);
        }
        return m;
    }
}
