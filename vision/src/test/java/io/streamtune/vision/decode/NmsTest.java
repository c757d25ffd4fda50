package io.streamtune.vision.decode;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamtune.contracts.Box;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NmsTest {

    @Test
    void shouldKeepOnlyTheFirstOfIdenticalBoxes() {
        Box box = new Box(10, 10, 20, 20);
        List<Box> boxes = List.of(box, box, box);

        List<Integer> kept =
                Nms.suppress(boxes, new float[] {0.5f, 0.9f, 0.9f}, new int[] {0, 0, 0}, 0.5f, 10);

        assertThat(kept).containsExactly(1);
    }

    @Test
    void shouldKeepOverlappingBoxesOfDifferentClasses() {
        List<Box> boxes = List.of(new Box(0, 0, 10, 10), new Box(1, 0, 10, 10));

        List<Integer> kept =
                Nms.suppress(boxes, new float[] {0.8f, 0.7f}, new int[] {0, 1}, 0.5f, 10);

        assertThat(kept).containsExactly(0, 1);
    }

    @Test
    void shouldSuppressOnlyAboveTheIouThreshold() {
        // IoU of [0,10]x[0,10] and [5,15]x[0,10] is 50 / 150 = 1/3.
        List<Box> boxes = List.of(new Box(0, 0, 10, 10), new Box(5, 0, 10, 10));

        List<Integer> loose =
                Nms.suppress(boxes, new float[] {0.9f, 0.8f}, new int[] {0, 0}, 0.34f, 10);
        List<Integer> strict =
                Nms.suppress(boxes, new float[] {0.9f, 0.8f}, new int[] {0, 0}, 0.33f, 10);

        assertThat(loose).containsExactly(0, 1);
        assertThat(strict).containsExactly(0);
    }

    @Test
    void shouldDropZeroAreaBoxesWithoutLettingThemSuppress() {
        List<Box> boxes = List.of(new Box(0, 0, 0, 10), new Box(0, 0, 10, 10), new Box(3, 3, 0, 0));

        List<Integer> kept =
                Nms.suppress(
                        boxes, new float[] {0.99f, 0.5f, 0.98f}, new int[] {0, 0, 0}, 0.1f, 10);

        assertThat(kept).containsExactly(1);
    }

    @Test
    void shouldStopAtMaxDetectionsKeepingTheBest() {
        List<Box> boxes = new ArrayList<>();
        float[] scores = new float[20];
        int[] classes = new int[20];
        for (int i = 0; i < 20; i++) {
            boxes.add(new Box(i * 100, 0, 10, 10));
            scores[i] = i / 20f;
        }

        List<Integer> kept = Nms.suppress(boxes, scores, classes, 0.5f, 5);

        assertThat(kept).containsExactly(19, 18, 17, 16, 15);
    }
}
