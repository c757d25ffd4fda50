package io.streamtune.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamtune.onnx.djl.graft.FreezePlan;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxNode;
import io.streamtune.onnx.ir.OnnxTensor;
import io.streamtune.trainer.TrainerFixtures;
import io.streamtune.trainer.pretrain.Pretrainer;
import io.streamtune.trainer.task.Backbone;
import io.streamtune.trainer.task.ClassificationHead;
import io.streamtune.trainer.task.Example;
import io.streamtune.trainer.task.ExampleSet;
import io.streamtune.trainer.task.Examples;
import io.streamtune.trainer.task.HeadedGraph;
import io.streamtune.vision.preprocess.Preprocessor;
import io.streamtune.vision.synth.Scene;
import io.streamtune.vision.synth.SyntheticScenes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Phase 2 runs the frozen prefix in ONNX Runtime and trains only the rest in DJL (per batch with
 * augmentation, on cached prefix outputs without): the graph it returns must be the whole network
 * again, with the frozen blocks bit for bit as they started and its reported score its own.
 */
class PhaseTwoSplitTest {

    @ParameterizedTest(name = "augmentation {0}")
    @ValueSource(booleans = {false, true})
    void returnsTheWholeGraphWithTheFrozenBlocksUntouched(boolean augment) throws Exception {
        int size = TrainerFixtures.SIZE;
        Preprocessor pre = new Preprocessor(Pretrainer.preprocess(size));
        List<Example> train = new ArrayList<>();
        List<Example> val = new ArrayList<>();
        for (int i = 0; i < 90; i++) {
            Scene s = SyntheticScenes.single(5000 + i, 40, 40);
            (i < 60 ? train : val)
                    .add(Examples.classification(pre, s.image(), s.dominantShape().classId()));
        }
        ClassificationHead head = new ClassificationHead(0);
        HeadedGraph start = head.attach(Backbone.of(TrainerFixtures.backbone(), size), 3, 5);
        Schedule schedule =
                Schedule.defaults()
                        .withEpochs(2, 3)
                        .withAugmentation(augment ? Augmentation.defaults() : Augmentation.none());
        FineTuner tuner = new FineTuner(head, 3, schedule, ProgressListener.NONE, 1);
        ExampleSet valSet = new ExampleSet(size, size, val);

        FineTuner.Result result = tuner.run(start, new ExampleSet(size, size, train), valSet);

        OnnxGraph before = start.graph();
        OnnxGraph after = result.graph();
        assertThat(after.nodes().stream().map(OnnxNode::name).toList())
                .isEqualTo(before.nodes().stream().map(OnnxNode::name).toList());
        assertThat(after.outputs()).isEqualTo(before.outputs());
        assertThat(after.initializers().keySet()).isEqualTo(before.initializers().keySet());
        Set<String> frozen =
                FreezePlan.allButLastBlocks(start.backbone(), schedule.unfreezeBlocks())
                        .frozenInitializers();
        assertThat(frozen).isNotEmpty();
        for (String name : frozen) {
            assertThat(same(before.initializers().get(name), after.initializers().get(name)))
                    .as("frozen initializer %s", name)
                    .isTrue();
        }
        assertThat(result.fineTuneEpochs()).isPositive();
        assertThat(tuner.validate(after, valSet)).isCloseTo(result.metric(), within(1e-9));
        if (result.metric() > result.headMetric()) {
            // the kept graph came out of phase 2, which trains the last blocks
            Set<String> unfrozen = new HashSet<>(start.backboneInitializers());
            unfrozen.removeAll(frozen);
            assertThat(
                            unfrozen.stream()
                                    .anyMatch(
                                            n ->
                                                    !same(
                                                            before.initializers().get(n),
                                                            after.initializers().get(n))))
                    .as("some unfrozen backbone weight changed")
                    .isTrue();
        }
    }

    private static boolean same(OnnxTensor a, OnnxTensor b) {
        return Arrays.equals(a.shape(), b.shape())
                && Arrays.equals(a.floats(), b.floats())
                && Arrays.equals(a.longs(), b.longs());
    }
}
