package io.streamtune.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamtune.contracts.Task;
import io.streamtune.trainer.TrainerFixtures;
import io.streamtune.trainer.evaluate.EvalSample;
import io.streamtune.trainer.evaluate.Evaluation;
import io.streamtune.trainer.pretrain.Pretrainer;
import io.streamtune.trainer.task.Backbone;
import io.streamtune.trainer.task.Example;
import io.streamtune.trainer.task.ExampleSet;
import io.streamtune.trainer.task.Examples;
import io.streamtune.trainer.task.HeadedGraph;
import io.streamtune.trainer.task.SegmentationHead;
import io.streamtune.vision.preprocess.Preprocessor;
import io.streamtune.vision.synth.Scene;
import io.streamtune.vision.synth.ShapeKind;
import io.streamtune.vision.synth.SyntheticScenes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentationFineTuneTest {

    @Test
    void shouldReachMeanIouOfPointEightOnGeneratedScenesMeasuredOnTheExportedOnnx()
            throws Exception {
        int size = TrainerFixtures.SIZE;
        Preprocessor pre = new Preprocessor(Pretrainer.preprocess(size));
        List<Example> train = new ArrayList<>();
        List<Example> val = new ArrayList<>();
        List<EvalSample> eval = new ArrayList<>();
        for (int i = 0; i < 480; i++) {
            Scene s = SyntheticScenes.generate(7000 + i, size, size, 2);
            Example e = Examples.segmentation(pre, s.image(), s.mask());
            if (i < 400) {
                train.add(e);
            } else {
                val.add(e);
                eval.add(new EvalSample(s.image(), -1, s.mask(), List.of()));
            }
        }
        SegmentationHead head = new SegmentationHead(32);
        int classes = ShapeKind.segmentationClassNames().size();
        HeadedGraph start = head.attach(Backbone.of(TrainerFixtures.backbone(), size), classes, 11);
        Schedule schedule =
                Schedule.defaults()
                        .withEpochs(15, 12)
                        .withUnfreezeBlocks(3)
                        .withAugmentation(new Augmentation(true, 1, 0, 0.1));
        long t0 = System.nanoTime();

        FineTuner.Result result =
                new FineTuner(head, classes, schedule, ProgressListener.NONE, 1)
                        .run(
                                start,
                                new ExampleSet(size, size, train),
                                new ExampleSet(size, size, val));
        Evaluation evaluation =
                TrainerFixtures.exportAndEvaluate(
                        head,
                        result.graph(),
                        Task.SEGMENTATION,
                        ShapeKind.segmentationClassNames(),
                        size,
                        eval);

        System.out.printf(
                "segmentation: phase1=%.4f best=%.4f onnx=%s in %.1fs%n",
                result.headMetric(),
                result.metric(),
                evaluation.metrics(),
                (System.nanoTime() - t0) / 1e9);
        assertThat(evaluation.metricName()).isEqualTo("miou");
        assertThat(evaluation.metric()).isGreaterThanOrEqualTo(0.8);
    }
}
