package io.streamtune.deploy.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamtune.contracts.Box;
import io.streamtune.contracts.Label;
import io.streamtune.contracts.Task;
import io.streamtune.vision.synth.Scene;
import io.streamtune.vision.synth.ShapeKind;
import org.junit.jupiter.api.Test;

/**
 * The demo's labellers answer a generated camera's frame with what the frame shows: each box they
 * give lies in the view and covers pixels of its class in the scene's mask there.
 */
class LabellingDeskTest {

    private static final int SIZE = 96;

    @Test
    void shouldBoxWhatTheViewOfAGeneratedCameraFrameShows() {
        int boxes = 0;
        for (int camera = 0; camera < 2; camera++) {
            for (long frame = 0; frame < 72; frame += 5) {
                var label =
                        LabellingDesk.truth(Task.DETECTION, SIZE, "cam-" + camera + "-" + frame);
                if (label.isEmpty()) {
                    continue;
                }
                Scene scene = DemoTraffic.cameraScene(Task.DETECTION, SIZE, camera, frame);
                int offset = DemoTraffic.cameraOffset(SIZE, frame);
                for (Label.BoxedObject o : ((Label.BoxesLabel) label.get()).objects()) {
                    Box b = o.box();
                    assertThat(b.x()).isGreaterThanOrEqualTo(0);
                    assertThat(b.y()).isGreaterThanOrEqualTo(0);
                    assertThat(b.x() + b.width()).isLessThanOrEqualTo(SIZE);
                    assertThat(b.y() + b.height()).isLessThanOrEqualTo(SIZE);
                    int cls = ShapeKind.classNames().indexOf(o.className()) + 1;
                    assertThat(pixels(scene, offset, b, cls))
                            .as("pixels of %s inside its box in the view", o.className())
                            .isGreaterThan(0);
                    boxes++;
                }
            }
        }
        assertThat(boxes)
                .as("frames of two cameras over three scenes hold objects")
                .isGreaterThan(20);
    }

    @Test
    void shouldNameTheShapeOfAClassificationFrameAndPassOverOtherFrameIds() {
        Scene scene = DemoTraffic.cameraScene(Task.CLASSIFICATION, SIZE, 1, 30);

        assertThat(LabellingDesk.truth(Task.CLASSIFICATION, SIZE, "cam-1-30"))
                .contains(new Label.ClassLabel(scene.dominantShape().className()));
        assertThat(LabellingDesk.truth(Task.CLASSIFICATION, SIZE, "f-1")).isEmpty();
        assertThat(LabellingDesk.truth(Task.CLASSIFICATION, SIZE, "cam-x-3")).isEmpty();
        assertThat(LabellingDesk.truth(Task.CLASSIFICATION, SIZE, "cam-1--3")).isEmpty();
        assertThat(LabellingDesk.truth(Task.SEGMENTATION, SIZE, "cam-1-30")).isEmpty();
        assertThat(LabellingDesk.answers(Task.SEGMENTATION)).isFalse();
    }

    @Test
    void shouldFogAViewToAThirdOfItsContrastWithoutMovingIt() {
        var view =
                new java.awt.image.BufferedImage(32, 32, java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 32; y++) {
            for (int x = 16; x < 32; x++) {
                view.setRGB(x, y, 0xffffff); // black left half, white right half
            }
        }

        var fogged = DemoTraffic.fog(view);

        int dark = fogged.getRGB(4, 16) & 0xff;
        int light = fogged.getRGB(28, 16) & 0xff;
        assertThat(dark).isBetween(80, 90);
        assertThat(light).isBetween(165, 175);
        assertThat(fogged.getRGB(15, 16) & 0xff)
                .as("the edge blurred, in place")
                .isBetween(dark + 1, light - 1);
        assertThat(fogged.getWidth()).isEqualTo(32);
    }

    private static int pixels(Scene scene, int offset, Box b, int cls) {
        int n = 0;
        for (int y = (int) b.y(); y < (int) Math.ceil(b.y() + b.height()); y++) {
            for (int x = (int) b.x(); x < (int) Math.ceil(b.x() + b.width()); x++) {
                if (scene.mask()[y * scene.width() + x + offset] == cls) {
                    n++;
                }
            }
        }
        return n;
    }
}
