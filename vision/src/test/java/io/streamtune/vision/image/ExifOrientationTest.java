package io.streamtune.vision.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamtune.testkit.ExifImages;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExifOrientationTest {

    private final ImageDecoder decoder = new ImageDecoder(ImageLimits.defaults());

    /** 3x2, every pixel distinct: (x, y) has red 10x + 100y. */
    private static RgbImage grid() {
        byte[] px = new byte[3 * 2 * 3];
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 3; x++) {
                px[(y * 3 + x) * 3] = (byte) (10 * x + 100 * y);
            }
        }
        return new RgbImage(3, 2, px);
    }

    private static int[] reds(RgbImage image) {
        int[] r = new int[image.width() * image.height()];
        for (int i = 0; i < r.length; i++) {
            r[i] = image.pixels()[i * 3] & 0xFF;
        }
        return r;
    }

    @Test
    void shouldTurnAndMirrorAsTheExifValuesSay() {
        RgbImage g = grid(); // rows: [0 10 20] [100 110 120]
        assertThat(reds(ExifOrientation.apply(g, 1))).containsExactly(0, 10, 20, 100, 110, 120);
        assertThat(reds(ExifOrientation.apply(g, 2))).containsExactly(20, 10, 0, 120, 110, 100);
        assertThat(reds(ExifOrientation.apply(g, 3))).containsExactly(120, 110, 100, 20, 10, 0);
        assertThat(reds(ExifOrientation.apply(g, 4))).containsExactly(100, 110, 120, 0, 10, 20);
        // 6: shown turned 90° clockwise, 2 wide and 3 high; the stored bottom-left comes first
        RgbImage six = ExifOrientation.apply(g, 6);
        assertThat(six.width()).isEqualTo(2);
        assertThat(six.height()).isEqualTo(3);
        assertThat(reds(six)).containsExactly(100, 0, 110, 10, 120, 20);
        assertThat(reds(ExifOrientation.apply(g, 8))).containsExactly(20, 120, 10, 110, 0, 100);
        assertThat(reds(ExifOrientation.apply(g, 5))).containsExactly(0, 100, 10, 110, 20, 120);
        assertThat(reds(ExifOrientation.apply(g, 7))).containsExactly(120, 20, 110, 10, 100, 0);
        assertThat(reds(ExifOrientation.apply(ExifOrientation.apply(g, 6), 8)))
                .containsExactly(reds(g));
    }

    @ParameterizedTest(name = "orientation {0}")
    @ValueSource(ints = {3, 6, 8})
    void shouldDecodeAPhonePhotoUprightWithItsUprightSize(int orientation) throws Exception {
        byte[] plain = TestImages.encode(TestImages.noise(40, 24, 3), "jpg");
        RgbImage stored = decoder.decode(plain);

        for (boolean littleEndian : new boolean[] {true, false}) {
            byte[] phone = ExifImages.withOrientation(plain, orientation, littleEndian);
            assertThat(ExifOrientation.of(phone)).isEqualTo(orientation);

            RgbImage shown = decoder.decode(phone);
            ImageInfo probed = decoder.probe(phone);
            int[] asked = new int[2];
            ImageDecoder.Decoded sized =
                    decoder.decode(
                            phone,
                            (w, h) -> {
                                asked[0] = w;
                                asked[1] = h;
                                return new int[] {w, h};
                            });

            RgbImage expected = ExifOrientation.apply(stored, orientation);
            int w = orientation == 3 ? 40 : 24;
            int h = orientation == 3 ? 24 : 40;
            assertThat(shown.width()).isEqualTo(w);
            assertThat(shown.height()).isEqualTo(h);
            assertThat(shown.pixels()).isEqualTo(expected.pixels());
            assertThat(probed.width()).isEqualTo(w);
            assertThat(probed.height()).isEqualTo(h);
            assertThat(sized.source().width()).isEqualTo(w);
            assertThat(sized.image().pixels()).isEqualTo(expected.pixels());
            if (ImageDecoder.turboJpeg()) {
                assertThat(asked).containsExactly(w, h);
            }
        }
    }

    @ParameterizedTest(name = "orientation {0}")
    @ValueSource(ints = {3, 6, 8})
    void shouldShowAPngUprightAsItsExifChunkSays(int orientation) throws Exception {
        byte[] plain = TestImages.encode(TestImages.noise(40, 24, 3), "png");
        byte[] turned = ExifImages.pngWithOrientation(plain, orientation);

        assertThat(ExifOrientation.of(turned)).isEqualTo(orientation);
        RgbImage shown = decoder.decode(turned);
        RgbImage expected = ExifOrientation.apply(decoder.decode(plain), orientation);
        assertThat(shown.width()).isEqualTo(expected.width());
        assertThat(shown.pixels()).isEqualTo(expected.pixels());
        assertThat(decoder.probe(turned).width()).isEqualTo(expected.width());
    }

    @Test
    void shouldTakeAnythingUnreadableAsUpright() {
        byte[] plain = TestImages.encode(TestImages.noise(8, 8, 4), "jpg");
        byte[] phone = ExifImages.withOrientation(plain, 6, true);
        // cut the EXIF segment's directory short
        byte[] truncated = Arrays.copyOf(phone, 2 + 4 + 6 + 10);

        assertThat(ExifOrientation.of(plain)).isEqualTo(1);
        assertThat(ExifOrientation.of(truncated)).isEqualTo(1);
        assertThat(ExifOrientation.of(new byte[] {1, 2, 3})).isEqualTo(1);
        assertThat(ExifOrientation.of(TestImages.encode(TestImages.noise(8, 8, 4), "png")))
                .isEqualTo(1);
        assertThat(ExifOrientation.of(ExifImages.withOrientation(plain, 9, true))).isEqualTo(1);
    }
}
