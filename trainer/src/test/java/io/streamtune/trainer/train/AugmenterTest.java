package io.streamtune.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamtune.trainer.task.Example;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AugmenterTest {

    @Test
    void shouldMoveMaskAndBoxWithThePixelsWhenFlipping() {
        int w = 16, h = 8;
        float[] input = new float[3 * w * h];
        int[] mask = new int[w * h];
        for (int y = 2; y < 6; y++) {
            for (int x = 1; x < 5; x++) {
                mask[y * w + x] = 1;
                for (int c = 0; c < 3; c++) {
                    input[c * w * h + y * w + x] = 1f;
                }
            }
        }
        Example e = new Example(input, -1, mask, List.of(new float[] {1, 2, 5, 6, 0}));
        Augmenter flipOnly = new Augmenter(new Augmentation(true, 1, 0, 0));

        Example out = null;
        for (long seed = 0;
                seed < 10 && (out == null || out == e || out.mask()[2 * w + 1] == 1);
                seed++) {
            out = flipOnly.apply(e, h, w, new Random(seed));
        }

        assertThat(out.mask()[3 * w + 12]).isEqualTo(1);
        assertThat(out.mask()[3 * w + 2]).isZero();
        assertThat(out.input()[3 * w + 12]).isEqualTo(1f);
        assertThat(out.boxes()).hasSize(1);
        assertThat(out.boxes().get(0))
                .containsExactly(
                        new float[] {11, 2, 15, 6, 0}, org.assertj.core.data.Offset.offset(1e-4f));
    }

    @Test
    void shouldKeepMaskPixelsOnTheSameImagePixelsUnderRotationAndCrop() {
        int w = 24, h = 24;
        float[] input = new float[3 * w * h];
        int[] mask = new int[w * h];
        for (int i = 0; i < w * h; i++) {
            int cls = (i % w) < 12 ? 1 : 2;
            mask[i] = cls;
            for (int c = 0; c < 3; c++) {
                input[c * w * h + i] = cls;
            }
        }
        Augmenter a = new Augmenter(new Augmentation(false, 0.6, 20, 0));

        Example out = a.apply(new Example(input, -1, mask, List.of()), h, w, new Random(3));

        int agree = 0, labelled = 0;
        for (int i = 0; i < w * h; i++) {
            if (out.mask()[i] != 255) {
                labelled++;
                agree += Math.round(out.input()[i]) == out.mask()[i] ? 1 : 0;
            }
        }
        assertThat(labelled).isGreaterThan(w * h / 2);
        assertThat((double) agree / labelled).isGreaterThan(0.9);
    }
}
