package io.streamtune.vision.decode;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamtune.vision.mask.LabelMap;
import io.streamtune.vision.preprocess.ResizeTransform;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SemanticSegmentationDecoderTest {

    @Test
    void shouldTakeThePerPixelArgmaxOverClasses() {
        // [1, 3, 1, 4]: pixel 0 -> class 2, 1 -> 0, 2 -> 1, 3 -> tie between 0 and 1 goes to 0.
        float[] logits = {
            0.1f, 5f, 0f, 2f, // class 0
            0.2f, 1f, 3f, 2f, // class 1
            9f, -1f, 1f, 1f, // class 2
        };

        LabelMap map = SemanticSegmentationDecoder.argmax(logits, new long[] {1, 3, 1, 4}, 0);

        assertThat(map.labels()).containsExactly(2, 0, 1, 0);
        assertThat(map.areas()).isEqualTo(Map.of(0, 2L, 1, 1L, 2, 1L));
    }

    @Test
    void shouldUndoTheLetterboxWhenMappingBackToTheSource() {
        // Source 4 wide x 2 high letterboxed into 4x4: rows 0 and 3 are padding.
        ResizeTransform t = ResizeTransform.letterbox(4, 2, 4, 4);
        int[] input = {
            9, 9, 9, 9,
            0, 0, 1, 1,
            2, 2, 1, 1,
            9, 9, 9, 9,
        };
        LabelMap output = new LabelMap(4, 4, input);

        LabelMap source = SemanticSegmentationDecoder.toSource(output, t);

        assertThat(t.padY()).isEqualTo(1);
        assertThat(source.width()).isEqualTo(4);
        assertThat(source.height()).isEqualTo(2);
        assertThat(source.labels()).containsExactly(0, 0, 1, 1, 2, 2, 1, 1);
    }

    @Test
    void shouldUpsampleLowResolutionOutputsByNearestNeighbour() {
        // A 2x2 output of a 4x4 input, source 8x8: each output cell covers a 4x4 source block.
        LabelMap output = new LabelMap(2, 2, new int[] {0, 1, 2, 3});
        ResizeTransform t = ResizeTransform.stretch(8, 8, 4, 4);

        LabelMap source = SemanticSegmentationDecoder.toSource(output, t);

        assertThat(source.get(3, 3)).isEqualTo(0);
        assertThat(source.get(4, 0)).isEqualTo(1);
        assertThat(source.get(0, 4)).isEqualTo(2);
        assertThat(source.get(7, 7)).isEqualTo(3);
        assertThat(source.areas()).isEqualTo(Map.of(0, 16L, 1, 16L, 2, 16L, 3, 16L));
    }

    @Test
    void shouldEmitOneRleMaskWithAreaPerClassPresent() {
        // [1, 2, 2, 3] logits, identity transform: class 1 wins on the right column and
        // bottom-middle.
        float[] logits = {
            1, 1, 0, 1, 0, 0, // class 0
            0, 0, 1, 0, 1, 1, // class 1
        };
        ResizeTransform t = ResizeTransform.stretch(3, 2, 3, 2);

        SemanticSegmentation seg =
                SemanticSegmentationDecoder.decode(
                        logits, new long[] {1, 2, 2, 3}, 0, t, List.of("background", "road"));

        assertThat(seg.classes())
                .extracting(ClassMask::label)
                .containsExactly("background", "road");
        assertThat(seg.classes()).extracting(ClassMask::area).containsExactly(3L, 3L);
        // Column-major: column 0 = (0,0), column 1 = (0,1), column 2 = (1,1).
        assertThat(seg.classes().get(1).mask().counts()).containsExactly(3, 3);
        assertThat(seg.classes().get(0).mask().counts()).containsExactly(0, 3, 3);
    }
}
