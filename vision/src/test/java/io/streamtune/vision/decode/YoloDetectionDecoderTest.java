package io.streamtune.vision.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamtune.contracts.Box;
import io.streamtune.vision.preprocess.ResizeTransform;
import java.util.List;
import org.junit.jupiter.api.Test;

class YoloDetectionDecoderTest {

    private static final List<String> LABELS = List.of("person", "car");

    /** Builds a {@code [1, 6, N]} output from per-anchor rows {cx, cy, w, h, score0, score1}. */
    private static float[] output(float[][] anchors) {
        int n = anchors.length;
        float[] data = new float[6 * n];
        for (int a = 0; a < n; a++) {
            for (int r = 0; r < 6; r++) {
                data[r * n + a] = anchors[a][r];
            }
        }
        return data;
    }

    @Test
    void shouldMapBoxesBackThroughTheLetterbox() {
        // 1280x720 source letterboxed to 640x640: scale 0.5, 140 px padding top.
        ResizeTransform t = ResizeTransform.letterbox(1280, 720, 640, 640);
        Box source = new Box(200, 100, 300, 400);
        float cx = (float) t.toInputX(source.x() + source.width() / 2);
        float cy = (float) t.toInputY(source.y() + source.height() / 2);
        float[] data = output(new float[][] {{cx, cy, 150, 200, 0.1f, 0.9f}});
        YoloDetectionDecoder decoder = new YoloDetectionDecoder(DetectionOptions.DEFAULTS);

        List<Detection> detections = decoder.decode(data, new long[] {1, 6, 1}, LABELS, t);

        assertThat(detections).hasSize(1);
        Detection d = detections.get(0);
        assertThat(d.classId()).isEqualTo(1);
        assertThat(d.label()).isEqualTo("car");
        assertThat(d.score()).isEqualTo(0.9f);
        assertThat(d.box().x()).isCloseTo(200, within(1e-3));
        assertThat(d.box().y()).isCloseTo(100, within(1e-3));
        assertThat(d.box().width()).isCloseTo(300, within(1e-3));
        assertThat(d.box().height()).isCloseTo(400, within(1e-3));
    }

    @Test
    void shouldClipBoxesToTheSourceImageAndDropThoseOutside() {
        ResizeTransform t = ResizeTransform.stretch(100, 100, 100, 100);
        float[] data =
                output(
                        new float[][] {
                            {
                                95, 50, 20, 20, 0.9f, 0
                            }, // sticks out on the right: clipped to x 85..100
                            {150, 50, 20, 20, 0.8f, 0}, // entirely outside: dropped
                        });
        YoloDetectionDecoder decoder = new YoloDetectionDecoder(DetectionOptions.DEFAULTS);

        List<Detection> detections = decoder.decode(data, new long[] {1, 6, 2}, LABELS, t);

        assertThat(detections).hasSize(1);
        assertThat(detections.get(0).box()).isEqualTo(new Box(85, 40, 15, 20));
    }

    @Test
    void shouldApplyScoreThresholdNmsAndMaxDetections() {
        ResizeTransform t = ResizeTransform.stretch(640, 640, 640, 640);
        float[] data =
                output(
                        new float[][] {
                            {100, 100, 50, 50, 0.9f, 0.0f},
                            {
                                102, 100, 50, 50, 0.8f, 0.0f
                            }, // same class, IoU ~0.92 with the first: suppressed
                            {102, 100, 50, 50, 0.0f, 0.7f}, // other class, same place: kept
                            {400, 400, 50, 50, 0.2f, 0.1f}, // below 0.25: dropped
                            {300, 300, 50, 50, 0.6f, 0.0f},
                        });
        YoloDetectionDecoder twoAtMost =
                new YoloDetectionDecoder(new DetectionOptions(0.25f, 0.5f, 2));
        YoloDetectionDecoder many =
                new YoloDetectionDecoder(new DetectionOptions(0.25f, 0.5f, 100));

        List<Detection> top2 = twoAtMost.decode(data, new long[] {1, 6, 5}, LABELS, t);
        List<Detection> all = many.decode(data, new long[] {1, 6, 5}, LABELS, t);

        assertThat(top2).extracting(Detection::score).containsExactly(0.9f, 0.7f);
        assertThat(all).extracting(Detection::label).containsExactly("person", "car", "person");
        assertThat(all).extracting(Detection::score).containsExactly(0.9f, 0.7f, 0.6f);
    }

    @Test
    void shouldDecodeEachImageOfABatchedOutput() {
        ResizeTransform t = ResizeTransform.stretch(100, 100, 100, 100);
        float[] first = output(new float[][] {{10, 10, 4, 4, 0.9f, 0}, {50, 50, 4, 4, 0, 0}});
        float[] second = output(new float[][] {{10, 10, 4, 4, 0, 0}, {50, 50, 4, 4, 0, 0.5f}});
        float[] batch = new float[first.length * 2];
        System.arraycopy(first, 0, batch, 0, first.length);
        System.arraycopy(second, 0, batch, first.length, second.length);
        YoloDetectionDecoder decoder = new YoloDetectionDecoder(DetectionOptions.DEFAULTS);

        List<Detection> image0 = decoder.decode(batch, new long[] {2, 6, 2}, 0, LABELS, t);
        List<Detection> image1 = decoder.decode(batch, new long[] {2, 6, 2}, 1, LABELS, t);

        assertThat(image0).extracting(Detection::label).containsExactly("person");
        assertThat(image0.get(0).box()).isEqualTo(new Box(8, 8, 4, 4));
        assertThat(image1).extracting(Detection::label).containsExactly("car");
        assertThat(image1.get(0).box()).isEqualTo(new Box(48, 48, 4, 4));
    }

    @Test
    void shouldReadYolov5sAnchorsFirstLayoutWithObjectness() {
        ResizeTransform t = ResizeTransform.stretch(100, 100, 100, 100);
        // [B, N, 5 + nc]: cx, cy, w, h, objectness, p(person), p(car)
        float[] v5 = {
            20, 20, 10, 10, 0.9f, 0.2f, 0.8f, // car 0.72
            50, 50, 10, 10, 0.1f, 0.9f, 0.1f, // person 0.09: under the threshold
            80, 80, 10, 10, 0.8f, 0.9f, 0.3f, // person 0.72
            // second image
            30, 30, 10, 10, 0.5f, 1.0f, 0.0f, // person 0.5
            60, 60, 10, 10, 0.0f, 1.0f, 1.0f,
            10, 90, 10, 10, 0.0f, 1.0f, 1.0f
        };
        YoloDetectionDecoder decoder = new YoloDetectionDecoder(DetectionOptions.DEFAULTS);

        List<Detection> first = decoder.decode(v5, new long[] {2, 3, 7}, 0, LABELS, t);
        List<Detection> second = decoder.decode(v5, new long[] {2, 3, 7}, 1, LABELS, t);
        // without class names: anchors-first because there are more anchors (8) than values (7)
        float[] eight = java.util.Arrays.copyOf(v5, 8 * 7);
        List<Detection> unnamed = decoder.decode(eight, new long[] {1, 8, 7}, List.of(), t);

        assertThat(first).extracting(Detection::label).containsExactlyInAnyOrder("car", "person");
        for (Detection d : first) {
            assertThat(d.score()).isCloseTo(0.72f, within(1e-6f));
        }
        assertThat(first)
                .filteredOn(d -> d.label().equals("car"))
                .extracting(Detection::box)
                .containsExactly(new Box(15, 15, 10, 10));
        assertThat(second).extracting(Detection::label).containsExactly("person");
        assertThat(second.get(0).score()).isCloseTo(0.5f, within(1e-6f));
        // the first image and the second image's person, read as one image of 8 anchors
        assertThat(unnamed).extracting(Detection::label).containsExactlyInAnyOrder("1", "0", "0");
    }

    @Test
    void shouldReadAnAnchorsFirstLayoutWithoutObjectnessByItsClassCount() {
        ResizeTransform t = ResizeTransform.stretch(100, 100, 100, 100);
        // [1, N, 4 + nc], N = 3 anchors, 2 classes
        float[] plain = {
            20, 20, 10, 10, 0.1f, 0.7f,
            50, 50, 10, 10, 0.6f, 0.1f,
            80, 80, 10, 10, 0.0f, 0.1f
        };
        YoloDetectionDecoder decoder = new YoloDetectionDecoder(DetectionOptions.DEFAULTS);

        List<Detection> d = decoder.decode(plain, new long[] {1, 3, 6}, LABELS, t);

        assertThat(d).extracting(Detection::label).containsExactlyInAnyOrder("car", "person");
        assertThat(d).extracting(Detection::score).containsExactlyInAnyOrder(0.7f, 0.6f);
    }

    @Test
    void shouldReadFinalDetectionsWhenTheModelSaysItsOutputIsEndToEnd() {
        // YOLO26 / YOLOv10 / nms=True: [1, max_det, 6] rows x1, y1, x2, y2, score, class
        ResizeTransform t = ResizeTransform.letterbox(1280, 720, 640, 640);
        float[] rows = {
            100, 240, 250, 440, 0.88f, 1, // a car, in input pixels
            300, 300, 340, 360, 0.10f, 0, // below the score threshold
            0, 0, 0, 0, 0f, -1 // padding
        };
        YoloDetectionDecoder decoder = new YoloDetectionDecoder(DetectionOptions.DEFAULTS);

        List<Detection> d = decoder.decode(rows, new long[] {1, 3, 6}, 0, LABELS, t, true);

        assertThat(d).hasSize(1);
        assertThat(d.get(0).label()).isEqualTo("car");
        assertThat(d.get(0).score()).isEqualTo(0.88f);
        // input 100..250 x 240..440 is source 200..500 x 200..600 (scale 0.5, 140 px band)
        assertThat(d.get(0).box().x()).isCloseTo(200, within(1e-3));
        assertThat(d.get(0).box().y()).isCloseTo(200, within(1e-3));
        assertThat(d.get(0).box().width()).isCloseTo(300, within(1e-3));
        assertThat(d.get(0).box().height()).isCloseTo(400, within(1e-3));
    }

    @Test
    void shouldTellFinalDetectionsFromBoxesAndScoresByTheClassCount() {
        ResizeTransform t = ResizeTransform.stretch(100, 100, 100, 100);
        List<String> eighty = new java.util.ArrayList<>();
        for (int c = 0; c < 80; c++) {
            eighty.add("class" + c);
        }
        float[] rows = {10, 10, 30, 40, 0.9f, 79, 50, 50, 60, 60, 0.8f, 2};
        YoloDetectionDecoder decoder = new YoloDetectionDecoder(DetectionOptions.DEFAULTS);

        // six columns cannot hold 4 + 80 or 5 + 80 values: final detections without a flag
        List<Detection> d = decoder.decode(rows, new long[] {1, 2, 6}, eighty, t);

        assertThat(d).extracting(Detection::label).containsExactly("class79", "class2");
        assertThat(d.get(0).box().width()).isCloseTo(20, within(1e-3));
        assertThat(d.get(0).box().height()).isCloseTo(30, within(1e-3));
        // with one class six columns are YOLOv5's cx, cy, w, h, objectness, score unless flagged
        assertThat(YoloDetectionDecoder.finalDetections(new long[] {1, 2, 6}, 1, false)).isFalse();
        assertThat(YoloDetectionDecoder.finalDetections(new long[] {1, 2, 6}, 1, true)).isTrue();
        assertThat(YoloDetectionDecoder.finalDetections(new long[] {1, 84, 8400}, 80, true))
                .isFalse();
    }

    @Test
    void shouldTakeTheClassCountFromFinalDetectionsWhenNoneIsConfigured() {
        ResizeTransform t = ResizeTransform.stretch(100, 100, 100, 100);
        float[] rows = {10, 10, 30, 40, 0.9f, 4, 50, 50, 60, 60, 0.8f, 0};
        YoloDetectionDecoder decoder = new YoloDetectionDecoder(DetectionOptions.DEFAULTS);

        List<Detection> d = decoder.decode(rows, new long[] {1, 2, 6}, 0, List.of(), t, true);

        assertThat(d).extracting(Detection::label).containsExactly("4", "0");
    }

    @Test
    void shouldScaleBoxesGivenAsFractionsOfTheInputToItsPixels() {
        // RT-DETR's [1, queries, 4 + nc]: cx, cy, w, h as fractions of a stretched 640x640 input
        ResizeTransform t = ResizeTransform.stretch(1280, 720, 640, 640);
        float[] queries = {
            0.25f, 0.5f, 0.1f, 0.2f, 0.05f, 0.93f,
            0.75f, 0.25f, 0.2f, 0.1f, 0.81f, 0.02f,
            0.5f, 0.5f, 1.0f, 1.0f, 0.01f, 0.01f
        };
        YoloDetectionDecoder decoder = new YoloDetectionDecoder(DetectionOptions.DEFAULTS);

        List<Detection> d = decoder.decode(queries, new long[] {1, 3, 6}, LABELS, t);

        assertThat(d).extracting(Detection::label).containsExactly("car", "person");
        // the car: source x 0.2..0.3 of 1280, y 0.4..0.6 of 720
        assertThat(d.get(0).box().x()).isCloseTo(256, within(1e-2));
        assertThat(d.get(0).box().y()).isCloseTo(288, within(1e-2));
        assertThat(d.get(0).box().width()).isCloseTo(128, within(1e-2));
        assertThat(d.get(0).box().height()).isCloseTo(144, within(1e-2));
    }

    @Test
    void shouldKeepPixelBoxesWhenAnyValueIsBeyondAFraction() {
        ResizeTransform t = ResizeTransform.stretch(100, 100, 100, 100);
        // one anchor's small box near the origin is still in pixels: another one is at 50, 50
        float[] data = output(new float[][] {{1, 1, 1, 1, 0.9f, 0}, {50, 50, 10, 10, 0.8f, 0}});
        YoloDetectionDecoder decoder = new YoloDetectionDecoder(DetectionOptions.DEFAULTS);

        List<Detection> d = decoder.decode(data, new long[] {1, 6, 2}, LABELS, t);

        assertThat(d).extracting(x -> x.box().width()).containsExactly(1.0, 10.0);
        // an input too small to tell fractions from pixels is read in pixels
        assertThat(
                        YoloDetectionDecoder.normalised(
                                output(new float[][] {{0.5f, 0.5f, 0.5f, 0.5f, 1, 0}}),
                                YoloDetectionDecoder.Layout.of(
                                        output(new float[][] {{0.5f, 0.5f, 0.5f, 0.5f, 1, 0}}),
                                        new long[] {1, 6, 1},
                                        0),
                                ResizeTransform.stretch(8, 8, 8, 8)))
                .isFalse();
    }
}
