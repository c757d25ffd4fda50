package io.streamtune.trainer.train;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamtune.trainer.pretrain.Backbones;
import io.streamtune.trainer.task.Backbone;
import io.streamtune.trainer.task.ClassificationHead;
import io.streamtune.trainer.task.Example;
import io.streamtune.trainer.task.ExampleSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
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
}
