package io.streamtune.vision.mask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PolygonsTest {

    @Test
    void shouldFillTheExactPixelsOfAnAxisAlignedRectangle() {
        double[] rect = {1, 1, 4, 1, 4, 3, 1, 3};

        byte[] mask = Polygons.rasterize(List.of(rect), 5, 4);

        byte[] expected = {
            0, 0, 0, 0, 0,
            0, 1, 1, 1, 0,
            0, 1, 1, 1, 0,
            0, 0, 0, 0, 0,
        };
        assertThat(mask).isEqualTo(expected);
    }

    @Test
    void shouldFillPixelsWhoseCentresAreInsideATriangle() {
        // Right triangle (0,0)-(4,0)-(0,4): centre (x+.5, y+.5) inside when x + y + 1 < 4.
        double[] triangle = {0, 0, 4, 0, 0, 4};

        byte[] mask = Polygons.rasterize(List.of(triangle), 4, 4);

        byte[] expected = {
            1, 1, 1, 0,
            1, 1, 0, 0,
            1, 0, 0, 0,
            0, 0, 0, 0,
        };
        assertThat(mask).isEqualTo(expected);
    }

    @Test
    void shouldUniteSeveralPolygonsAndClipToTheImage() {
        double[] left = {-5, 0, 1, 0, 1, 2, -5, 2};
        double[] right = {3, 1, 10, 1, 10, 10, 3, 10};

        Rle rle = Polygons.toRle(List.of(left, right), 4, 3);

        assertThat(rle.area()).isEqualTo(2 + 2);
        byte[] expected = {
            1, 0, 0, 0,
            1, 0, 0, 1,
            0, 0, 0, 1,
        };
        assertThat(rle.decode()).isEqualTo(expected);
    }

    @Test
    void shouldRefuseDegeneratePolygons() {
        assertThatThrownBy(() -> Polygons.rasterize(List.of(new double[] {0, 0, 1, 1}), 2, 2))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
