package io.streamtune.bench.trainer;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.streamtune.onnx.djl.BridgeReader;
import io.streamtune.onnx.djl.OnnxBlock;
import io.streamtune.onnx.djl.graft.FreezePlan;
import io.streamtune.onnx.djl.graft.PrefixRunner;
import io.streamtune.onnx.djl.graft.PrefixSplit;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxTensor;
import io.streamtune.onnx.ort.OrtRunner;
import io.streamtune.runtime.DjlOffline;
import io.streamtune.trainer.task.Backbone;
import io.streamtune.trainer.task.CenterNetHead;
import io.streamtune.trainer.task.ClassificationHead;
import io.streamtune.trainer.task.HeadedGraph;
import io.streamtune.zoo.Zoo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * What phase 1's feature cache costs against the cheapest thing that could replace it: one ONNX
 * Runtime forward pass of the whole base network over the same images, same batch and threads,
 * measured side by side in one run, on the zoo's CenterNet as the trainer uses it — cut at the
 * backbone for a new classification head (224 px), and cut after the neck for the detection head
 * that keeps it (320 px). Target: caching ≤ 1.2× the forward pass.
 *
 * <p>Then phase 2's training step with the last 2 backbone blocks unfrozen, three ways side by side
 * on the same batch: the whole graph in DJL (the frozen blocks forward in PyTorch too), the frozen
 * prefix in ONNX Runtime and only the rest in DJL (what the trainer does with augmentation), and
 * the rest alone on cached prefix outputs (what it does without).
 *
 * <p>Arguments: {@code --images=256 --threads=2 --batch=64 --rounds=3 --step.batch=16 --steps=5}.
 */
public final class CachingCostBench {

    static {
        DjlOffline.enforce();
    }

    private CachingCostBench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o =
                new LinkedHashMap<>(
                        Map.of(
                                "images", "256",
                                "threads", "2",
                                "batch", "64",
                                "rounds", "3",
                                "step.batch", "16",
                                "steps", "5"));
        for (String a : args) {
            int eq = a.indexOf('=');
            if (!a.startsWith("--") || eq < 0) {
                System.err.println(
                        "usage: caching [--images=256] [--threads=2] [--batch=64] [--rounds=3]"
                                + " [--step.batch=16] [--steps=5]");
                System.exit(2);
            }
            o.put(a.substring(2, eq), a.substring(eq + 1));
        }
        int n = Integer.parseInt(o.get("images"));
        int threads = Integer.parseInt(o.get("threads"));
        int batch = Integer.parseInt(o.get("batch"));
        int rounds = Integer.parseInt(o.get("rounds"));
        OnnxGraph zoo =
                BridgeReader.read(
                        Zoo.standard()
                                .resolve("zoo:centernet", s -> System.err.println("zoo: " + s)));
        System.out.printf(
                Locale.ROOT,
                "phase-1 caching vs one ONNX Runtime forward pass: %d images, batch %d, %d threads,"
                        + " best of %d rounds%n%n",
                n,
                batch,
                threads,
                rounds);
        System.out.println("| cut | input | caching (s) | full forward (s) | ratio |");
        System.out.println("|---|---|---|---|---|");

        HeadedGraph cls = new ClassificationHead(0).attach(Backbone.of(zoo, 224), 10, 1);
        row("backbone (new classification head)", cls, 224, n, batch, threads, rounds);
        CenterNetHead det =
                new CenterNetHead(CenterNetHead.classesOf(zoo), List.of("a", "b", "c", "d"));
        HeadedGraph detStart = det.attach(CenterNetHead.backbone(zoo, 320), 4, 1);
        row("after the neck (CenterNet heads reused)", detStart, 320, n, batch, threads, rounds);

        int stepBatch = Integer.parseInt(o.get("step.batch"));
        int steps = Integer.parseInt(o.get("steps"));
        System.out.printf(
                Locale.ROOT,
                "%nphase-2 training step, last 2 backbone blocks unfrozen: batch %d, mean of %d"
                        + " steps after 2 warm-up%n%n",
                stepBatch,
                steps);
        System.out.println(
                "| network | input | whole graph in DJL (ms) | ORT prefix + DJL rest (ms) |"
                        + " rest on cached prefix (ms) | speed-up |");
        System.out.println("|---|---|---|---|---|---|");
        phase2Row("classification head", cls, 224, stepBatch, threads, steps);
        phase2Row("CenterNet heads reused", detStart, 320, stepBatch, threads, steps);
    }

    private static void phase2Row(
            String what, HeadedGraph start, int size, int batch, int threads, int steps)
            throws Exception {
        FreezePlan plan = FreezePlan.allButLastBlocks(start.backbone(), 2);
        PrefixSplit split =
                PrefixSplit.beforeFirstTrainable(start.graph(), plan.frozenInitializers());
        OnnxTensor x = images(batch, size);
        long whole = 0, ort = 0, cachedNs = 0;
        try (PrefixRunner runner = PrefixRunner.onnxRuntime(split, threads)) {
            List<OnnxTensor> boundary = runner.run(x);
            try (Stepper all = new Stepper(start.graph(), plan, List.of(x));
                    Stepper rest = new Stepper(split.suffix(), plan, boundary)) {
                for (int i = 0; i < steps + 2; i++) {
                    long t0 = System.nanoTime();
                    all.step(List.of(x));
                    long t1 = System.nanoTime();
                    rest.step(runner.run(x));
                    long t2 = System.nanoTime();
                    rest.step(boundary);
                    long t3 = System.nanoTime();
                    if (i >= 2) {
                        whole += t1 - t0;
                        ort += t2 - t1;
                        cachedNs += t3 - t2;
                    }
                }
            }
        }
        System.out.printf(
                Locale.ROOT,
                "| %s | %d px | %.0f | %.0f | %.0f | %.2f× / %.2f× |%n",
                what,
                size,
                whole / 1e6 / steps,
                ort / 1e6 / steps,
                cachedNs / 1e6 / steps,
                (double) whole / ort,
                (double) whole / cachedNs);
    }

    /**
     * One DJL training setup: a block with the freeze plan applied, Adam, a sum-of-squares loss.
     */
    private static final class Stepper implements AutoCloseable {
        private final Model model = Model.newInstance("phase2");
        private final Trainer trainer;

        Stepper(OnnxGraph graph, FreezePlan plan, List<OnnxTensor> inputs) {
            OnnxBlock block = new OnnxBlock(graph);
            model.setBlock(block);
            Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-4f)).build();
            trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(adam));
            trainer.initialize(
                    inputs.stream().map(t -> new Shape(t.shape())).toArray(Shape[]::new));
            plan.apply(block);
        }

        void step(List<OnnxTensor> inputs) {
            try (NDManager m = trainer.getManager().newSubManager()) {
                NDList in = new NDList();
                inputs.forEach(t -> in.add(m.create(t.floats(), new Shape(t.shape()))));
                try (GradientCollector gc = trainer.newGradientCollector()) {
                    NDList out = trainer.forward(in);
                    NDArray loss = out.get(0).square().mean();
                    for (int i = 1; i < out.size(); i++) {
                        loss = loss.add(out.get(i).square().mean());
                    }
                    gc.backward(loss);
                }
                trainer.step();
            }
        }

        @Override
        public void close() {
            trainer.close();
            model.close();
        }
    }

    private static void row(
            String what, HeadedGraph start, int size, int n, int batch, int threads, int rounds)
            throws Exception {
        OnnxTensor images = images(n, size);
        PrefixSplit split =
                PrefixSplit.beforeFirstTrainable(start.graph(), start.backboneInitializers());
        double caching = Double.MAX_VALUE, forward = Double.MAX_VALUE;
        try (PrefixRunner runner = PrefixRunner.onnxRuntime(split, threads);
                OrtRunner full = new OrtRunner(start.graph(), threads)) {
            // one warm-up each, then alternate so both see the same machine state
            PrefixRunner.cacheAll(runner, slice(images, 0, batch), batch);
            full.run(Map.of("input", slice(images, 0, batch)));
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                PrefixRunner.cacheAll(runner, images, batch);
                caching = Math.min(caching, (System.nanoTime() - t0) / 1e9);
                long t1 = System.nanoTime();
                for (int from = 0; from < n; from += batch) {
                    full.run(Map.of("input", slice(images, from, Math.min(n, from + batch))));
                }
                forward = Math.min(forward, (System.nanoTime() - t1) / 1e9);
            }
        }
        System.out.printf(
                Locale.ROOT,
                "| %s | %d px | %.2f | %.2f | %.2f× |%n",
                what,
                size,
                caching,
                forward,
                caching / forward);
    }

    private static OnnxTensor images(int n, int size) {
        Random r = new Random(1);
        float[] v = new float[n * 3 * size * size];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextFloat() * 255;
        }
        return OnnxTensor.ofFloats("input", new long[] {n, 3, size, size}, v);
    }

    private static OnnxTensor slice(OnnxTensor all, int from, int to) {
        int per = (int) (all.elementCount() / all.shape()[0]);
        long[] shape = all.shape().clone();
        shape[0] = to - from;
        return OnnxTensor.ofFloats(
                "input", shape, java.util.Arrays.copyOfRange(all.floats(), from * per, to * per));
    }
}
