package io.streamtune.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.streamtune.contracts.Task;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxTensor;
import io.streamtune.trainer.pretrain.Backbones;
import io.streamtune.trainer.task.Backbone;
import io.streamtune.trainer.task.ClassificationHead;
import io.streamtune.trainer.task.Example;
import io.streamtune.trainer.task.ExampleSet;
import io.streamtune.trainer.task.HeadedGraph;
import io.streamtune.trainer.task.TaskHead;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DivergenceTest {

    @Test
    void shouldAbortARunWhoseLossIsNotFinite() {
        Random r = new Random(1);
        List<Example> train = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            float[] x = new float[3 * 16 * 16];
            for (int j = 0; j < x.length; j++) {
                x[j] = (float) r.nextGaussian();
            }
            train.add(Example.classified(x, i % 2));
        }
        float[] poisoned = new float[3 * 16 * 16];
        Arrays.fill(poisoned, Float.NaN);
        train.set(3, Example.classified(poisoned, 1));
        ClassificationHead head = new ClassificationHead(0);
        var start = head.attach(Backbone.of(Backbones.small(16, 2, 1), 16), 2, 1);
        FineTuner tuner =
                new FineTuner(
                        head, 2, Schedule.defaults().withEpochs(2, 0), ProgressListener.NONE, 1);

        assertThatThrownBy(
                        () ->
                                tuner.run(
                                        start,
                                        new ExampleSet(16, 16, train),
                                        new ExampleSet(16, 16, train.subList(0, 2))))
                .isInstanceOf(DivergedException.class)
                .hasMessageContaining("phase 1 loss");
    }

    /**
     * A pass whose loss comes out NaN once (as PyTorch's CPU convolution now and then does on some
     * machines) is tried again and the run goes on; the retry is counted.
     */
    @Test
    void shouldTryAPassAgainWhenItsLossIsNotFiniteOnceAndFinishTheRun() throws Exception {
        List<Example> train = examples(16, 2);
        AtomicInteger calls = new AtomicInteger();
        ClassificationHead real = new ClassificationHead(0);
        TaskHead flaky = new NaNOnCalls(real, calls, 3, 11);
        HeadedGraph start = flaky.attach(Backbone.of(Backbones.small(16, 2, 1), 16), 2, 1);
        FineTuner tuner =
                new FineTuner(
                        flaky,
                        2,
                        Schedule.defaults().withEpochs(2, 2).withBatchSize(4),
                        ProgressListener.NONE,
                        1);

        FineTuner.Result result =
                tuner.run(
                        start,
                        new ExampleSet(16, 16, train),
                        new ExampleSet(16, 16, train.subList(0, 4)));

        assertThat(result.retriedPasses()).isEqualTo(2);
        assertThat(result.skippedBatches()).isZero();
        assertThat(result.loss()).isFinite();
        assertThat(result.metric()).isFinite();
    }

    /**
     * A batch that is NaN on every try (a poisoned image) is skipped, and the BatchNorm running
     * statistics its forward pass wrote are put back: the published graph stays finite.
     */
    @Test
    void shouldSkipABatchThatIsNeverFiniteAndKeepTheRunningStatisticsFinite() throws Exception {
        List<Example> train = examples(16, 3);
        float[] poisoned = new float[3 * 16 * 16];
        Arrays.fill(poisoned, Float.NaN);
        train.set(5, Example.classified(poisoned, 1));
        ClassificationHead head = new ClassificationHead(0);
        HeadedGraph start = head.attach(Backbone.of(Backbones.small(16, 2, 1), 16), 2, 1);
        Schedule schedule =
                Schedule.defaults()
                        .withEpochs(2, 3)
                        .withBatchSize(4)
                        .withAugmentation(Augmentation.none());
        FineTuner tuner = new FineTuner(head, 2, schedule, ProgressListener.NONE, 1);

        FineTuner.Result result =
                tuner.run(
                        start,
                        new ExampleSet(16, 16, train),
                        new ExampleSet(16, 16, examples(4, 4)));

        assertThat(result.skippedBatches()).isGreaterThanOrEqualTo(2);
        assertThat(result.metric()).isFinite();
        for (OnnxTensor t : result.graph().initializers().values()) {
            if (t.floats() != null) {
                for (float v : t.floats()) {
                    assertThat(v).as(t.name()).isFinite();
                }
            }
        }
    }

    private static List<Example> examples(int n, long seed) {
        Random r = new Random(seed);
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] x = new float[3 * 16 * 16];
            for (int j = 0; j < x.length; j++) {
                x[j] = (float) r.nextGaussian() + (i % 2);
            }
            out.add(Example.classified(x, i % 2));
        }
        return out;
    }

    /** A head whose loss is NaN on the given (1-based) calls, the real loss otherwise. */
    private record NaNOnCalls(TaskHead real, AtomicInteger calls, int... nan) implements TaskHead {
        @Override
        public Task task() {
            return real.task();
        }

        @Override
        public HeadedGraph attach(Backbone backbone, int classes, long seed) {
            return real.attach(backbone, classes, seed);
        }

        @Override
        public NDArray loss(NDManager manager, NDList outputs, List<Example> batch, int classes) {
            NDArray l = real.loss(manager, outputs, batch, classes);
            int call = calls.incrementAndGet();
            return Arrays.stream(nan).anyMatch(c -> c == call) ? l.mul(Float.NaN) : l;
        }

        @Override
        public Scorer scorer(int classes) {
            return real.scorer(classes);
        }

        @Override
        public OnnxGraph export(OnnxGraph trained, int classes) {
            return real.export(trained, classes);
        }
    }
}
