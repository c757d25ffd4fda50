package io.streamtune.vision.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.streamtune.contracts.ModelMetadataKeys;
import io.streamtune.contracts.Task;
import io.streamtune.vision.decode.ClassScore;
import io.streamtune.vision.decode.ClassificationDecoder;
import io.streamtune.vision.image.RgbImage;
import io.streamtune.vision.preprocess.ChannelOrder;
import io.streamtune.vision.preprocess.Normalization;
import io.streamtune.vision.preprocess.Preprocessor;
import io.streamtune.vision.preprocess.ResizeMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxModelRunnerTest {

    private static final float[][] WEIGHTS = {{1, 2, 3}, {-1, 0, 0.5f}};
    private static final float[] BIAS = {0.5f, -2};

    @TempDir Path dir;

    private static float[] randomImage(Random random, int size) {
        float[] image = new float[size];
        for (int i = 0; i < size; i++) {
            image[i] = random.nextFloat();
        }
        return image;
    }

    @Test
    void shouldRunAWholeBatchAtOnceWhenTheBatchIsDynamic() throws Exception {
        Map<String, String> metadata = Map.of(ModelMetadataKeys.TASK, "classification");
        Path file =
                Files.write(
                        dir.resolve("identity.onnx"), OnnxModels.identity(null, 4, 5, metadata));
        Random random = new Random(11);
        float[][] batch = {
            randomImage(random, 60), randomImage(random, 60), randomImage(random, 60)
        };

        try (OnnxModelRunner runner =
                OnnxModelRunner.load(file, RunnerOptions.defaults(), ModelSpecOverrides.NONE)) {
            Map<String, FloatTensor> out = runner.run(batch);

            assertThat(runner.inputShape().dynamicBatch()).isTrue();
            assertThat(runner.spec().inputWidth()).isEqualTo(5);
            assertThat(runner.spec().inputHeight()).isEqualTo(4);
            assertThat(runner.spec().name()).isEqualTo("identity");
            assertThat(out.get("out").shape()).containsExactly(3, 3, 4, 5);
            assertThat(java.util.Arrays.copyOfRange(out.get("out").data(), 60, 120))
                    .containsExactly(batch[1]);
        }
    }

    @Test
    void shouldFeedAChannelsLastModelPixelsInsteadOfPlanes() throws Exception {
        Map<String, String> metadata = Map.of(ModelMetadataKeys.TASK, "classification");
        Path file = Files.write(dir.resolve("keras.onnx"), OnnxModels.channelsLast(4, 5, metadata));
        Random random = new Random(12);
        float[][] batch = {randomImage(random, 60), randomImage(random, 60)};

        try (OnnxModelRunner runner =
                OnnxModelRunner.load(file, RunnerOptions.defaults(), ModelSpecOverrides.NONE)) {
            Map<String, FloatTensor> out = runner.run(batch);

            assertThat(runner.inputShape().channelsLast()).isTrue();
            assertThat(runner.inputShape().channels()).isEqualTo(3);
            assertThat(runner.spec().inputHeight()).isEqualTo(4);
            assertThat(runner.spec().inputWidth()).isEqualTo(5);
            // the model transposes its pixels back to planes: what comes out is what went in
            assertThat(out.get("out").shape()).containsExactly(2, 3, 4, 5);
            assertThat(java.util.Arrays.copyOfRange(out.get("out").data(), 0, 60))
                    .containsExactly(batch[0]);
            assertThat(java.util.Arrays.copyOfRange(out.get("out").data(), 60, 120))
                    .containsExactly(batch[1]);
        }
    }

    @Test
    void shouldFeedAnEightBitModelItsPixelValues() throws Exception {
        Map<String, String> metadata = Map.of(ModelMetadataKeys.TASK, "classification");
        Path file = Files.write(dir.resolve("tf.onnx"), OnnxModels.uint8Input(2, 2, metadata));
        float[] image = {0, 3.6f, 254.5f, 255, -2, 300, 17, 128, 1, 2, 3, 4};

        try (OnnxModelRunner runner =
                OnnxModelRunner.load(file, RunnerOptions.defaults(), ModelSpecOverrides.NONE)) {
            Map<String, FloatTensor> out = runner.run(new float[][] {image, image});

            assertThat(runner.inputShape().uint8()).isTrue();
            // no normalisation in its metadata: the pre-processor hands it 0..255
            assertThat(runner.spec().preprocess().normalization())
                    .isEqualTo(io.streamtune.vision.preprocess.Normalization.RAW);
            assertThat(java.util.Arrays.copyOfRange(out.get("out").data(), 12, 24))
                    .containsExactly(0, 4, 255, 255, 0, 255, 17, 128, 1, 2, 3, 4);
        }
    }

    @Test
    void shouldRunImageByImageWhenTheBatchIsFixedToOne() throws Exception {
        byte[] model =
                OnnxModels.conv1x1(
                        1, 2, 2, WEIGHTS, BIAS, Map.of(ModelMetadataKeys.TASK, "segmentation"));
        float[][] batch = new float[3][];
        for (int i = 0; i < 3; i++) {
            // Every pixel of image i is (r, g, b) = (i, 1, 2).
            batch[i] = new float[12];
            java.util.Arrays.fill(batch[i], 0, 4, i);
            java.util.Arrays.fill(batch[i], 4, 8, 1);
            java.util.Arrays.fill(batch[i], 8, 12, 2);
        }

        try (OnnxModelRunner runner =
                OnnxModelRunner.load(
                        model,
                        "conv",
                        RunnerOptions.withIntraOpThreads(2),
                        ModelSpecOverrides.NONE)) {
            Map<String, FloatTensor> out = runner.run(batch);

            assertThat(runner.inputShape().batch()).isEqualTo(1);
            assertThat(runner.outputNames()).containsExactly("logits", "pooled");
            FloatTensor pooled = out.get("pooled");
            assertThat(pooled.shape()).containsExactly(3, 2, 1, 1);
            for (int i = 0; i < 3; i++) {
                // channel 0 = i + 2 + 6 + 0.5; channel 1 = -i + 1 - 2.
                assertThat(pooled.data()[2 * i]).isCloseTo(i + 8.5f, within(1e-5f));
                assertThat(pooled.data()[2 * i + 1]).isCloseTo(-i - 1f, within(1e-5f));
            }
            assertThat(out.get("logits").shape()).containsExactly(3, 2, 2, 2);
        }
    }

    @Test
    void shouldPadOutputsWhoseSizeVariesBetweenRunsWithZeros() {
        // two one-image runs of a detector with NMS inside: 1 and then 2 boxes of [N, 3]
        java.util.Map<String, FloatTensor> first =
                java.util.Map.of(
                        "boxes", new FloatTensor(new long[] {1, 1, 3}, new float[] {1, 2, 3}));
        java.util.Map<String, FloatTensor> second =
                java.util.Map.of(
                        "boxes",
                        new FloatTensor(new long[] {1, 2, 3}, new float[] {4, 5, 6, 7, 8, 9}));

        FloatTensor both =
                OnnxModelRunner.concatenate(java.util.List.of(first, second)).get("boxes");

        assertThat(both.shape()).containsExactly(2, 2, 3);
        assertThat(both.data()).containsExactly(1, 2, 3, 0, 0, 0, 4, 5, 6, 7, 8, 9);
    }

    @Test
    void shouldPadTheLastChunkOfAFixedBatchAndDropItsOutputs() throws Exception {
        byte[] model =
                OnnxModels.conv1x1(
                        2, 1, 1, WEIGHTS, BIAS, Map.of(ModelMetadataKeys.TASK, "classification"));
        float[][] batch = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};

        try (OnnxModelRunner runner =
                OnnxModelRunner.load(
                        model, "conv", RunnerOptions.defaults(), ModelSpecOverrides.NONE)) {
            FloatTensor pooled = runner.run(batch).get("pooled");

            assertThat(pooled.shape()).containsExactly(3, 2, 1, 1);
            assertThat(pooled.data()).containsExactly(1.5f, -3f, 2.5f, -2f, 3.5f, -1.5f);
        }
    }

    @Test
    void shouldConfigureItselfFromStreamtuneMetadata() throws Exception {
        Map<String, String> metadata =
                Map.of(
                        ModelMetadataKeys.TASK, "classification",
                        ModelMetadataKeys.CLASSES, "[\"cat\", \"dog\"]",
                        ModelMetadataKeys.RESIZE, "stretch",
                        ModelMetadataKeys.MEAN, "0.485,0.456,0.406",
                        ModelMetadataKeys.STD, "0.229,0.224,0.225",
                        ModelMetadataKeys.CHANNEL_ORDER, "BGR",
                        ModelMetadataKeys.OUTPUT_PROBABILITIES, "false",
                        ModelMetadataKeys.MODEL_NAME, "pets",
                        ModelMetadataKeys.MODEL_VERSION, "7",
                        ModelMetadataKeys.PARENT_VERSION, "6");
        byte[] model = OnnxModels.conv1x1(null, 8, 8, WEIGHTS, BIAS, metadata);

        try (OnnxModelRunner runner =
                OnnxModelRunner.load(
                        model, "pets.onnx", RunnerOptions.defaults(), ModelSpecOverrides.NONE)) {
            ModelSpec spec = runner.spec();

            assertThat(spec.task()).isEqualTo(Task.CLASSIFICATION);
            assertThat(spec.classNames()).containsExactly("cat", "dog");
            assertThat(spec.preprocess().channels()).isEqualTo(ChannelOrder.BGR);
            assertThat(spec.preprocess().normalization()).isEqualTo(Normalization.IMAGENET);
            assertThat(spec.name()).isEqualTo("pets");
            assertThat(spec.version()).isEqualTo(7);
            assertThat(spec.parentVersion()).isEqualTo(6);
        }
    }

    @Test
    void shouldClassifyAnImageEndToEndThroughPreprocessorRunnerAndDecoder() throws Exception {
        // Pure blue image: channel 0 = 3 * 1 + 0.5 = 3.5, channel 1 = 0.5 - 2 = -1.5 -> "cat" wins.
        Map<String, String> metadata =
                Map.of(
                        ModelMetadataKeys.TASK,
                        "classification",
                        ModelMetadataKeys.CLASSES,
                        "[\"cat\",\"dog\"]");
        byte[] model = OnnxModels.conv1x1(null, 4, 4, WEIGHTS, BIAS, metadata);

        try (OnnxModelRunner runner =
                OnnxModelRunner.load(
                        model, "m", RunnerOptions.defaults(), ModelSpecOverrides.NONE)) {
            runner.warmUp();
            Preprocessor pre = new Preprocessor(runner.spec().preprocess());
            Preprocessor.Preprocessed input = pre.apply(RgbImage.filled(10, 6, 0, 0, 255));
            FloatTensor pooled = runner.run(new float[][] {input.input()}).get("pooled");
            List<ClassScore> top =
                    ClassificationDecoder.decode(
                            pooled.data(),
                            pooled.shape(),
                            0,
                            runner.spec().outputProbabilities(),
                            2,
                            runner.spec().classNames());

            assertThat(top.get(0).label()).isEqualTo("cat");
            assertThat(top.get(0).score())
                    .isCloseTo((float) (1 / (1 + Math.exp(-5))), within(1e-5f));
        }
    }

    @Test
    void shouldConfigureItselfFromUltralyticsMetadataWithDynamicSpatialSize() throws Exception {
        Map<String, String> metadata =
                Map.of(
                        "task", "detect",
                        "names", "{0: 'person', 1: 'car', 2: \"bus's\"}",
                        "imgsz", "[32, 48]",
                        "stride", "32");
        byte[] model = OnnxModels.identity(1, "height", "width", metadata);

        try (OnnxModelRunner runner =
                OnnxModelRunner.load(
                        model, "yolo", RunnerOptions.defaults(), ModelSpecOverrides.NONE)) {
            ModelSpec spec = runner.spec();
            Map<String, FloatTensor> out = runner.run(new float[][] {new float[3 * 32 * 48]});

            assertThat(spec.task()).isEqualTo(Task.DETECTION);
            assertThat(spec.classNames()).containsExactly("person", "car", "bus's");
            assertThat(spec.inputHeight()).isEqualTo(32);
            assertThat(spec.inputWidth()).isEqualTo(48);
            assertThat(spec.preprocess().resize()).isEqualTo(ResizeMode.LETTERBOX);
            assertThat(spec.preprocess().padValue()).isEqualTo(114);
            assertThat(spec.stride()).isEqualTo(32);
            assertThat(out.get("out").shape()).containsExactly(1, 3, 32, 48);
        }
    }

    @Test
    void shouldRefuseAModelWithoutMetadataUnlessOverridden() throws Exception {
        Path file =
                Files.write(dir.resolve("bare.onnx"), OnnxModels.identity(null, 4, 4, Map.of()));
        ModelSpecOverrides overrides =
                ModelSpecOverrides.builder()
                        .task(Task.SEGMENTATION)
                        .classNames(List.of("bg", "fg"))
                        .name("bare-model")
                        .build();

        assertThatThrownBy(
                        () ->
                                OnnxModelRunner.load(
                                        file, RunnerOptions.defaults(), ModelSpecOverrides.NONE))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("bare.onnx")
                .hasMessageContaining("no task");
        try (OnnxModelRunner runner =
                OnnxModelRunner.load(file, RunnerOptions.defaults(), overrides)) {
            assertThat(runner.spec().task()).isEqualTo(Task.SEGMENTATION);
            assertThat(runner.spec().name()).isEqualTo("bare-model");
        }
    }

    @Test
    void shouldNameTheFileWhenItIsNotAModel() throws Exception {
        Path file =
                Files.write(
                        dir.resolve("broken.onnx"),
                        "not a protobuf".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertThatThrownBy(
                        () ->
                                OnnxModelRunner.load(
                                        file, RunnerOptions.defaults(), ModelSpecOverrides.NONE))
                .isInstanceOfSatisfying(
                        ModelLoadException.class,
                        e -> {
                            assertThat(e.source()).endsWith("broken.onnx");
                            assertThat(e.getMessage()).contains("broken.onnx");
                        });
        assertThatThrownBy(
                        () ->
                                OnnxModelRunner.load(
                                        dir.resolve("missing.onnx"),
                                        RunnerOptions.defaults(),
                                        ModelSpecOverrides.NONE))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("missing.onnx");
    }

    @Test
    void shouldRefuseImagesOfTheWrongSize() throws Exception {
        byte[] model =
                OnnxModels.identity(null, 4, 4, Map.of(ModelMetadataKeys.TASK, "classification"));

        try (OnnxModelRunner runner =
                OnnxModelRunner.load(
                        model, "m", RunnerOptions.defaults(), ModelSpecOverrides.NONE)) {
            assertThatThrownBy(() -> runner.run(new float[][] {new float[47]}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("expects 48");
        }
    }
}
