package io.streamtune.vision.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamtune.contracts.Box;
import io.streamtune.contracts.ModelMetadataKeys;
import io.streamtune.contracts.Task;
import io.streamtune.vision.decode.ClassMask;
import io.streamtune.vision.decode.Detection;
import io.streamtune.vision.decode.InstanceMask;
import io.streamtune.vision.image.RgbImage;
import io.streamtune.vision.model.ModelSpecOverrides;
import io.streamtune.vision.model.OnnxModelRunner;
import io.streamtune.vision.model.RunnerOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PredictorTest {

    private static final String RAW_STD =
            "0.00392156862745098,0.00392156862745098,0.00392156862745098";

    /**
     * An 8x4 image whose pixels encode anchors as {@link TestModels#detection} reads them, scaled
     * up by {@code k}.
     */
    private static RgbImage anchors(int k, int[][] rows) {
        byte[] px = new byte[8 * k * 4 * k * 3];
        for (int[] a : rows) {
            // a = {anchor, cx, cy, w, h, score0 * 255, score1 * 255}
            int x = a[0] % 8;
            int y = a[0] / 8;
            int[][] pixels = {{x, y, a[1], a[3], a[5]}, {x, y + 2, a[2], a[4], a[6]}};
            for (int[] p : pixels) {
                for (int dy = 0; dy < k; dy++) {
                    for (int dx = 0; dx < k; dx++) {
                        int o = ((p[1] * k + dy) * 8 * k + p[0] * k + dx) * 3;
                        px[o] = (byte) p[2];
                        px[o + 1] = (byte) p[3];
                        px[o + 2] = (byte) p[4];
                    }
                }
            }
        }
        return new RgbImage(8 * k, 4 * k, px);
    }

    @Test
    void shouldDetectThroughTheWholePathAndMapBoxesToTheSource() throws Exception {
        Map<String, String> metadata =
                Map.of(
                        ModelMetadataKeys.TASK, "detection",
                        ModelMetadataKeys.CLASSES, "[\"a\",\"b\"]",
                        ModelMetadataKeys.RESIZE, "stretch",
                        ModelMetadataKeys.MEAN, "0,0,0",
                        ModelMetadataKeys.STD, RAW_STD);
        int[][] rows = {
            {0, 4, 2, 4, 2, 204, 0}, // class a, 0.8
            {1, 4, 2, 4, 2, 0, 153}, // class b at the same place, 0.6: kept (other class)
            {
                2, 5, 2, 4, 2, 102, 0
            }, // class a, 0.4, IoU 0.6 with the first: kept at IoU threshold 0.7
            {3, 4, 2, 4, 2, 51, 0}, // class a, 0.2: below the score threshold
        };

        try (OnnxModelRunner runner =
                OnnxModelRunner.load(
                        TestModels.detection(metadata),
                        "det",
                        RunnerOptions.defaults(),
                        ModelSpecOverrides.NONE)) {
            Predictor predictor = new Predictor(runner, PredictorOptions.DEFAULTS);
            List<Prediction> out = predictor.predict(List.of(anchors(1, rows), anchors(2, rows)));

            assertThat(out).hasSize(2);
            List<Detection> same = ((Prediction.Detected) out.get(0)).detections();
            assertThat(same).extracting(Detection::label).containsExactly("a", "b", "a");
            assertThat(same.get(0).score()).isCloseTo(0.8f, within(1e-5f));
            assertThat(same.get(0).box()).isEqualTo(new Box(2, 1, 4, 2));
            List<Detection> doubled = ((Prediction.Detected) out.get(1)).detections();
            assertThat(doubled.get(0).box()).isEqualTo(new Box(4, 2, 8, 4));
            assertThat(doubled.get(2).box()).isEqualTo(new Box(6, 2, 8, 4));
        }
    }

    @Test
    void shouldReadFinalDetectionsOfAnEndToEndExport() throws Exception {
        // the metadata an Ultralytics YOLO26 export writes; two classes, so six columns would
        // otherwise be read as cx, cy, w, h and two class scores
        Map<String, String> metadata =
                Map.of(
                        "task",
                        "detect",
                        "names",
                        "{0: 'a', 1: 'b'}",
                        "end2end",
                        "True",
                        ModelMetadataKeys.RESIZE,
                        "stretch",
                        ModelMetadataKeys.MEAN,
                        "0,0,0",
                        ModelMetadataKeys.STD,
                        RAW_STD);
        byte[] px = new byte[8 * 4 * 3];
        int[] row = {1, 0, 5, 3, 1, 1}; // x1, y1, x2, y2, score, class in the red plane
        for (int x = 0; x < row.length; x++) {
            px[x * 3] = (byte) row[x];
        }

        try (OnnxModelRunner runner =
                OnnxModelRunner.load(
                        TestModels.finalDetections(metadata),
                        "yolo26",
                        RunnerOptions.defaults(),
                        ModelSpecOverrides.NONE)) {
            Predictor predictor = new Predictor(runner, PredictorOptions.DEFAULTS);
            List<Detection> d =
                    ((Prediction.Detected)
                                    predictor.predict(List.of(new RgbImage(8, 4, px))).get(0))
                            .detections();

            assertThat(d).hasSize(1);
            assertThat(d.get(0).label()).isEqualTo("b");
            assertThat(d.get(0).score()).isCloseTo(1f, within(1e-5f));
            assertThat(d.get(0).box()).isEqualTo(new Box(1, 0, 4, 3));
        }
    }

    @Test
    void shouldReadTensorFlowObjectDetectionOutputs() throws Exception {
        Map<String, String> metadata =
                Map.of(
                        ModelMetadataKeys.TASK, "detection",
                        ModelMetadataKeys.CLASSES, "[\"a\",\"b\"]",
                        ModelMetadataKeys.RESIZE, "stretch");

        try (OnnxModelRunner runner =
                OnnxModelRunner.load(
                        TestModels.tensorFlowDetections(metadata),
                        "ssd",
                        RunnerOptions.defaults(),
                        ModelSpecOverrides.NONE)) {
            Predictor predictor = new Predictor(runner, PredictorOptions.DEFAULTS);
            // a 16x8 source stretched to the 8x4 input: boxes come back doubled
            List<Detection> d =
                    ((Prediction.Detected)
                                    predictor
                                            .predict(List.of(new RgbImage(16, 8, new byte[384])))
                                            .get(0))
                            .detections();

            // label-map class 2 is the second class; the row past num_detections is not read
            assertThat(d).hasSize(1);
            assertThat(d.get(0).label()).isEqualTo("b");
            assertThat(d.get(0).score()).isCloseTo(0.9f, within(1e-5f));
            assertThat(d.get(0).box()).isEqualTo(new Box(2, 2, 8, 4));
        }
    }

    @Test
    void shouldServeATorchvisionDetectorThatTakesOneImageWithoutABatchDimension() throws Exception {
        // no metadata: a detector by its output names; with torchvision's category list, label 2
        // is its third entry
        for (Map<String, String> metadata :
                List.of(
                        Map.<String, String>of(),
                        Map.of(ModelMetadataKeys.CLASSES, "[\"__background__\",\"a\",\"b\"]"))) {
            try (OnnxModelRunner runner =
                    OnnxModelRunner.load(
                            TestModels.torchvisionDetections(metadata),
                            "fasterrcnn",
                            RunnerOptions.defaults(),
                            ModelSpecOverrides.NONE)) {
                assertThat(runner.inputShape().unbatched()).isTrue();
                assertThat(runner.spec().task()).isEqualTo(Task.DETECTION);
                Predictor predictor = new Predictor(runner, PredictorOptions.DEFAULTS);
                // two sources, one run each; 16x8 stretched to the 8x4 input: boxes doubled
                List<Prediction> out =
                        predictor.predict(
                                List.of(
                                        new RgbImage(16, 8, new byte[384]),
                                        new RgbImage(16, 8, new byte[384])));

                assertThat(out).hasSize(2);
                for (Prediction p : out) {
                    List<Detection> d = ((Prediction.Detected) p).detections();
                    assertThat(d).hasSize(1);
                    assertThat(d.get(0).label()).isEqualTo(metadata.isEmpty() ? "2" : "b");
                    assertThat(d.get(0).score()).isCloseTo(0.9f, within(1e-5f));
                    assertThat(d.get(0).box()).isEqualTo(new Box(2, 2, 8, 4));
                }
            }
        }
    }

    @Test
    void shouldServeAMaskRcnnWithOneMaskPerDetection() throws Exception {
        try (OnnxModelRunner runner =
                OnnxModelRunner.load(
                        TestModels.maskRcnn(
                                Map.of(ModelMetadataKeys.CLASSES, "[\"__background__\",\"a\"]")),
                        "maskrcnn",
                        RunnerOptions.defaults(),
                        ModelSpecOverrides.NONE)) {
            assertThat(runner.spec().task()).isEqualTo(Task.INSTANCE_SEGMENTATION);
            Predictor predictor = new Predictor(runner, PredictorOptions.DEFAULTS);
            // 16x8 stretched to the 8x4 input: the box is the source's left half, 8x8
            List<InstanceMask> masks =
                    ((Prediction.InstancesSegmented)
                                    predictor
                                            .predict(List.of(new RgbImage(16, 8, new byte[384])))
                                            .get(0))
                            .instances();

            assertThat(masks).hasSize(1);
            assertThat(masks.get(0).detection().label()).isEqualTo("a");
            assertThat(masks.get(0).detection().box()).isEqualTo(new Box(0, 0, 8, 8));
            // the two leftmost input columns are the source's four leftmost
            assertThat(masks.get(0).mask().area()).isEqualTo(4 * 8);
            assertThat(masks.get(0).mask().decode()[3]).isEqualTo((byte) 1);
            assertThat(masks.get(0).mask().decode()[4]).isEqualTo((byte) 0);
        }
    }

    @Test
    void shouldSegmentABatchBackToSourcePixels() throws Exception {
        Map<String, String> metadata =
                Map.of(
                        ModelMetadataKeys.TASK,
                        "segmentation",
                        ModelMetadataKeys.CLASSES,
                        "[\"red\",\"green\"]");
        // 8x8 source: left half red, right half green; and an all-green 4x4 one.
        byte[] px = new byte[8 * 8 * 3];
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                px[(y * 8 + x) * 3 + (x < 4 ? 0 : 1)] = (byte) 255;
            }
        }
        RgbImage halves = new RgbImage(8, 8, px);
        RgbImage green = RgbImage.filled(4, 4, 0, 200, 0);

        try (OnnxModelRunner runner =
                OnnxModelRunner.load(
                        TestModels.segmentation(metadata),
                        "seg",
                        RunnerOptions.defaults(),
                        ModelSpecOverrides.NONE)) {
            List<Prediction> out =
                    new Predictor(runner, PredictorOptions.DEFAULTS)
                            .predict(List.of(halves, green));

            List<ClassMask> first = ((Prediction.Segmented) out.get(0)).segmentation().classes();
            assertThat(first).extracting(ClassMask::label).containsExactly("red", "green");
            assertThat(first).extracting(ClassMask::area).containsExactly(32L, 32L);
            assertThat(first.get(0).mask().counts()).containsExactly(0, 32, 32);
            List<ClassMask> second = ((Prediction.Segmented) out.get(1)).segmentation().classes();
            assertThat(second).extracting(ClassMask::label).containsExactly("green");
            assertThat(second.get(0).area()).isEqualTo(16);
        }
    }
}
