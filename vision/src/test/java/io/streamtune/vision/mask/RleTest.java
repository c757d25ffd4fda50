package io.streamtune.vision.mask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RleTest {

    /** 30 rows x 40 columns: a 20x20 square, a 2x3 blob, a corner pixel and a diagonal pattern. */
    private static byte[] fixtureMask() {
        int h = 30;
        int w = 40;
        byte[] mask = new byte[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean square = y >= 5 && y < 25 && x >= 10 && x < 30;
                boolean blob = y < 3 && x < 2;
                boolean corner = y == 29 && x == 39;
                boolean diagonal = x > 32 && (x * 7 + y * 3) % 11 == 0;
                mask[y * w + x] = (byte) (square || blob || corner || diagonal ? 1 : 0);
            }
        }
        return mask;
    }

    // Produced by pycocotools.mask.encode on the same mask (Fortran order), area 425.
    private static final String FIXTURE_COUNTS =
            "03k00e7a0jG0000000000000000000000000000000000000e2]O[M00020N00020N020N00020N020N00020N0O0";

    @Test
    void shouldEncodeInColumnMajorOrderStartingWithBackground() {
        // [[0, 1, 1], [1, 1, 0]]: columns (0,1), (1,1), (1,0).
        byte[] mask = {0, 1, 1, 1, 1, 0};

        Rle rle = Rle.encode(mask, 3, 2);

        assertThat(rle.counts()).containsExactly(1, 4, 1);
        assertThat(rle.area()).isEqualTo(4);
        assertThat(rle.toCompressedString()).isEqualTo("141");
    }

    @Test
    void shouldStartWithAZeroRunWhenTheFirstPixelIsForeground() {
        byte[] mask = {1, 1, 0, 0};

        Rle rle = Rle.encode(mask, 2, 2);

        assertThat(rle.counts()).containsExactly(0, 1, 1, 1, 1);
    }

    @Test
    void shouldMatchTheCocoStringOfAKnownMask() {
        byte[] mask = fixtureMask();

        Rle rle = Rle.encode(mask, 40, 30);

        assertThat(rle.toCompressedString()).isEqualTo(FIXTURE_COUNTS);
        assertThat(rle.area()).isEqualTo(425);
    }

    @Test
    void shouldDecodeAKnownCocoString() {
        Rle rle = Rle.fromCompressedString(FIXTURE_COUNTS, 30, 40);

        assertThat(rle.decode()).isEqualTo(fixtureMask());
    }

    @Test
    void shouldRoundTripRandomMasksThroughBothForms() {
        Random random = new Random(42);
        for (int trial = 0; trial < 50; trial++) {
            int w = 1 + random.nextInt(70);
            int h = 1 + random.nextInt(70);
            byte[] mask = new byte[w * h];
            double density = random.nextDouble();
            for (int i = 0; i < mask.length; i++) {
                mask[i] = (byte) (random.nextDouble() < density ? 1 : 0);
            }

            Rle rle = Rle.encode(mask, w, h);
            Rle parsed = Rle.fromCompressedString(rle.toCompressedString(), h, w);

            assertThat(parsed).isEqualTo(rle);
            assertThat(parsed.decode()).isEqualTo(mask);
        }
    }

    @Test
    void shouldRefuseCountsThatDoNotCoverTheMask() {
        assertThatThrownBy(() -> new Rle(2, 2, new int[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cover 3");
        assertThatThrownBy(() -> Rle.fromCompressedString("141", 3, 3))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldEncodeAWindowExactlyAsTheFullMask() {
        Random random = new Random(3);
        for (int trial = 0; trial < 50; trial++) {
            int w = 1 + random.nextInt(40);
            int h = 1 + random.nextInt(40);
            int ww = random.nextInt(w + 1);
            int wh = random.nextInt(h + 1);
            int left = random.nextInt(w - ww + 1);
            int top = random.nextInt(h - wh + 1);
            byte[] window = new byte[ww * wh];
            byte[] full = new byte[w * h];
            for (int y = 0; y < wh; y++) {
                for (int x = 0; x < ww; x++) {
                    byte v = (byte) (random.nextBoolean() ? 1 : 0);
                    window[y * ww + x] = v;
                    full[(top + y) * w + left + x] = v;
                }
            }

            Rle windowed = Rle.encodeWindow(window, left, top, ww, wh, w, h);

            assertThat(windowed).isEqualTo(Rle.encode(full, w, h));
        }
    }

    @Test
    void shouldBuildEveryClassMaskOfALabelMapInOnePassAsPerClassEncodingDoes() {
        Random random = new Random(8);
        for (int trial = 0; trial < 30; trial++) {
            int w = 1 + random.nextInt(30);
            int h = 1 + random.nextInt(30);
            int[] labels = new int[w * h];
            for (int i = 0; i < labels.length; i++) {
                // Runs of equal labels, as real segmentations have, with occasional jumps.
                labels[i] = i > 0 && random.nextInt(4) > 0 ? labels[i - 1] : random.nextInt(5);
            }
            LabelMap map = new LabelMap(w, h, labels);

            java.util.Map<Integer, Rle> all = map.rles();

            assertThat(all.keySet()).containsExactlyElementsOf(map.areas().keySet());
            for (var e : all.entrySet()) {
                assertThat(e.getValue()).isEqualTo(map.rle(e.getKey()));
                assertThat(e.getValue().area()).isEqualTo(map.areas().get(e.getKey()));
            }
        }
    }
}
