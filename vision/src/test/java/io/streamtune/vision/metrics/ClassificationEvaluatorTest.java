package io.streamtune.vision.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ClassificationEvaluatorTest {

    private static float[] oneHot(int classes, int hot) {
        float[] s = new float[classes];
        s[hot] = 1;
        return s;
    }

    @Test
    void shouldComputeAccuracyPrecisionRecallAndConfusion() {
        // Actual -> predicted: 0->0, 0->0, 0->1, 1->1, 2->1, 2->2.
        ClassificationEvaluator evaluator = new ClassificationEvaluator(3);
        int[][] pairs = {{0, 0}, {0, 0}, {0, 1}, {1, 1}, {2, 1}, {2, 2}};
        for (int[] p : pairs) {
            evaluator.add(p[0], oneHot(3, p[1]));
        }

        ClassificationReport report = evaluator.report();

        assertThat(report.accuracy()).isCloseTo(4.0 / 6, within(1e-12));
        assertThat(report.confusion()[0]).containsExactly(2, 1, 0);
        assertThat(report.confusion()[2]).containsExactly(0, 1, 1);
        ClassStats one = report.perClass().get(1);
        assertThat(one.precision()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(one.recall()).isEqualTo(1.0);
        assertThat(one.f1()).isCloseTo(0.5, within(1e-12));
        assertThat(report.perClass().get(0).recall()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(report.perClass().get(0).support()).isEqualTo(3);
        // F1: class 0 = 0.8, class 1 = 0.5, class 2 = 2/3.
        assertThat(report.macroF1()).isCloseTo((0.8 + 0.5 + 2.0 / 3) / 3, within(1e-12));
    }

    @Test
    void shouldCountTopFiveWhenTheTrueClassIsAmongTheFiveBest() {
        ClassificationEvaluator evaluator = new ClassificationEvaluator(7);
        // True class 6 ranked 5th (hit), then ranked 6th (miss).
        evaluator.add(6, new float[] {0.9f, 0.8f, 0.7f, 0.6f, 0.1f, 0.05f, 0.5f});
        evaluator.add(6, new float[] {0.9f, 0.8f, 0.7f, 0.6f, 0.55f, 0.05f, 0.5f});

        ClassificationReport report = evaluator.report();

        assertThat(report.top5Accuracy()).isEqualTo(0.5);
        assertThat(report.accuracy()).isEqualTo(0.0);
    }
}
