package io.streamtune.trainer.style;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamtune.onnx.djl.nets.ReferenceNets;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.trainer.train.ProgressListener;
import io.streamtune.vision.image.RgbImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Style training in a child JVM (oneDNN on SSE4.1 there): progress comes back, the trained graph
 * comes back and its loss fell; a child that fails says why in one message, and nothing is left in
 * the work folder.
 */
class StyleProcessTest {

    @TempDir Path dir;

    private static StyleSettings settings(int steps) {
        return new StyleSettings(
                StyleTrainerTest.SIZE,
                4,
                1,
                steps,
                4,
                3e-3,
                1,
                0.5,
                0.05,
                List.of(2, 4, 8),
                4,
                PerceptualNet.Activations.RAW,
                0,
                true);
    }

    @Test
    void shouldTrainInAChildJvmAndReportProgress() throws Exception {
        OnnxGraph base =
                ReferenceNets.mobilenetV2(
                        StyleTrainerTest.SIZE, 4, ReferenceNets.BatchNormStyle.UNFOLDED, 11);
        List<Integer> steps = new ArrayList<>();
        ProgressListener listener = (phase, step, total, loss, metric, eta) -> steps.add(step);
        Path work = dir.resolve("work");

        StyleTrainer.Result r =
                StyleProcess.train(
                        settings(24),
                        5,
                        1,
                        base,
                        TransformerNet.build(4, 1, 9),
                        List.of(StyleTrainerTest.stripes(StyleTrainerTest.SIZE)),
                        StyleTrainerTest.contents(8, 1),
                        StyleTrainerTest.contents(3, 100),
                        listener,
                        work);

        assertThat(r.steps()).isEqualTo(24);
        assertThat(r.lastLoss()).isLessThan(r.firstLoss());
        assertThat(r.graph()).isNotNull();
        assertThat(steps).isNotEmpty().contains(24);
        assertThat(Files.exists(work)).as("work folder removed").isFalse();
    }

    @Test
    void shouldNameWhyTheChildFailed() {
        OnnxGraph base =
                ReferenceNets.mobilenetV2(
                        StyleTrainerTest.SIZE, 4, ReferenceNets.BatchNormStyle.UNFOLDED, 11);
        // no content to select on: the trainer in the child refuses
        assertThatThrownBy(
                        () ->
                                StyleProcess.train(
                                        settings(2),
                                        5,
                                        1,
                                        base,
                                        TransformerNet.build(4, 1, 9),
                                        List.<RgbImage>of(
                                                StyleTrainerTest.stripes(StyleTrainerTest.SIZE)),
                                        StyleTrainerTest.contents(2, 1),
                                        List.of(),
                                        ProgressListener.NONE,
                                        dir.resolve("bad")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("style training failed: ")
                .hasMessageContaining("need content images to train and to select on");
        assertThat(Files.exists(dir.resolve("bad"))).isFalse();
    }
}
