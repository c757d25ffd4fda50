package io.streamtune.trainer.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamtune.contracts.Box;
import io.streamtune.contracts.DriftReference;
import io.streamtune.vision.decode.ClassScore;
import io.streamtune.vision.decode.Detection;
import io.streamtune.vision.pipeline.Prediction;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gate predictions reduced the way the live stream's are (ingest's drift statistics). */
class DriftReferenceTest {

    @Test
    void shouldReduceClassificationsToTheirTopClassAndConfidence() {
        var r =
                Evaluator.driftReference(
                        List.of(
                                classified("cat", 0.95f),
                                classified("cat", 0.55f),
                                classified("dog", 0.81f),
                                classified("cat", 0.99f)));

        assertThat(r.samples()).isEqualTo(4);
        assertThat(r.classes()).containsEntry("cat", 0.75).containsEntry("dog", 0.25);
        assertThat(r.confidence().get(9)).isEqualTo(0.5);
        assertThat(r.confidence().get(8)).isEqualTo(0.25);
        assertThat(r.confidence().get(5)).isEqualTo(0.25);
        assertThat(r.confidence().stream().mapToDouble(Double::doubleValue).sum())
                .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void shouldTakeTheBestDetectionAtTheServedThresholdOrNone() {
        Box b = new Box(0, 0, 10, 10);
        var r =
                Evaluator.driftReference(
                        List.of(
                                new Prediction.Detected(
                                        List.of(
                                                new Detection(0, "car", 0.4f, b),
                                                new Detection(1, "bus", 0.75f, b))),
                                // below inference's 0.25: inference would emit nothing
                                new Prediction.Detected(List.of(new Detection(0, "car", 0.1f, b))),
                                new Prediction.Detected(List.of())));

        assertThat(r.classes())
                .containsEntry("bus", 1 / 3.0)
                .containsEntry(DriftReference.NONE, 2 / 3.0)
                .doesNotContainKey("car");
        assertThat(r.confidence().get(0)).isEqualTo(2 / 3.0);
        assertThat(r.confidence().get(7)).isEqualTo(1 / 3.0);
    }

    private static Prediction.Classified classified(String label, float p) {
        return new Prediction.Classified(
                List.of(new ClassScore(0, label, p)), new float[] {p, 1 - p});
    }
}
