package io.streamtune.inference.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamtune.vision.mask.LabelMap;
import org.junit.jupiter.api.Test;

class PredictionsTest {

    @Test
    void shouldRunLengthEncodeClassIdsDownEachColumn() {
        // 3 wide, 2 high, row-major:
        // 0 1 1
        // 0 0 1
        var map = new LabelMap(3, 2, new int[] {0, 1, 1, 0, 0, 1});

        var rle = Predictions.rle(map);

        // Column by column, top to bottom: 0 0 | 1 0 | 1 1.
        assertThat(rle.values()).containsExactly(0, 1, 0, 1);
        assertThat(rle.counts()).containsExactly(2, 1, 1, 2);
        assertThat(rle.width()).isEqualTo(3);
        assertThat(rle.height()).isEqualTo(2);
    }
}
