package io.streamtune.vision.synth;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamtune.contracts.Box;
import io.streamtune.vision.image.RgbImage;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PastedObjectsTest {

    /** A 28x28 item: a bright 14x14 square at (7, 7) on black. */
    private static PastedObjects.Item square(String name) {
        int[] px = new int[28 * 28];
        for (int y = 7; y < 21; y++) {
            for (int x = 7; x < 21; x++) {
                px[y * 28 + x] = 255;
            }
        }
        return new PastedObjects.Item(name, px, 28, 28);
    }

    @Test
    void shouldPasteItemsWithoutOverlapAndBoxTheirVisiblePixels() {
        RgbImage grey = RgbImage.filled(300, 200, 90, 90, 90);
        List<List<PastedObjects.Item>> items = List.of(List.of(square("a")), List.of(square("b")));

        for (int seed = 0; seed < 20; seed++) {
            PastedObjects.Composite c =
                    PastedObjects.compose(new Random(seed), grey, 160, 120, items, 3, 0.2, 0.4);

            assertThat(c.image().width()).isEqualTo(160);
            assertThat(c.objects()).isNotEmpty().hasSizeLessThanOrEqualTo(3);
            for (PastedObjects.Placed p : c.objects()) {
                Box b = p.box();
                assertThat(p.className()).isIn("a", "b");
                assertThat(b.x()).isGreaterThanOrEqualTo(0);
                assertThat(b.x() + b.width()).isLessThanOrEqualTo(160);
                assertThat(b.y() + b.height()).isLessThanOrEqualTo(120);
                // the square is half the item's side, so the tight box is about half the pasted
                // side (24-48 px), and its centre pixel is no longer the background
                assertThat(b.width()).isBetween(10.0, 26.0);
                int cx = (int) (b.x() + b.width() / 2), cy = (int) (b.y() + b.height() / 2);
                assertThat(c.image().get(cx, cy, 0)).isGreaterThan(90 + 10);
                // the mask labels the item's pixels with its class index + 1
                assertThat(c.mask()[cy * 160 + cx]).isEqualTo(p.className().equals("a") ? 1 : 2);
                // outside the box the background is untouched
                int ox = (int) b.x() - 2, oy = (int) b.y() - 2;
                if (ox >= 0 && oy >= 0) {
                    boolean insideAnother =
                            c.objects().stream()
                                    .anyMatch(
                                            o ->
                                                    ox >= o.box().x() - 3
                                                            && ox
                                                                    <= o.box().x()
                                                                            + o.box().width()
                                                                            + 3
                                                            && oy >= o.box().y() - 3
                                                            && oy
                                                                    <= o.box().y()
                                                                            + o.box().height()
                                                                            + 3
                                                            && o != p);
                    if (!insideAnother) {
                        assertThat(c.image().get(ox, oy, 1)).isEqualTo(90);
                    }
                }
                for (PastedObjects.Placed q : c.objects()) {
                    if (q != p) {
                        Box o = q.box();
                        boolean overlap =
                                b.x() < o.x() + o.width()
                                        && o.x() < b.x() + b.width()
                                        && b.y() < o.y() + o.height()
                                        && o.y() < b.y() + b.height();
                        assertThat(overlap).isFalse();
                    }
                }
            }
        }
    }

    @Test
    void shouldComposeTheSameSceneFromTheSameSeed() {
        RgbImage grey = RgbImage.filled(64, 64, 10, 20, 30);
        List<List<PastedObjects.Item>> items = List.of(List.of(square("a")));

        PastedObjects.Composite one =
                PastedObjects.compose(new Random(3), grey, 64, 64, items, 2, 0.2, 0.5);
        PastedObjects.Composite two =
                PastedObjects.compose(new Random(3), grey, 64, 64, items, 2, 0.2, 0.5);

        assertThat(one.image().pixels()).isEqualTo(two.image().pixels());
        assertThat(one.objects()).isEqualTo(two.objects());
        assertThat(one.mask()).isEqualTo(two.mask());
        // every labelled pixel lies in some object's box
        for (int i = 0; i < one.mask().length; i++) {
            if (one.mask()[i] != 0) {
                int x = i % 64, y = i / 64;
                assertThat(one.objects())
                        .anyMatch(
                                o ->
                                        x >= o.box().x()
                                                && x < o.box().x() + o.box().width()
                                                && y >= o.box().y()
                                                && y < o.box().y() + o.box().height());
            }
        }
    }
}
