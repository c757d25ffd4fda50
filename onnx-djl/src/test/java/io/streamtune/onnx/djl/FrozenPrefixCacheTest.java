package io.streamtune.onnx.djl;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.streamtune.onnx.djl.graft.FreezePlan;
import io.streamtune.onnx.djl.graft.GraphCut;
import io.streamtune.onnx.djl.graft.Heads;
import io.streamtune.onnx.djl.graft.PrefixRunner;
import io.streamtune.onnx.djl.graft.PrefixSplit;
import io.streamtune.onnx.djl.nets.ReferenceNets;
import io.streamtune.onnx.djl.nets.ReferenceNets.BatchNormStyle;
import io.streamtune.onnx.djl.ops.Nd;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxTensor;
import io.streamtune.onnx.ir.OnnxWriter;
import io.streamtune.onnx.ort.OrtRunner;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrozenPrefixCacheTest {

    private static final int SIZE = 64;

    @Test
    void shouldTrainTheSuffixOnCachedPrefixOutputsAndMergeBackWithTheFrozenPrefixUntouched()
            throws Exception {
        OnnxGraph net = ReferenceNets.resnet18(SIZE, 10, BatchNormStyle.UNFOLDED, 31);
        String feature = GraphCut.classifierInput(net);
        OnnxGraph backbone = GraphCut.cutAt(net, feature);
        OnnxGraph model = Heads.classifier(backbone, feature, 512, 5, false, 2);
        FreezePlan plan = FreezePlan.allButLastBlocks(backbone, 1);
        PrefixSplit split = PrefixSplit.beforeFirstTrainable(model, plan.frozenInitializers());
        OnnxTensor images = OnnxFixtures.random(new Random(12), "input", 8, 3, SIZE, SIZE);

        List<OnnxTensor> viaOrt;
        List<OnnxTensor> viaDjl;
        try (PrefixRunner ort = PrefixRunner.onnxRuntime(split, 2);
                PrefixRunner djl = PrefixRunner.djl(split)) {
            viaOrt = PrefixRunner.cacheAll(ort, images, 4);
            viaDjl = PrefixRunner.cacheAll(djl, images, 4);
        }
        OnnxBlock suffix = new OnnxBlock(split.suffix());
        OnnxGraph trainedSuffix;
        try (Model m = trainOnCache(suffix, viaDjl)) {
            trainedSuffix = suffix.toGraph();
        }
        OnnxGraph merged = split.merge(trainedSuffix);

        assertThat(split.boundary()).isNotEmpty();
        assertThat(split.prefix().nodes().size()).isGreaterThan(split.suffix().nodes().size());
        for (int i = 0; i < viaOrt.size(); i++) {
            assertThat(OnnxFixtures.maxAbsDiff(viaOrt.get(i), viaDjl.get(i)))
                    .isLessThanOrEqualTo(1e-4);
        }
        for (String name : split.prefix().initializers().keySet()) {
            assertThat(merged.initializers().get(name).floats())
                    .as(name)
                    .isEqualTo(model.initializers().get(name).floats());
        }
        assertThat(merged.nodes()).hasSameSizeAs(model.nodes());
        OnnxTensor one = OnnxFixtures.random(new Random(13), "input", 2, 3, SIZE, SIZE);
        OnnxTensor djl =
                OnnxFixtures.runDjl(merged, Map.of("input", one)).values().iterator().next();
        try (OrtRunner ort = new OrtRunner(OnnxWriter.toBytes(merged), 2)) {
            OnnxTensor out = ort.run(Map.of("input", one)).values().iterator().next();
            assertThat(OnnxFixtures.maxAbsDiff(out, djl)).isLessThanOrEqualTo(1e-4);
            OnnxTensor untrained =
                    OnnxFixtures.runDjl(model, Map.of("input", one)).values().iterator().next();
            assertThat(OnnxFixtures.maxAbsDiff(out, untrained))
                    .as("suffix training changed the outputs")
                    .isGreaterThan(1e-4);
        }
    }

    private static Model trainOnCache(OnnxBlock suffix, List<OnnxTensor> cached) {
        Model model = Model.newInstance("suffix");
        model.setBlock(suffix);
        DefaultTrainingConfig config =
                new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                        .optOptimizer(
                                Optimizer.sgd()
                                        .setLearningRateTracker(Tracker.fixed(0.05f))
                                        .build());
        try (Trainer trainer = model.newTrainer(config)) {
            NDManager m = trainer.getManager();
            Shape[] shapes =
                    cached.stream()
                            .map(
                                    t -> {
                                        long[] s = t.shape().clone();
                                        s[0] = 4;
                                        return new Shape(s);
                                    })
                            .toArray(Shape[]::new);
            trainer.initialize(shapes);
            Random r = new Random(1);
            for (int epoch = 0; epoch < 2; epoch++) {
                for (int start = 0; start < 8; start += 4) {
                    try (NDManager batch = m.newSubManager()) {
                        NDList in = new NDList();
                        for (OnnxTensor t : cached) {
                            NDArray all = Nd.toNd(batch, t);
                            in.add(Nd.slice(all, 0, start, start + 4));
                        }
                        NDArray labels =
                                batch.create(
                                        new float[] {
                                            r.nextInt(5), r.nextInt(5), r.nextInt(5), r.nextInt(5)
                                        });
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            gc.backward(
                                    trainer.getLoss()
                                            .evaluate(new NDList(labels), trainer.forward(in)));
                        }
                        trainer.step();
                    }
                }
            }
        }
        return model;
    }
}
