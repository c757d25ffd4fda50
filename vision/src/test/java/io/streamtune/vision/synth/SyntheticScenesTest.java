package io.streamtune.vision.synth;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamtune.contracts.Box;
import io.streamtune.vision.image.ImageDecoder;
import io.streamtune.vision.image.ImageLimits;
import io.streamtune.vision.mask.LabelMap;
import org.junit.jupiter.api.Test;

class SyntheticScenesTest {

    @Test
    void shouldGenerateTheSameSceneForTheSameSeed() {
        Scene a = SyntheticScenes.generate(42, 64, 48, 4);
        Scene b = SyntheticScenes.generate(42, 64, 48, 4);
        Scene c = SyntheticScenes.generate(43, 64, 48, 4);

        assertThat(a.image().pixels()).isEqualTo(b.image().pixels());
        assertThat(a.objects()).isEqualTo(b.objects());
        assertThat(a.image().pixels()).isNotEqualTo(c.image().pixels());
    }

    @Test
    void shouldKeepBoxesTightAroundTheMaskOfEachObject() {
        for (long seed = 0; seed < 50; seed++) {
            Scene s = SyntheticScenes.generate(seed, 64, 64, 3);

            assertThat(s.objects()).isNotEmpty().hasSizeLessThanOrEqualTo(3);
            for (SceneObject o : s.objects()) {
                Box b = o.box();
                assertThat(b.isInside(64, 64)).isTrue();
                int inside = 0;
                for (int y = (int) b.y(); y < b.y() + b.height(); y++) {
                    for (int x = (int) b.x(); x < b.x() + b.width(); x++) {
                        if (s.mask()[y * 64 + x] == o.classId() + 1) {
                            inside++;
                        }
                    }
                }
                long total =
                        java.util.Arrays.stream(s.mask()).filter(m -> m == o.classId() + 1).count();
                assertThat(inside).isPositive();
                // Objects never overlap, so same-class pixels outside the box belong to other
                // objects only.
                assertThat(total).isGreaterThanOrEqualTo(inside);
            }
        }
    }

    @Test
    void shouldDrawShapesWithDistinctAreaRatios() {
        Scene circle = SyntheticScenes.single(1, 64, 64, ShapeKind.CIRCLE);
        Scene square = SyntheticScenes.single(1, 64, 64, ShapeKind.SQUARE);
        Scene triangle = SyntheticScenes.single(1, 64, 64, ShapeKind.TRIANGLE);

        assertThat(fill(square)).isEqualTo(1.0);
        assertThat(fill(circle)).isBetween(0.7, 0.86);
        assertThat(fill(triangle)).isBetween(0.4, 0.6);
        assertThat(circle.dominantShape()).isEqualTo(ShapeKind.CIRCLE);
        assertThat(triangle.dominantShape()).isEqualTo(ShapeKind.TRIANGLE);
    }

    @Test
    void shouldEncodeImageAndMaskAsPngsThatDecodeBack() throws Exception {
        Scene s = SyntheticScenes.generate(7, 40, 30, 3);
        ImageDecoder decoder = new ImageDecoder(ImageLimits.defaults());

        LabelMap labels = decoder.decodeLabels(s.maskPng());

        assertThat(decoder.decode(s.png()).pixels()).isEqualTo(s.image().pixels());
        assertThat(labels.labels()).isEqualTo(s.mask());
        assertThat(ShapeKind.segmentationClassNames())
                .containsExactly("background", "circle", "square", "triangle");
    }

    private static double fill(Scene s) {
        Box b = s.objects().get(0).box();
        long pixels = java.util.Arrays.stream(s.mask()).filter(m -> m > 0).count();
        return pixels / (b.width() * b.height());
    }
}
