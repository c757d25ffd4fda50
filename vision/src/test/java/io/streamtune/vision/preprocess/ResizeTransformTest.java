package io.streamtune.vision.preprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ResizeTransformTest {

    @Test
    void shouldLetterboxWideImageWithVerticalPadding() {
        ResizeTransform t = ResizeTransform.letterbox(1280, 720, 640, 640);

        assertThat(t.scaleX()).isEqualTo(0.5);
        assertThat(t.scaleY()).isEqualTo(0.5);
        assertThat(t.padX()).isEqualTo(0);
        assertThat(t.padY()).isEqualTo(140);
        assertThat(t.contentWidth()).isEqualTo(640);
        assertThat(t.contentHeight()).isEqualTo(360);
    }

    @Test
    void shouldLetterboxTallImageWithHorizontalPadding() {
        ResizeTransform t = ResizeTransform.letterbox(300, 600, 320, 320);

        assertThat(t.scaleX()).isCloseTo(320.0 / 600, within(1e-12));
        assertThat(t.contentWidth()).isEqualTo(160);
        assertThat(t.padX()).isEqualTo(80);
        assertThat(t.padY()).isEqualTo(0);
    }

    @Test
    void shouldRoundContentSizeHalfToEvenAsUltralyticsDoes() {
        // 5x10 into 5x5: scale 0.5, content width 2.5 rounds to 2 (Python's round), padding 1.4 ->
        // 1.
        ResizeTransform t = ResizeTransform.letterbox(5, 10, 5, 5);

        assertThat(t.contentWidth()).isEqualTo(2);
        assertThat(t.padX()).isEqualTo(1);
    }

    @Test
    void shouldMapPointsThroughLetterboxAndBack() {
        ResizeTransform t = ResizeTransform.letterbox(1000, 500, 640, 640);
        double[][] points = {{0, 0}, {1000, 500}, {123.25, 456.5}, {999, 1}};

        for (double[] p : points) {
            double ix = t.toInputX(p[0]);
            double iy = t.toInputY(p[1]);

            assertThat(t.toSourceX(ix)).isCloseTo(p[0], within(1e-9));
            assertThat(t.toSourceY(iy)).isCloseTo(p[1], within(1e-9));
        }
        assertThat(t.toInputY(0)).isEqualTo(160);
        assertThat(t.toInputY(500)).isEqualTo(480);
    }

    @Test
    void shouldStretchEachAxisIndependently() {
        ResizeTransform t = ResizeTransform.stretch(200, 100, 50, 50);

        assertThat(t.toInputX(200)).isEqualTo(50);
        assertThat(t.toInputY(100)).isEqualTo(50);
        assertThat(t.toSourceX(25)).isEqualTo(100);
        assertThat(t.toSourceY(25)).isEqualTo(50);
    }

    @Test
    void shouldRoundTripBoxesThroughLetterboxesOfRandomSizes() {
        java.util.Random random = new java.util.Random(5);
        for (int trial = 0; trial < 200; trial++) {
            int sw = 1 + random.nextInt(4000);
            int sh = 1 + random.nextInt(4000);
            int iw = 32 * (1 + random.nextInt(20));
            int ih = 32 * (1 + random.nextInt(20));
            ResizeTransform t = ResizeTransform.letterbox(sw, sh, iw, ih);
            double x = random.nextDouble() * sw;
            double y = random.nextDouble() * sh;

            double ix = t.toInputX(x);
            double iy = t.toInputY(y);

            assertThat(ix).isBetween(t.padX() - 1e-9, t.padX() + t.contentWidth() + 0.5);
            assertThat(iy).isBetween(t.padY() - 1e-9, t.padY() + t.contentHeight() + 0.5);
            assertThat(t.toSourceX(ix)).isCloseTo(x, within(1e-6));
            assertThat(t.toSourceY(iy)).isCloseTo(y, within(1e-6));
            assertThat(t.padX() * 2 + t.contentWidth()).isBetween(iw - 1.0, iw + 1.0);
        }
    }
}
