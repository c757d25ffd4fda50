package io.streamtune.onnx.djl;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.streamtune.onnx.djl.graft.BlockPartition;
import io.streamtune.onnx.djl.graft.FreezePlan;
import io.streamtune.onnx.djl.graft.GraphCut;
import io.streamtune.onnx.djl.graft.Heads;
import io.streamtune.onnx.djl.graft.ParameterGroupOptimizer;
import io.streamtune.onnx.djl.nets.ReferenceNets;
import io.streamtune.onnx.djl.nets.ReferenceNets.BatchNormStyle;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxNode;
import io.streamtune.onnx.ir.OnnxTensor;
import io.streamtune.onnx.ir.OnnxWriter;
import io.streamtune.onnx.ort.OrtRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FineTuningTest {

    private static final int SIZE = 64;
    private static final Shape BATCH = new Shape(4, 3, SIZE, SIZE);

    @TempDir Path dir;

    @Test
    void shouldFineTuneAResNet18IntoAFiveClassModelWithFrozenLayersUntouched() throws Exception {
        Path source = dir.resolve("resnet18.onnx");
        OnnxWriter.write(ReferenceNets.resnet18(SIZE, 1000, BatchNormStyle.FOLDED, 21), source);
        OnnxGraph imported = BridgeReader.read(source);
        String feature = GraphCut.classifierInput(imported);
        OnnxGraph backbone = GraphCut.cutAt(imported, feature);
        OnnxGraph model =
                Heads.classifier(backbone, feature, 512, 5, false, 5)
                        .withMetadata(Map.of("task", "classification", "classes", "a,b,c,d,e"));
        FreezePlan plan = FreezePlan.allButLastBlocks(backbone, 2);
        OnnxBlock block = new OnnxBlock(model);
        Map<String, float[]> before = new HashMap<>();
        model.initializers().forEach((k, v) -> before.put(k, v.floats()));

        Path exported = dir.resolve("finetuned.onnx");
        OnnxTensor image = OnnxFixtures.random(new Random(3), "input", 2, 3, SIZE, SIZE);
        OnnxTensor djl;
        try (Model m = OnnxFixtures.train(block, BATCH, 5, 3, 0.01f, plan, 99)) {
            OnnxWriter.write(block.toGraph(), exported);
            djl = OnnxFixtures.forward(block, image);
        }

        OnnxGraph trained = BridgeReader.read(exported);
        assertThat(plan.frozenInitializers()).isNotEmpty();
        for (String frozen : plan.frozenInitializers()) {
            assertThat(trained.initializers().get(frozen).floats())
                    .as(frozen)
                    .isEqualTo(before.get(frozen));
        }
        long changed =
                trained.initializers().keySet().stream()
                        .filter(k -> !plan.frozenInitializers().contains(k))
                        .filter(
                                k ->
                                        !java.util.Arrays.equals(
                                                trained.initializers().get(k).floats(),
                                                before.get(k)))
                        .count();
        assertThat(changed).as("trainable parameters that moved").isGreaterThan(4);
        assertThat(trained.metadata()).containsEntry("task", "classification");
        try (OrtRunner ort = new OrtRunner(Files.readAllBytes(exported), 2)) {
            OnnxTensor out = ort.run(Map.of("input", image)).values().iterator().next();
            assertThat(out.shape()).containsExactly(2, 5);
            assertThat(OnnxFixtures.maxAbsDiff(out, djl)).isLessThanOrEqualTo(1e-4);
        }
    }

    @Test
    void shouldHoldFrozenLayersInPhaseOneAndTrainThemAtTheLowerRateAfterUnfreezing()
            throws Exception {
        OnnxGraph imported = ReferenceNets.resnet18(SIZE, 10, BatchNormStyle.UNFOLDED, 22);
        String feature = GraphCut.classifierInput(imported);
        OnnxGraph backbone = GraphCut.cutAt(imported, feature);
        OnnxGraph model = Heads.classifier(backbone, feature, 512, 3, false, 6);
        FreezePlan plan = FreezePlan.allButLastBlocks(backbone, 1);
        OnnxBlock block = new OnnxBlock(model);
        Optimizer head = Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.01f)).build();
        Optimizer backboneRate =
                Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.0f)).build();
        Map<String, float[]> initial = OnnxFixtures.snapshotOf(model);
        String frozenConv =
                plan.frozenInitializers().stream()
                        .filter(k -> model.initializers().get(k).shape().length == 4)
                        .findFirst()
                        .orElseThrow();
        String frozenMean =
                block.parametersByTensor().entrySet().stream()
                        .filter(
                                e ->
                                        e.getValue().getType()
                                                == ai.djl.nn.Parameter.Type.RUNNING_MEAN)
                        .filter(e -> plan.frozenInitializers().contains(e.getKey()))
                        .map(Map.Entry::getKey)
                        .findFirst()
                        .orElseThrow();

        Map<String, float[]> afterPhaseOne;
        Map<String, float[]> afterPhaseTwo;
        try (Model m = Model.newInstance("two-phase")) {
            m.setBlock(block);
            ai.djl.training.DefaultTrainingConfig config =
                    new ai.djl.training.DefaultTrainingConfig(
                                    ai.djl.training.loss.Loss.softmaxCrossEntropyLoss())
                            .optOptimizer(
                                    new ParameterGroupOptimizer(
                                            head, backboneRate, plan.parameterIds(block)));
            try (ai.djl.training.Trainer trainer = m.newTrainer(config)) {
                trainer.initialize(BATCH);
                plan.apply(block);
                steps(trainer, 2, 1);
                afterPhaseOne = OnnxFixtures.snapshot(block);
                block.freezeParameters(false);
                steps(trainer, 2, 2);
                afterPhaseTwo = OnnxFixtures.snapshot(block);
            }
        }

        assertThat(afterPhaseOne.get(frozenConv)).isEqualTo(initial.get(frozenConv));
        assertThat(afterPhaseOne.get(frozenMean))
                .as("frozen BatchNorm keeps its running mean")
                .isEqualTo(initial.get(frozenMean));
        assertThat(afterPhaseTwo.get(frozenMean))
                .as("unfrozen BatchNorm updates its running mean")
                .isNotEqualTo(initial.get(frozenMean));
        assertThat(afterPhaseTwo.get(frozenConv))
                .as("learning rate 0 for the unfrozen backbone group")
                .isEqualTo(initial.get(frozenConv));
        assertThat(block.parametersByTensor().values())
                .filteredOn(OnnxBlock::isRunningStatistic)
                .isNotEmpty()
                .allSatisfy(p -> assertThat(p.requiresGradient()).isFalse());
        assertThat(block.parametersByTensor().get(frozenConv).requiresGradient()).isTrue();
        assertThat(afterPhaseTwo.keySet())
                .filteredOn(k -> k.startsWith("head/"))
                .anySatisfy(
                        k -> assertThat(afterPhaseTwo.get(k)).isNotEqualTo(afterPhaseOne.get(k)));
    }

    private static void steps(ai.djl.training.Trainer trainer, int steps, long seed) {
        Random r = new Random(seed);
        for (int i = 0; i < steps; i++) {
            try (ai.djl.ndarray.NDManager batch = trainer.getManager().newSubManager()) {
                ai.djl.ndarray.NDArray x = batch.randomNormal(BATCH);
                ai.djl.ndarray.NDArray y =
                        batch.create(
                                new float[] {
                                    r.nextInt(3), r.nextInt(3), r.nextInt(3), r.nextInt(3)
                                });
                try (ai.djl.training.GradientCollector gc = trainer.newGradientCollector()) {
                    gc.backward(
                            trainer.getLoss()
                                    .evaluate(
                                            new ai.djl.ndarray.NDList(y),
                                            trainer.forward(new ai.djl.ndarray.NDList(x))));
                }
                trainer.step();
            }
        }
    }

    @Test
    void shouldEndResidualBlocksAtEachResidualAdd() {
        OnnxGraph resnet = ReferenceNets.resnet18(SIZE, 10, BatchNormStyle.FOLDED, 1);

        List<BlockPartition.Block> blocks = BlockPartition.of(resnet);

        // stem + first basic block, seven more basic blocks, then the pooling/classifier tail
        assertThat(blocks).hasSize(9);
        OnnxNode lastOfFirst =
                resnet.node(blocks.get(0).nodes().get(blocks.get(0).nodes().size() - 1));
        assertThat(lastOfFirst.opType()).isEqualTo("Relu");
        assertThat(resnet.producer(lastOfFirst.input(0)).opType()).isEqualTo("Add");
        assertThat(blocks).allSatisfy(b -> assertThat(b.initializers()).isNotEmpty());
        List<BlockPartition.Block> backboneBlocks =
                BlockPartition.of(GraphCut.cutAt(resnet, GraphCut.classifierInput(resnet)));
        assertThat(backboneBlocks).hasSize(8);
        assertThat(backboneBlocks.get(7).nodes())
                .extracting(n -> resnet.node(n).opType())
                .contains("GlobalAveragePool", "Flatten");
    }

    @Test
    void shouldFindDenseFeatureMapsAtStrides8And16And32() {
        OnnxGraph resnet = ReferenceNets.resnet18(SIZE, 10, BatchNormStyle.FOLDED, 1);
        Shape input = new Shape(1, 3, SIZE, SIZE);

        String deepest = GraphCut.deepestFeatureMap(resnet, input);
        Map<Integer, String> pyramid = GraphCut.featureMapsAtStrides(resnet, input, 8, 16, 32);
        Map<String, Shape> shapes = GraphCut.shapes(resnet, input);

        assertThat(shapes.get(deepest)).isEqualTo(new Shape(1, 512, 2, 2));
        assertThat(pyramid.get(32)).isEqualTo(deepest);
        assertThat(shapes.get(pyramid.get(8))).isEqualTo(new Shape(1, 128, 8, 8));
        assertThat(shapes.get(pyramid.get(16))).isEqualTo(new Shape(1, 256, 4, 4));
    }

    @Test
    void shouldTrainAConvSegmentationHeadOnTheDeepestFeatureMap() throws Exception {
        OnnxGraph mobilenet = ReferenceNets.mobilenetV2(SIZE, 10, BatchNormStyle.FOLDED, 9);
        String feature = GraphCut.deepestFeatureMap(mobilenet, new Shape(1, 3, SIZE, SIZE));
        OnnxGraph model =
                Heads.convHead(GraphCut.cutAt(mobilenet, feature), feature, 1280, 32, 4, 3);
        OnnxBlock block = new OnnxBlock(model);
        OnnxTensor image = OnnxFixtures.random(new Random(4), "input", 1, 3, SIZE, SIZE);

        OnnxTensor djl;
        byte[] exported;
        Map<String, float[]> before = OnnxFixtures.snapshotOf(model);
        FreezePlan plan = FreezePlan.allButLastBlocks(GraphCut.cutAt(mobilenet, feature), 0);
        try (Model m =
                OnnxFixtures.train(
                        block,
                        new Shape(2, 3, SIZE, SIZE),
                        ai.djl.training.loss.Loss.l2Loss(),
                        new Shape(2, 4, 2, 2),
                        4,
                        1,
                        Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.01f)).build(),
                        plan,
                        1)) {
            Map<String, float[]> after = OnnxFixtures.snapshot(block);
            assertThat(plan.frozenInitializers())
                    .filteredOn(after::containsKey)
                    .isNotEmpty()
                    .allSatisfy(k -> assertThat(after.get(k)).isEqualTo(before.get(k)));
            assertThat(after.keySet())
                    .filteredOn(k -> k.startsWith("head/"))
                    .anySatisfy(k -> assertThat(after.get(k)).isNotEqualTo(before.get(k)));
            exported = OnnxWriter.toBytes(block.toGraph());
            djl = OnnxFixtures.forward(block, image);
        }

        assertThat(djl.shape()).containsExactly(1, 4, 2, 2);
        try (OrtRunner ort = new OrtRunner(exported, 2)) {
            assertThat(
                            OnnxFixtures.maxAbsDiff(
                                    ort.run(Map.of("input", image)).values().iterator().next(),
                                    djl))
                    .isLessThanOrEqualTo(1e-4);
        }
    }
}
