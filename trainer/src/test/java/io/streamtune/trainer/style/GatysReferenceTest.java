package io.streamtune.trainer.style;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamtune.vision.image.RgbImage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The optimisation-based reference lowers the same loss the feed-forward model is trained on. */
class GatysReferenceTest {

    @Test
    void optimisingTheImageLowersItsPerceptualLoss() throws Exception {
        PerceptualNet net = StyleTrainerTest.perceptual();
        PerceptualLoss loss = new PerceptualLoss(1.0, 0.5, 0.05, net.layerAt(4));
        List<RgbImage> styles = List.of(StyleTrainerTest.stripes(StyleTrainerTest.SIZE));
        RgbImage content = StyleTrainerTest.contents(1, 40).get(0);
        try (StyleEvaluator eval =
                new StyleEvaluator(net, loss, styles, StyleTrainerTest.SIZE, 1)) {
            GatysReference.Result r =
                    GatysReference.optimize(
                            eval, net, loss, content, StyleTrainerTest.SIZE, 30, 0.1);
            assertTrue(
                    r.terms().total() < 0.8 * r.start().total(),
                    "loss " + r.start().total() + " -> " + r.terms().total());
            assertTrue(r.terms().style() < r.start().style());
        }
    }
}
