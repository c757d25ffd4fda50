package io.streamtune.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamtune.contracts.Task;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.trainer.TrainerFixtures;
import io.streamtune.trainer.evaluate.EvalSample;
import io.streamtune.trainer.evaluate.Evaluation;
import io.streamtune.trainer.evaluate.Evaluator;
import io.streamtune.trainer.pretrain.Pretrainer;
import io.streamtune.trainer.publish.ModelExport;
import io.streamtune.trainer.task.Backbone;
import io.streamtune.trainer.task.ClassificationHead;
import io.streamtune.trainer.task.Example;
import io.streamtune.trainer.task.ExampleSet;
import io.streamtune.trainer.task.Examples;
import io.streamtune.trainer.task.HeadedGraph;
import io.streamtune.vision.preprocess.Preprocessor;
import io.streamtune.vision.synth.Scene;
import io.streamtune.vision.synth.ShapeKind;
import io.streamtune.vision.synth.SyntheticScenes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClassificationFineTuneTest {

    @Test
    void shouldReachNinetyFivePercentOnGeneratedShapesMeasuredOnTheExportedOnnx() throws Exception {
        int size = TrainerFixtures.SIZE;
        Preprocessor pre = new Preprocessor(Pretrainer.preprocess(size));
        List<Example> train = new ArrayList<>();
        List<Example> val = new ArrayList<>();
        List<EvalSample> eval = new ArrayList<>();
        for (int i = 0; i < 450; i++) {
            Scene s = SyntheticScenes.single(1000 + i, 40, 40);
            int c = s.dominantShape().classId();
            Example e = Examples.classification(pre, s.image(), c);
            if (i < 300) {
                train.add(e);
            } else {
                val.add(e);
                eval.add(new EvalSample(s.image(), c, null, List.of()));
            }
        }
        ClassificationHead head = new ClassificationHead(0.05);
        HeadedGraph start = head.attach(Backbone.of(TrainerFixtures.backbone(), size), 3, 11);
        Schedule schedule = Schedule.defaults().withEpochs(12, 8);
        long t0 = System.nanoTime();

        FineTuner.Result result =
                new FineTuner(head, 3, schedule, ProgressListener.NONE, 1)
                        .run(
                                start,
                                new ExampleSet(size, size, train),
                                new ExampleSet(size, size, val));
        OnnxGraph exported =
                ModelExport.withMetadata(
                        head.export(result.graph(), 3),
                        Task.CLASSIFICATION,
                        ShapeKind.classNames(),
                        Pretrainer.preprocess(size),
                        "shapes",
                        1,
                        null,
                        Map.of(),
                        Instant.EPOCH);
        Evaluation evaluation =
                new Evaluator(2)
                        .evaluate(
                                ModelExport.bytes(exported),
                                "shapes",
                                Task.CLASSIFICATION,
                                3,
                                eval);

        System.out.printf(
                "classification: phase1=%.4f best=%.4f onnx=%s in %.1fs%n",
                result.headMetric(),
                result.metric(),
                evaluation.metrics(),
                (System.nanoTime() - t0) / 1e9);
        assertThat(evaluation.metricName()).isEqualTo("accuracy");
        assertThat(evaluation.metric()).isGreaterThanOrEqualTo(0.95);
        assertThat(evaluation.metric())
                .isCloseTo(result.metric(), org.assertj.core.api.Assertions.within(0.02));
    }
}
