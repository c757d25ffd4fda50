package io.streamtune.vision.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamtune.contracts.ModelMetadataKeys;
import io.streamtune.contracts.Task;
import io.streamtune.vision.preprocess.ChannelOrder;
import io.streamtune.vision.preprocess.ResizeMode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelSpecParserTest {

    private static final InputShape DYNAMIC = new InputShape("images", -1, 3, -1, -1);

    @Test
    void shouldReadUltralyticsSegmentationModels() {
        Map<String, String> metadata =
                Map.of("task", "segment", "names", "{0: 'a', 1: 'b'}", "imgsz", "[640, 640]");

        ModelSpec spec =
                ModelSpecParser.parse(metadata, DYNAMIC, ModelSpecOverrides.NONE, "yolov8n-seg");

        assertThat(spec.task()).isEqualTo(Task.INSTANCE_SEGMENTATION);
        assertThat(spec.inputWidth()).isEqualTo(640);
        assertThat(spec.preprocess().resize()).isEqualTo(ResizeMode.LETTERBOX);
        assertThat(spec.name()).isEqualTo("yolov8n-seg");
    }

    @Test
    void shouldReadYolov5DetectorsWhichNameNoTask() {
        // what ultralytics/yolov5's export.py writes
        Map<String, String> metadata = Map.of("stride", "32", "names", "{0: 'person', 1: 'car'}");
        InputShape fixed = new InputShape("images", 1, 3, 640, 640);

        ModelSpec spec = ModelSpecParser.parse(metadata, fixed, ModelSpecOverrides.NONE, "yolov5s");

        assertThat(spec.task()).isEqualTo(Task.DETECTION);
        assertThat(spec.classNames()).containsExactly("person", "car");
        assertThat(spec.preprocess().resize()).isEqualTo(ResizeMode.LETTERBOX);
        assertThat(spec.inputWidth()).isEqualTo(640);
    }

    @Test
    void shouldTellTheTaskOfAModelWithoutMetadataFromItsOutputs() {
        InputShape input = new InputShape("input", -1, 3, 224, 224);
        java.util.function.Function<Map<String, long[]>, Task> task =
                outputs ->
                        ModelSpecParser.parse(
                                        Map.of(), input, ModelSpecOverrides.NONE, "m", outputs)
                                .task();

        // a torchvision or timm classifier's logits
        assertThat(task.apply(Map.of("logits", new long[] {-1, 1000})))
                .isEqualTo(Task.CLASSIFICATION);
        assertThat(task.apply(Map.of("prob", new long[] {1, 5, 1, 1})))
                .isEqualTo(Task.CLASSIFICATION);
        // torchvision's FCN / DeepLabV3 / LRASPP 'out' at the input's size
        assertThat(task.apply(Map.of("out", new long[] {-1, 21, 224, 224})))
                .isEqualTo(Task.SEGMENTATION);
        assertThat(
                        task.apply(
                                Map.of(
                                        "boxes",
                                        new long[] {-1, 4},
                                        "labels",
                                        new long[] {-1},
                                        "scores",
                                        new long[] {-1},
                                        "masks",
                                        new long[] {-1, 1, 224, 224})))
                .isEqualTo(Task.INSTANCE_SEGMENTATION);
        // three channels at the input's size could be a stylized image: not guessed
        assertThatThrownBy(() -> task.apply(Map.of("out", new long[] {-1, 3, 224, 224})))
                .hasMessageContaining("no task");
        // a YOLO head without its metadata: not guessed either
        assertThatThrownBy(() -> task.apply(Map.of("output0", new long[] {1, 84, 8400})))
                .hasMessageContaining("no task");
    }

    @Test
    void shouldResizeRtDetrWithoutLetterboxing() {
        // what Ultralytics writes for RT-DETR: trained and run on a plain resize (scaleFill)
        Map<String, String> rtdetr =
                Map.of(
                        "task",
                        "detect",
                        "names",
                        "{0: 'person', 1: 'bicycle'}",
                        "description",
                        "Ultralytics rtdetr-l model trained on coco.yaml");
        Map<String, String> yolo =
                Map.of(
                        "task",
                        "detect",
                        "names",
                        "{0: 'person'}",
                        "description",
                        "Ultralytics YOLO11n model trained on coco.yaml");
        InputShape fixed = new InputShape("images", 1, 3, 640, 640);

        assertThat(
                        ModelSpecParser.parse(rtdetr, fixed, ModelSpecOverrides.NONE, "r")
                                .preprocess()
                                .resize())
                .isEqualTo(ResizeMode.STRETCH);
        assertThat(
                        ModelSpecParser.parse(yolo, fixed, ModelSpecOverrides.NONE, "y")
                                .preprocess()
                                .resize())
                .isEqualTo(ResizeMode.LETTERBOX);
    }

    @Test
    void shouldKnowWhenAnUltralyticsExportOutputsFinalDetections() {
        InputShape fixed = new InputShape("images", 1, 3, 640, 640);
        Map<String, String> yolo26 =
                Map.of("task", "detect", "names", "{0: 'person'}", "end2end", "True");
        Map<String, String> withNms =
                Map.of(
                        "task",
                        "detect",
                        "names",
                        "{0: 'person'}",
                        "args",
                        "{'batch': 1, 'half': False, 'nms': True}");
        Map<String, String> yolo11 =
                Map.of(
                        "task",
                        "detect",
                        "names",
                        "{0: 'person'}",
                        "end2end",
                        "False",
                        "args",
                        "{'batch': 1, 'nms': False}");

        assertThat(ModelSpecParser.parse(yolo26, fixed, ModelSpecOverrides.NONE, "m").endToEnd())
                .isTrue();
        assertThat(ModelSpecParser.parse(withNms, fixed, ModelSpecOverrides.NONE, "m").endToEnd())
                .isTrue();
        assertThat(ModelSpecParser.parse(yolo11, fixed, ModelSpecOverrides.NONE, "m").endToEnd())
                .isFalse();
    }

    @Test
    void shouldLetOverridesWinOverMetadata() {
        Map<String, String> metadata =
                Map.of(
                        ModelMetadataKeys.TASK, "detection",
                        ModelMetadataKeys.INPUT_WIDTH, "320",
                        ModelMetadataKeys.INPUT_HEIGHT, "320",
                        ModelMetadataKeys.RESIZE, "letterbox");
        ModelSpecOverrides overrides =
                ModelSpecOverrides.builder()
                        .resize(ResizeMode.STRETCH)
                        .channels(ChannelOrder.BGR)
                        .inputSize(256, 192)
                        .version(3)
                        .build();

        ModelSpec spec = ModelSpecParser.parse(metadata, DYNAMIC, overrides, "m");

        assertThat(spec.preprocess().resize()).isEqualTo(ResizeMode.STRETCH);
        assertThat(spec.preprocess().channels()).isEqualTo(ChannelOrder.BGR);
        assertThat(spec.inputWidth()).isEqualTo(256);
        assertThat(spec.inputHeight()).isEqualTo(192);
        assertThat(spec.version()).isEqualTo(3);
    }

    @Test
    void shouldRefuseMetadataThatContradictsTheGraph() {
        Map<String, String> metadata =
                Map.of(ModelMetadataKeys.TASK, "detection", ModelMetadataKeys.INPUT_WIDTH, "320");
        InputShape fixed = new InputShape("images", 1, 3, 640, 640);

        assertThatThrownBy(
                        () -> ModelSpecParser.parse(metadata, fixed, ModelSpecOverrides.NONE, "m"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("640x640");
    }

    @Test
    void shouldRefuseADynamicInputSizeWithoutMetadata() {
        Map<String, String> metadata = Map.of(ModelMetadataKeys.TASK, "segmentation");

        assertThatThrownBy(
                        () ->
                                ModelSpecParser.parse(
                                        metadata, DYNAMIC, ModelSpecOverrides.NONE, "m"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("input size");
    }

    @Test
    void shouldRefuseMetadataAskingForAHugeInput() {
        Map<String, String> metadata =
                Map.of(
                        ModelMetadataKeys.TASK,
                        "classification",
                        ModelMetadataKeys.INPUT_WIDTH,
                        "20000",
                        ModelMetadataKeys.INPUT_HEIGHT,
                        "20000");

        assertThatThrownBy(
                        () ->
                                ModelSpecParser.parse(
                                        metadata, DYNAMIC, ModelSpecOverrides.NONE, "m"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("model input 20000x20000 is outside 1..4096");
    }

    @Test
    void shouldPickGreyForSingleChannelInputs() {
        Map<String, String> metadata = Map.of(ModelMetadataKeys.TASK, "classification");

        ModelSpec spec =
                ModelSpecParser.parse(
                        metadata,
                        new InputShape("x", -1, 1, 28, 28),
                        ModelSpecOverrides.NONE,
                        "mnist");

        assertThat(spec.preprocess().channels()).isEqualTo(ChannelOrder.GRAY);
    }

    @Test
    void shouldParseBackTheMetadataItWrites() {
        ModelSpec original =
                ModelSpecParser.parse(
                        Map.of(ModelMetadataKeys.TASK, "detection"),
                        DYNAMIC,
                        ModelSpecOverrides.builder()
                                .classNames(
                                        java.util.List.of(
                                                "say \"hi\"", "back\\slash", "tab\tnew\nline"))
                                .inputSize(320, 256)
                                .resize(ResizeMode.LETTERBOX)
                                .padValue(100)
                                .normalization(
                                        io.streamtune.vision.preprocess.Normalization.IMAGENET)
                                .channels(ChannelOrder.BGR)
                                .outputProbabilities(true)
                                .name("shapes")
                                .version(4)
                                .build(),
                        "default");

        Map<String, String> written = original.toMetadata();
        ModelSpec parsed =
                ModelSpecParser.parse(written, DYNAMIC, ModelSpecOverrides.NONE, "other");

        assertThat(parsed.task()).isEqualTo(original.task());
        assertThat(parsed.classNames()).isEqualTo(original.classNames());
        assertThat(parsed.preprocess()).isEqualTo(original.preprocess());
        assertThat(parsed.outputProbabilities()).isTrue();
        assertThat(parsed.name()).isEqualTo("shapes");
        assertThat(parsed.version()).isEqualTo(4);
    }
}
