package io.streamtune.bench.onnx;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.streamtune.onnx.djl.BridgeReader;
import io.streamtune.onnx.djl.OnnxBlock;
import io.streamtune.onnx.djl.graft.FreezePlan;
import io.streamtune.onnx.djl.graft.GraphCut;
import io.streamtune.onnx.djl.graft.Heads;
import io.streamtune.onnx.djl.graft.PrefixRunner;
import io.streamtune.onnx.djl.graft.PrefixSplit;
import io.streamtune.onnx.djl.nets.ReferenceNets;
import io.streamtune.onnx.ir.ElementType;
import io.streamtune.onnx.ir.GraphBuilder;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxTensor;
import io.streamtune.onnx.ir.OnnxWriter;
import io.streamtune.onnx.ir.TensorInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Prints, from one run: training-step and forward time of an imported ResNet-18-shaped graph
 * relative to the same network built from DJL's native blocks, peak heap while importing a ~100 MB
 * model relative to its size, and the epoch cost with a cached frozen prefix. Arguments: {@code
 * [imageSize=112] [batch=8] [iterations=5]}.
 */
public final class OnnxBridgeBench {

    static {
        io.streamtune.runtime.DjlOffline.enforce();
    }

    private OnnxBridgeBench() {}

    public static void main(String[] args) throws Exception {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 112;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int iterations = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Shape input = new Shape(batch, 3, size, size);

        OnnxGraph resnet =
                ReferenceNets.resnet18(size, 1000, ReferenceNets.BatchNormStyle.UNFOLDED, 1);
        OnnxBlock imported = new OnnxBlock(BridgeReader.read(OnnxWriter.toBytes(resnet)));
        double[][] times =
                time(
                        List.of(imported, nativeResnet18(1000)),
                        new Shape[] {input},
                        1000,
                        iterations);
        double[] onnx = times[0];
        double[] nativeDjl = times[1];
        System.out.printf(
                "ResNet-18 %dx%d batch %d: train step imported %.1f ms, native %.1f ms -> ratio %.2f (target <= 1.3)%n",
                size, size, batch, onnx[0], nativeDjl[0], onnx[0] / nativeDjl[0]);
        System.out.printf(
                "ResNet-18 %dx%d batch %d: forward imported %.1f ms, native %.1f ms -> ratio %.2f (target <= 1.2)%n",
                size, size, batch, onnx[1], nativeDjl[1], onnx[1] / nativeDjl[1]);

        importHeap();
        prefixCache(size, batch);
    }

    /** A model under test: a trainer on fixed random data, timed one step at a time. */
    private static final class Bench implements AutoCloseable {
        private final Model model;
        private final Trainer trainer;
        private final Block block;
        private final NDList x;
        private final NDArray y;
        private long trainNanos;
        private long forwardNanos;

        Bench(Block block, Shape[] inputs, int classes) {
            this.block = block;
            this.model = Model.newInstance("bench");
            model.setBlock(block);
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                            .optOptimizer(
                                    Optimizer.sgd()
                                            .setLearningRateTracker(Tracker.fixed(0.001f))
                                            .build());
            this.trainer = model.newTrainer(config);
            trainer.initialize(inputs);
            NDManager m = trainer.getManager();
            x = new NDList();
            for (Shape s : inputs) {
                x.add(m.randomNormal(s));
            }
            y =
                    m.randomInteger(
                                    0,
                                    classes,
                                    new Shape(inputs[0].get(0)),
                                    ai.djl.ndarray.types.DataType.INT64)
                            .toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
        }

        void trainStep(boolean measure) {
            long t0 = System.nanoTime();
            try (GradientCollector gc = trainer.newGradientCollector()) {
                gc.backward(trainer.getLoss().evaluate(new NDList(y), trainer.forward(x)));
            }
            trainer.step();
            if (measure) {
                trainNanos += System.nanoTime() - t0;
            }
        }

        void forward(boolean measure) {
            long t0 = System.nanoTime();
            try (NDManager step = trainer.getManager().newSubManager()) {
                block.forward(new ParameterStore(step, false), x, false).head().toFloatArray();
            }
            if (measure) {
                forwardNanos += System.nanoTime() - t0;
            }
        }

        @Override
        public void close() {
            trainer.close();
            model.close();
        }
    }

    /**
     * Mean milliseconds of {training step, inference forward} for each block; steps of the blocks
     * are interleaved so that load from other processes hits them alike.
     */
    private static double[][] time(
            List<Block> blocks, Shape[] inputs, int classes, int iterations) {
        List<Bench> benches = new java.util.ArrayList<>();
        try {
            for (Block b : blocks) {
                benches.add(new Bench(b, inputs, classes));
            }
            for (int i = 0; i < iterations + 2; i++) {
                for (Bench b : benches) {
                    b.trainStep(i >= 2);
                }
            }
            for (int i = 0; i < iterations + 2; i++) {
                for (Bench b : benches) {
                    b.forward(i >= 2);
                }
            }
            double[][] result = new double[benches.size()][];
            for (int i = 0; i < result.length; i++) {
                result[i] =
                        new double[] {
                            benches.get(i).trainNanos / 1e6 / iterations,
                            benches.get(i).forwardNanos / 1e6 / iterations
                        };
            }
            return result;
        } finally {
            benches.forEach(Bench::close);
        }
    }

    /** torchvision's ResNet-18 from DJL's native blocks. */
    static Block nativeResnet18(int classes) {
        SequentialBlock net =
                new SequentialBlock()
                        .add(conv(64, 7, 2, 3))
                        .add(BatchNorm.builder().build())
                        .add(Activation::relu)
                        .add(
                                Pool.maxPool2dBlock(
                                        new Shape(3, 3), new Shape(2, 2), new Shape(1, 1)));
        int ch = 64;
        int[] widths = {64, 128, 256, 512};
        for (int stage = 0; stage < 4; stage++) {
            for (int b = 0; b < 2; b++) {
                int stride = stage > 0 && b == 0 ? 2 : 1;
                int out = widths[stage];
                SequentialBlock main =
                        new SequentialBlock()
                                .add(conv(out, 3, stride, 1))
                                .add(BatchNorm.builder().build())
                                .add(Activation::relu)
                                .add(conv(out, 3, 1, 1))
                                .add(BatchNorm.builder().build());
                Block shortcut =
                        stride != 1 || ch != out
                                ? new SequentialBlock()
                                        .add(conv(out, 1, stride, 0))
                                        .add(BatchNorm.builder().build())
                                : Blocks.identityBlock();
                net.add(
                        new ParallelBlock(
                                l ->
                                        new NDList(
                                                l.get(0)
                                                        .singletonOrThrow()
                                                        .add(l.get(1).singletonOrThrow())
                                                        .getNDArrayInternal()
                                                        .relu()),
                                Arrays.asList(main, shortcut)));
                ch = out;
            }
        }
        return net.add(Pool.globalAvgPool2dBlock())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(classes).build());
    }

    private static Block conv(int filters, int k, int stride, int pad) {
        return Conv2d.builder()
                .setFilters(filters)
                .setKernelShape(new Shape(k, k))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(pad, pad))
                .optBias(false)
                .build();
    }

    /** Peak heap while reading a ~100 MB model, relative to the file size. */
    private static void importHeap() throws Exception {
        GraphBuilder b =
                GraphBuilder.newGraph(
                        "big",
                        new TensorInfo("input", ElementType.FLOAT, new long[] {-1, 512, 8, 8}),
                        3);
        String x = "input";
        for (int i = 0; i < 11; i++) {
            x = b.relu(b.conv(x, 512, 512, 3, 1, 1, 1, true));
        }
        Path file = Files.createTempFile("streamtune-big", ".onnx");
        try {
            OnnxWriter.write(b.build(x), file);
            long size = Files.size(file);
            List<MemoryPoolMXBean> heap =
                    ManagementFactory.getMemoryPoolMXBeans().stream()
                            .filter(p -> p.getType() == MemoryType.HEAP)
                            .toList();
            System.gc();
            long before = heap.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
            heap.forEach(MemoryPoolMXBean::resetPeakUsage);
            OnnxGraph g = BridgeReader.read(file);
            long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
            System.out.printf(
                    "import of a %.1f MB model: peak heap +%.1f MB -> %.2fx its size (target <= 3x); %d initializers%n",
                    size / 1e6,
                    (peak - before) / 1e6,
                    (peak - before) / (double) size,
                    g.initializers().size());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Epoch cost of training only the suffix on cached prefix outputs vs the whole graph. */
    private static void prefixCache(int size, int batch) throws Exception {
        OnnxGraph net = ReferenceNets.resnet18(size, 10, ReferenceNets.BatchNormStyle.FOLDED, 2);
        String feature = GraphCut.classifierInput(net);
        OnnxGraph backbone = GraphCut.cutAt(net, feature);
        OnnxGraph model = Heads.classifier(backbone, feature, 512, 5, false, 1);
        FreezePlan plan = FreezePlan.allButLastBlocks(backbone, 1);
        PrefixSplit split = PrefixSplit.beforeFirstTrainable(model, plan.frozenInitializers());
        float[] pixels = new float[batch * 3 * size * size];
        Random r = new Random(1);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) r.nextGaussian();
        }
        OnnxTensor images = OnnxTensor.ofFloats("input", new long[] {batch, 3, size, size}, pixels);
        long t0 = System.nanoTime();
        List<OnnxTensor> cached;
        try (PrefixRunner ort = PrefixRunner.onnxRuntime(split, 2)) {
            cached = PrefixRunner.cacheAll(ort, images, batch);
        }
        double cacheMs = (System.nanoTime() - t0) / 1e6;
        Shape[] suffixShapes = cached.stream().map(t -> new Shape(t.shape())).toArray(Shape[]::new);
        double full =
                time(
                        List.of(new OnnxBlock(model)),
                        new Shape[] {new Shape(batch, 3, size, size)},
                        5,
                        3)[0][0];
        double suffix = time(List.of(new OnnxBlock(split.suffix())), suffixShapes, 5, 3)[0][0];
        System.out.printf(
                "frozen prefix (%d of %d nodes): caching %d images once %.1f ms; train step full graph %.1f ms, "
                        + "suffix on cache %.1f ms -> %.1fx faster epochs%n",
                split.prefix().nodes().size(),
                model.nodes().size(),
                batch,
                cacheMs,
                full,
                suffix,
                full / suffix);
    }
}
