package io.streamtune.vision.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamtune.vision.mask.LabelMap;
import org.junit.jupiter.api.Test;

class SegmentationEvaluatorTest {

    @Test
    void shouldComputeMeanIouIgnoringPixelsMarked255() {
        // Counted pixels (truth -> predicted): 0->0, 0->0, 0->1, 1->1, 1->1, 2->1; three pixels
        // ignored
        // even though their predictions are wrong.
        int[] truth = {0, 0, 0, 1, 1, 2, 255, 255, 255};
        int[] predicted = {0, 0, 1, 1, 1, 1, 2, 2, 0};
        SegmentationEvaluator evaluator = new SegmentationEvaluator(3);

        evaluator.add(truth, predicted);
        SegmentationReport report = evaluator.report();

        // IoU 0 = 2 / 3; IoU 1 = 2 / (2 + 4 - 2) = 1/2; IoU 2 = 0 / (1 + 0 - 0) = 0.
        assertThat(report.iouPerClass()).containsExactly(2.0 / 3, 0.5, 0.0);
        assertThat(report.meanIoU()).isCloseTo((2.0 / 3 + 0.5) / 3, within(1e-12));
        assertThat(report.pixelAccuracy()).isCloseTo(4.0 / 6, within(1e-12));
        assertThat(report.pixels()).isEqualTo(6);
    }

    @Test
    void shouldLeaveClassesAbsentFromTruthAndPredictionOutOfTheMean() {
        SegmentationEvaluator evaluator = new SegmentationEvaluator(4);

        evaluator.add(new int[] {0, 1, 1}, new int[] {0, 1, 1});
        evaluator.add(new int[] {1, 255}, new int[] {1, 3});
        SegmentationReport report = evaluator.report();

        assertThat(report.meanIoU()).isEqualTo(1.0);
        assertThat(report.iouPerClass().get(2)).isNaN();
        assertThat(report.iouPerClass().get(3)).isNaN();
    }

    @Test
    void shouldRefuseLabelMapsOfDifferentSizes() {
        SegmentationEvaluator evaluator = new SegmentationEvaluator(2);
        LabelMap truth = new LabelMap(2, 1, new int[] {0, 1});
        LabelMap transposed = new LabelMap(1, 2, new int[] {0, 1});

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> evaluator.add(truth, transposed))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2x1");
    }
}
