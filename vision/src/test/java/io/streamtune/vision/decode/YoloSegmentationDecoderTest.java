package io.streamtune.vision.decode;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamtune.contracts.Box;
import io.streamtune.vision.preprocess.ResizeTransform;
import java.util.List;
import org.junit.jupiter.api.Test;

class YoloSegmentationDecoderTest {

    @Test
    void shouldBuildBoxCroppedMasksFromPrototypesInSourcePixels() {
        // Input 8x8, prototypes 1 x 2 x 4 x 4 (stride 2): prototype 0 is +10 on the left half, -10
        // on
        // the right; prototype 1 is the opposite. Two anchors, one class, two coefficients.
        int nm = 2;
        float[] protos = new float[nm * 16];
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                protos[y * 4 + x] = x < 2 ? 10 : -10;
                protos[16 + y * 4 + x] = x < 2 ? -10 : 10;
            }
        }
        // Rows: cx, cy, w, h, score, c0, c1. Anchor 0: whole image, left-half mask. Anchor 1:
        // lower-right box.
        float[][] anchors = {{4, 4, 8, 8, 0.9f, 1, 0}, {6, 6, 4, 4, 0.8f, 0, 1}};
        float[] out0 = new float[7 * 2];
        for (int a = 0; a < 2; a++) {
            for (int r = 0; r < 7; r++) {
                out0[r * 2 + a] = anchors[a][r];
            }
        }
        // Source 16x16 stretched to 8x8: every source pixel maps to half an input pixel.
        ResizeTransform t = ResizeTransform.stretch(16, 16, 8, 8);
        YoloSegmentationDecoder decoder =
                new YoloSegmentationDecoder(new DetectionOptions(0.25f, 0.5f, 10));

        List<InstanceMask> instances =
                decoder.decode(
                        out0,
                        new long[] {1, 7, 2},
                        protos,
                        new long[] {1, 2, 4, 4},
                        0,
                        List.of("blob"),
                        t,
                        false);

        assertThat(instances).hasSize(2);
        InstanceMask whole = instances.get(0);
        assertThat(whole.detection().box()).isEqualTo(new Box(0, 0, 16, 16));
        byte[] left = whole.mask().decode();
        assertThat(whole.mask().area()).isEqualTo(8 * 16);
        assertThat(left[3 * 16 + 7]).isEqualTo((byte) 1);
        assertThat(left[3 * 16 + 8]).isEqualTo((byte) 0);
        InstanceMask corner = instances.get(1);
        assertThat(corner.detection().box()).isEqualTo(new Box(8, 8, 8, 8));
        assertThat(corner.mask().area()).isEqualTo(64);
        byte[] lowerRight = corner.mask().decode();
        assertThat(lowerRight[8 * 16 + 8]).isEqualTo((byte) 1);
        assertThat(lowerRight[7 * 16 + 15]).as("outside the box").isEqualTo((byte) 0);
    }

    @Test
    void shouldKeepLetterboxPaddingOutOfInstanceMasks() {
        // Source 16x8 letterboxed into 8x8: scale 0.5, content rows 2..5. One prototype at stride
        // 1:
        // +10 over the content, -10 over the padding; one anchor covering the whole input.
        float[] protos = new float[64];
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                protos[y * 8 + x] = y >= 2 && y <= 5 ? 10 : -10;
            }
        }
        float[] out0 = {4, 4, 8, 8, 0.9f, 1};
        ResizeTransform t = ResizeTransform.letterbox(16, 8, 8, 8);
        YoloSegmentationDecoder decoder = new YoloSegmentationDecoder(DetectionOptions.DEFAULTS);

        List<InstanceMask> instances =
                decoder.decode(
                        out0,
                        new long[] {1, 6, 1},
                        protos,
                        new long[] {1, 1, 8, 8},
                        0,
                        List.of(),
                        t,
                        false);

        assertThat(t.padY()).isEqualTo(2);
        assertThat(instances).hasSize(1);
        assertThat(instances.get(0).detection().box()).isEqualTo(new Box(0, 0, 16, 8));
        assertThat(instances.get(0).mask().area()).isEqualTo(16 * 8);
    }

    /** The first test's prototypes: 0 is +10 on the left half of a 4x4 grid, 1 the opposite. */
    private static float[] halves() {
        float[] protos = new float[2 * 16];
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                protos[y * 4 + x] = x < 2 ? 10 : -10;
                protos[16 + y * 4 + x] = x < 2 ? -10 : 10;
            }
        }
        return protos;
    }

    /** Decodes 8x8-input rows over {@link #halves()} for a 16x16 source, one class. */
    private static List<InstanceMask> decodeOverHalves(float[] rows, int n, boolean endToEnd) {
        return new YoloSegmentationDecoder(new DetectionOptions(0.25f, 0.5f, 10))
                .decode(
                        rows,
                        new long[] {1, n, rows.length / n},
                        halves(),
                        new long[] {1, 2, 4, 4},
                        0,
                        List.of("blob"),
                        ResizeTransform.stretch(16, 16, 8, 8),
                        endToEnd);
    }

    @Test
    void shouldReadFinalDetectionsWithMaskCoefficients() {
        // YOLO26-seg: [1, N, 6 + nm] rows x1, y1, x2, y2, score, class, coefficients
        float[] rows = {
            0, 0, 8, 8, 0.9f, 0, 1, 0, // whole image, left-half mask
            4, 4, 8, 8, 0.8f, 0, 0, 1, // lower-right box
            0, 0, 0, 0, 0f, -1, 0, 0 // padding
        };

        List<InstanceMask> instances = decodeOverHalves(rows, 3, true);

        assertThat(instances).hasSize(2);
        assertThat(instances.get(0).detection().box()).isEqualTo(new Box(0, 0, 16, 16));
        assertThat(instances.get(0).mask().area()).isEqualTo(8 * 16);
        assertThat(instances.get(0).mask().decode()[3 * 16 + 7]).isEqualTo((byte) 1);
        assertThat(instances.get(1).detection().box()).isEqualTo(new Box(8, 8, 8, 8));
        assertThat(instances.get(1).mask().area()).isEqualTo(64);
    }

    @Test
    void shouldReadYolov5SegmentationRowsWithObjectness() {
        // YOLOv5-seg: [1, N, 5 + nc + nm] rows cx, cy, w, h, objectness, class scores, coefficients
        float[] rows = {
            4, 4, 8, 8, 0.9f, 1.0f, 1, 0,
            6, 6, 4, 4, 0.5f, 0.8f, 0, 1,
            6, 6, 4, 4, 0.1f, 0.9f, 0, 1 // objectness 0.1: below the threshold
        };

        List<InstanceMask> instances = decodeOverHalves(rows, 3, false);

        assertThat(instances).hasSize(2);
        assertThat(instances.get(0).detection().score()).isEqualTo(0.9f);
        assertThat(instances.get(1).detection().score()).isEqualTo(0.4f);
        assertThat(instances.get(1).detection().box()).isEqualTo(new Box(8, 8, 8, 8));
        assertThat(instances.get(1).mask().area()).isEqualTo(64);
    }
}
