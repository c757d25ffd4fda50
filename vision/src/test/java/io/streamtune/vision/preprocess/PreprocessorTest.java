package io.streamtune.vision.preprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamtune.vision.image.RgbImage;
import java.nio.FloatBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class PreprocessorTest {

    @Test
    void shouldPadLetterboxWithThePadValue() {
        RgbImage wide = RgbImage.filled(40, 20, 255, 0, 0);

        Letterboxed boxed = ImageOps.letterbox(wide, 20, 20, 114);

        assertThat(boxed.transform().padY()).isEqualTo(5);
        assertThat(boxed.image().get(10, 2, 0)).isEqualTo(114);
        assertThat(boxed.image().get(10, 17, 2)).isEqualTo(114);
        assertThat(boxed.image().get(10, 10, 0)).isEqualTo(255);
        assertThat(boxed.image().get(10, 10, 1)).isEqualTo(0);
        assertThat(boxed.image().get(0, 5, 0)).isEqualTo(255);
        assertThat(boxed.image().get(19, 14, 0)).isEqualTo(255);
    }

    @Test
    void shouldCopyRowsWhenTheContentAlreadyHasItsSize() {
        byte[] px = new byte[6 * 4 * 3];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 7);
        }
        RgbImage image = new RgbImage(6, 4, px);

        Letterboxed boxed = ImageOps.letterbox(image, 6, 6, 114);

        assertThat(boxed.transform().scaleX()).isEqualTo(1.0);
        assertThat(boxed.transform().padY()).isEqualTo(1);
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 6; x++) {
                for (int c = 0; c < 3; c++) {
                    int expected = y == 0 || y == 5 ? 114 : image.get(x, y - 1, c);
                    assertThat(boxed.image().get(x, y, c)).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void shouldInterpolateBilinearlyBetweenPixels() {
        byte[] px = {0, 0, 0, (byte) 200, (byte) 200, (byte) 200};
        RgbImage twoPixels = new RgbImage(2, 1, px);

        RgbImage wider = ImageOps.resize(twoPixels, 4, 1);

        // Output centres at 0.5, 1.5, 2.5, 3.5 map to source -0.25, 0.25, 0.75, 1.25 (clamped).
        assertThat(
                        new int[] {
                            wider.get(0, 0, 0),
                            wider.get(1, 0, 0),
                            wider.get(2, 0, 0),
                            wider.get(3, 0, 0)
                        })
                .containsExactly(0, 50, 150, 200);
    }

    @Test
    void shouldNormalizeAndSwapChannelsIntoPlanes() {
        RgbImage pixel = new RgbImage(1, 1, new byte[] {(byte) 255, 0, (byte) 51});
        Normalization norm = new Normalization(List.of(0.5, 0.0, 0.2), List.of(0.5, 1.0, 0.1));

        float[] rgb = ImageOps.toChw(pixel, ChannelOrder.RGB, norm);
        float[] bgr = ImageOps.toChw(pixel, ChannelOrder.BGR, norm);

        assertThat(rgb[0]).isCloseTo(1.0f, within(1e-6f));
        assertThat(rgb[1]).isCloseTo(0.0f, within(1e-6f));
        assertThat(rgb[2]).isCloseTo(0.0f, within(1e-6f));
        assertThat(bgr[0]).isCloseTo(0.0f, within(1e-6f));
        assertThat(bgr[2]).isCloseTo(1.0f, within(1e-6f));
    }

    @Test
    void shouldProducePlanarInputOfTheConfiguredSize() {
        Preprocessor pre =
                new Preprocessor(
                        new PreprocessConfig(
                                8, 4, ResizeMode.STRETCH, 0, ChannelOrder.RGB, Normalization.UNIT));
        RgbImage image = RgbImage.filled(16, 16, 0, 255, 0);

        Preprocessor.Preprocessed out = pre.apply(image);

        assertThat(out.input()).hasSize(3 * 8 * 4);
        assertThat(out.input()[0]).isEqualTo(0f);
        assertThat(out.input()[32]).isEqualTo(1f);
        assertThat(out.input()[95]).isEqualTo(0f);
        assertThat(out.transform().scaleX()).isEqualTo(0.5);
    }

    @Test
    void shouldPackImagesInBatchOrder() {
        float[][] images = {{1, 2, 3}, {4, 5, 6}};

        float[] packed = ImageOps.pack(images);
        FloatBuffer direct = ImageOps.packDirect(images);

        assertThat(packed).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(direct.remaining()).isEqualTo(6);
        assertThat(direct.get(3)).isEqualTo(4f);
    }
}
