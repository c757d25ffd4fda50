package io.streamtune.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamtune.contracts.Task;
import io.streamtune.trainer.TrainerFixtures;
import io.streamtune.trainer.evaluate.EvalSample;
import io.streamtune.trainer.evaluate.Evaluation;
import io.streamtune.trainer.pretrain.Pretrainer;
import io.streamtune.trainer.task.Backbone;
import io.streamtune.trainer.task.DetectionHead;
import io.streamtune.trainer.task.Example;
import io.streamtune.trainer.task.ExampleSet;
import io.streamtune.trainer.task.Examples;
import io.streamtune.trainer.task.HeadedGraph;
import io.streamtune.vision.metrics.GroundTruthBox;
import io.streamtune.vision.preprocess.Preprocessor;
import io.streamtune.vision.synth.Scene;
import io.streamtune.vision.synth.SceneObject;
import io.streamtune.vision.synth.ShapeKind;
import io.streamtune.vision.synth.SyntheticScenes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DetectionFineTuneTest {

    @Test
    void shouldReachMapAtHalfIouOfPointEightOnGeneratedScenesMeasuredOnTheExportedOnnx()
            throws Exception {
        int size = TrainerFixtures.SIZE;
        Preprocessor pre = new Preprocessor(Pretrainer.preprocess(size));
        List<Example> train = new ArrayList<>();
        List<Example> val = new ArrayList<>();
        List<EvalSample> eval = new ArrayList<>();
        for (int i = 0; i < 480; i++) {
            Scene s = SyntheticScenes.generate(7000 + i, size, size, 2);
            List<double[]> boxes = new ArrayList<>();
            List<GroundTruthBox> truth = new ArrayList<>();
            for (SceneObject o : s.objects()) {
                var b = o.box();
                boxes.add(new double[] {b.x(), b.y(), b.width(), b.height(), o.classId()});
                truth.add(new GroundTruthBox(o.classId(), b));
            }
            Example e = Examples.detection(pre, s.image(), boxes);
            if (i < 400) {
                train.add(e);
            } else {
                val.add(e);
                eval.add(new EvalSample(s.image(), -1, null, truth));
            }
        }
        DetectionHead head = new DetectionHead(32);
        int classes = ShapeKind.classNames().size();
        HeadedGraph start = head.attach(Backbone.of(TrainerFixtures.backbone(), size), classes, 11);
        Schedule schedule =
                new Schedule(25, 12, 32, 3e-3, 0.1, 3, 4, Augmentation.none(), 7L)
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
                        head, result.graph(), Task.DETECTION, ShapeKind.classNames(), size, eval);

        System.out.printf(
                "detection: phase1=%.4f best=%.4f onnx=%s in %.1fs%n",
                result.headMetric(),
                result.metric(),
                evaluation.metrics(),
                (System.nanoTime() - t0) / 1e9);
        assertThat(evaluation.metricName()).isEqualTo("map50_95");
        assertThat(evaluation.metrics().get("map50")).isGreaterThanOrEqualTo(0.8);
    }
}
