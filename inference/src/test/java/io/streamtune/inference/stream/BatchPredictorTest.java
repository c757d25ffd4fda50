package io.streamtune.inference.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamtune.contracts.DetectionsEmitted;
import io.streamtune.contracts.FrameHeaders;
import io.streamtune.contracts.SegmentationsEmitted;
import io.streamtune.contracts.Task;
import io.streamtune.inference.InferenceMetrics;
import io.streamtune.inference.TestFrames;
import io.streamtune.inference.TestModels;
import io.streamtune.inference.model.ServingModel;
import io.streamtune.vision.decode.DetectionOptions;
import io.streamtune.vision.image.ImageDecoder;
import io.streamtune.vision.image.ImageLimits;
import io.streamtune.vision.mask.Rle;
import io.streamtune.vision.model.ModelSpecOverrides;
import io.streamtune.vision.model.OnnxModelRunner;
import io.streamtune.vision.model.RunnerOptions;
import java.awt.Color;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class BatchPredictorTest {

    private static final Clock CLOCK =
            Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    /** A served version of {@code onnx} configured from its own metadata. */
    private static ServingModel serving(String model, int version, byte[] onnx) throws Exception {
        return new ServingModel(
                model,
                version,
                OnnxModelRunner.load(
                        onnx, model, RunnerOptions.defaults(), ModelSpecOverrides.NONE));
    }

    private final BatchPredictor predictor =
            new BatchPredictor(
                    new ImageDecoder(ImageLimits.defaults()),
                    DetectionOptions.DEFAULTS,
                    3,
                    new InferenceMetrics(registry, "cars"),
                    CLOCK);

    @Test
    void shouldDetectRedInSourcePixelsAndDeadLetterATruncatedJpegWhileTheBatchCompletes()
            throws Exception {
        ServingModel model = serving("cars", 4, TestModels.detector("cars", 4, ""));
        List<Frame> frames =
                List.of(
                        frame(0, TestFrames.jpeg(64, 64, Color.RED), "cam-1", "f-1"),
                        frame(1, TestFrames.truncatedJpeg(), "cam-1", null),
                        frame(2, TestFrames.jpeg(64, 64, Color.BLUE), "cam-2", null));

        List<FrameOutcome> outcomes = predictor.predict(model, frames);

        assertThat(outcomes).hasSize(3);
        var red = (DetectionsEmitted) ((FrameOutcome.Predicted) outcomes.get(0)).value();
        assertThat(red.frame().frameId()).isEqualTo("f-1");
        assertThat(red.frame().cameraId()).isEqualTo("cam-1");
        assertThat(red.frame().capturedAt()).isEqualTo(Instant.ofEpochMilli(1_000));
        assertThat(red.frame().model()).isEqualTo("cars");
        assertThat(red.frame().modelVersion()).isEqualTo(4);
        assertThat(red.frame().width()).isEqualTo(64);
        // 16 cells of 8x8 input pixels, letterbox scale 0.5: 16x16 source boxes tiling the frame.
        assertThat(red.detections())
                .hasSize(16)
                .allSatisfy(
                        d -> {
                            assertThat(d.label()).isEqualTo("red");
                            assertThat(d.score()).isGreaterThan(0.99);
                            assertThat(d.box().width()).isEqualTo(16.0);
                            assertThat(d.box().isInside(64, 64)).isTrue();
                        });
        assertThat(outcomes.get(1))
                .isInstanceOfSatisfying(
                        FrameOutcome.Rejected.class,
                        r -> {
                            assertThat(r.reason()).isEqualTo(BatchPredictor.CORRUPT_IMAGE);
                            assertThat(r.detail()).startsWith("truncated");
                        });
        var blue = (DetectionsEmitted) ((FrameOutcome.Predicted) outcomes.get(2)).value();
        assertThat(blue.frame().frameId()).isEqualTo("frames-0-2");
        assertThat(blue.detections())
                .extracting(DetectionsEmitted.Detection::label)
                .containsOnly("blue");
        assertThat(registry.get(InferenceMetrics.BATCH_SIZE).summary().max()).isEqualTo(2.0);
        model.release();
        assertThat(model.isClosed()).isTrue();
    }

    @Test
    void shouldEmitTheStylizedFrameAsAJpegInTheSourceAspectRatioAtTheConfiguredSize()
            throws Exception {
        ServingModel model = serving("paint", 3, TestModels.stylizer("paint", 3));
        BatchPredictor sized =
                new BatchPredictor(
                        new ImageDecoder(ImageLimits.defaults()),
                        DetectionOptions.DEFAULTS,
                        3,
                        new InferenceMetrics(registry, "paint"),
                        CLOCK,
                        null,
                        64);
        List<FrameOutcome> outcomes =
                sized.predict(
                        model,
                        List.of(
                                frame(
                                        0,
                                        TestFrames.png(40, 20, Color.BLACK, Color.RED),
                                        "c",
                                        null)));

        var p = (FrameOutcome.Predicted) outcomes.get(0);
        assertThat(p.task()).isEqualTo(Task.STYLIZATION);
        var s = (io.streamtune.contracts.StylizedFrame) p.value();
        assertThat(s.width()).isEqualTo(64);
        assertThat(s.height()).isEqualTo(32);
        assertThat(s.frame().model()).isEqualTo("paint");
        assertThat(s.frame().modelVersion()).isEqualTo(3);
        var img = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(s.jpeg()));
        assertThat(img.getWidth()).isEqualTo(64);
        // black became white on the left, red became cyan on the right
        java.awt.Color left = new java.awt.Color(img.getRGB(8, 16));
        java.awt.Color right = new java.awt.Color(img.getRGB(56, 16));
        assertThat(left.getRed()).isGreaterThan(200);
        assertThat(left.getBlue()).isGreaterThan(200);
        assertThat(right.getRed()).isLessThan(60);
        assertThat(right.getGreen()).isGreaterThan(200);
        var record = s.toRecord("predictions.stylizations", "c".getBytes());
        assertThat(new String(record.headers().lastHeader("model-version").value())).isEqualTo("3");
        assertThat(record.value()).isEqualTo(s.jpeg());
        model.release();
    }

    @Test
    void shouldSegmentHalfRedFrameIntoTwoHalvesOfTheSourceSize() throws Exception {
        ServingModel model = serving("roads", 1, TestModels.segmenter("roads", 1));

        List<FrameOutcome> outcomes =
                predictor.predict(
                        model,
                        List.of(
                                frame(
                                        0,
                                        TestFrames.png(40, 20, Color.BLACK, Color.RED),
                                        "c",
                                        null)));

        var seg = (SegmentationsEmitted) ((FrameOutcome.Predicted) outcomes.get(0)).value();
        assertThat(((FrameOutcome.Predicted) outcomes.get(0)).task()).isEqualTo(Task.SEGMENTATION);
        assertThat(seg.mask().width()).isEqualTo(40);
        assertThat(seg.mask().height()).isEqualTo(20);
        assertThat(seg.classAreas())
                .extracting(SegmentationsEmitted.ClassArea::label)
                .containsExactly("background", "red");
        assertThat(seg.classAreas())
                .extracting(SegmentationsEmitted.ClassArea::pixels)
                .containsExactly(400L, 400L);
        // Column-major: 20 background columns of 20 pixels, then 20 red columns.
        assertThat(seg.mask().values()).containsExactly(0, 1);
        assertThat(seg.mask().counts()).containsExactly(400, 400);
        model.release();
    }

    @Test
    void shouldAttachTheEmbeddingSummaryToTheFrameAndDecodeTheTaskOutputAsBefore()
            throws Exception {
        ServingModel model = serving("roads", 2, TestModels.segmenter("roads", 2, true));

        List<FrameOutcome> outcomes =
                predictor.predict(
                        model,
                        List.of(
                                frame(0, TestFrames.png(40, 20, Color.BLACK, Color.RED), "c", null),
                                frame(
                                        1,
                                        TestFrames.png(40, 20, Color.BLUE, Color.BLUE),
                                        "c",
                                        null)));

        var half = (SegmentationsEmitted) ((FrameOutcome.Predicted) outcomes.get(0)).value();
        var blue = (SegmentationsEmitted) ((FrameOutcome.Predicted) outcomes.get(1)).value();
        assertThat(half.classAreas())
                .extracting(SegmentationsEmitted.ClassArea::pixels)
                .containsExactly(400L, 400L);
        // the mean of each model input channel: red only in the first frame, blue in the second
        assertThat(half.frame().embedding()).hasSize(3);
        assertThat(half.frame().embedding().get(0)).isGreaterThan(half.frame().embedding().get(2));
        assertThat(blue.frame().embedding().get(2)).isGreaterThan(blue.frame().embedding().get(0));
        assertThat(blue.classAreas())
                .extracting(SegmentationsEmitted.ClassArea::label)
                .containsExactly("blue");
        assertThat(((FrameOutcome.Predicted) outcomes.get(0)).novelty())
                .as("a version without an embedding reference judges no frame novel")
                .isNaN();
        model.release();

        // a version whose gate images were all dark: a blue frame is far outside them
        List<io.streamtune.contracts.DriftReference.Observation> gate = new java.util.ArrayList<>();
        for (int k = 0; k < 40; k++) {
            float v = -3f + 0.01f * k;
            gate.add(
                    new io.streamtune.contracts.DriftReference.Observation(
                            "bg", 0.9, List.of(v, v, v)));
        }
        var reference = io.streamtune.contracts.DriftReference.of(gate).embedding();
        ServingModel judged =
                new ServingModel(
                        "roads",
                        3,
                        OnnxModelRunner.load(
                                TestModels.segmenter("roads", 3, true),
                                "roads",
                                RunnerOptions.defaults(),
                                ModelSpecOverrides.NONE),
                        false,
                        reference);
        List<FrameOutcome> seen =
                predictor.predict(
                        judged,
                        List.of(
                                frame(
                                        2,
                                        TestFrames.png(40, 20, Color.BLUE, Color.BLUE),
                                        "c",
                                        null)));
        assertThat(((FrameOutcome.Predicted) seen.get(0)).novelty()).isEqualTo(1.0);
        assertThat(reference.novelty(List.of(-2.8f, -2.8f, -2.8f)))
                .as("a frame like the middle of the gate images")
                .isZero();
        judged.release();
    }

    @Test
    void shouldServeAModelWithoutMetadataFromConfiguredOverrides() throws Exception {
        var overrides =
                io.streamtune.inference.InferenceConfig.from(
                                io.streamtune.runtime.ConfigSource.of(
                                        java.util.Map.of(
                                                "inference.model.task", "detection",
                                                "inference.model.classes", "[\"ruby\",\"sky\"]",
                                                "inference.model.input.width", "32",
                                                "inference.model.resize", "letterbox")))
                        .overrides();
        ServingModel model =
                new ServingModel(
                        "cars",
                        1,
                        OnnxModelRunner.load(
                                TestModels.withoutMetadata(TestModels.detector("cars", 1, "")),
                                "cars",
                                RunnerOptions.defaults(),
                                overrides));

        List<FrameOutcome> outcomes =
                predictor.predict(
                        model, List.of(frame(0, TestFrames.jpeg(32, 32, Color.BLUE), "c", null)));

        var blue = (DetectionsEmitted) ((FrameOutcome.Predicted) outcomes.get(0)).value();
        assertThat(blue.detections())
                .extracting(DetectionsEmitted.Detection::label)
                .containsOnly("sky");
        model.release();
    }

    @Test
    void shouldEmitTheDetectionsOfAnInstanceSegmentationModel() throws Exception {
        ServingModel model = serving("cars", 2, TestModels.instanceSegmenter("cars", 2));

        List<FrameOutcome> outcomes =
                predictor.predict(
                        model, List.of(frame(0, TestFrames.jpeg(32, 32, Color.RED), "c", null)));

        var predicted = (FrameOutcome.Predicted) outcomes.get(0);
        var red = (DetectionsEmitted) predicted.value();
        assertThat(predicted.task()).isEqualTo(Task.DETECTION);
        assertThat(red.detections())
                .hasSize(16)
                .extracting(DetectionsEmitted.Detection::label)
                .containsOnly("red");
        // Every mask fills its box (the test model's prototypes and coefficients are all 1),
        // in source-image pixels.
        for (DetectionsEmitted.Detection d : red.detections()) {
            assertThat(d.mask().size()).containsExactly(32, 32);
            Rle mask = Rle.fromCompressedString(d.mask().counts(), 32, 32);
            double boxArea = d.box().width() * d.box().height();
            assertThat((double) mask.area()).isCloseTo(boxArea, within(boxArea * 0.35 + 4));
        }
        model.release();
    }

    @Test
    void shouldPredictTheSameWhenFramesAreDecodedInParallel() throws Exception {
        ServingModel model = serving("cars", 1, TestModels.detector("cars", 1, ""));
        List<Frame> frames =
                List.of(
                        frame(0, TestFrames.jpeg(64, 48, Color.RED), "a", null),
                        frame(1, TestFrames.truncatedJpeg(), "a", null),
                        frame(2, TestFrames.jpeg(40, 64, Color.BLUE), "b", null),
                        frame(3, TestFrames.png(50, 50, Color.RED, Color.BLUE), "c", null));
        var pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            var parallel =
                    new BatchPredictor(
                            new ImageDecoder(ImageLimits.defaults()),
                            DetectionOptions.DEFAULTS,
                            3,
                            new InferenceMetrics(new SimpleMeterRegistry(), "cars"),
                            CLOCK,
                            pool);

            List<FrameOutcome> inline = predictor.predict(model, frames);
            List<FrameOutcome> spread = parallel.predict(model, frames);

            assertThat(spread).isEqualTo(inline);
            assertThat(spread.get(1)).isInstanceOf(FrameOutcome.Rejected.class);
            assertThat(spread.get(3)).isInstanceOf(FrameOutcome.Predicted.class);
        } finally {
            pool.shutdownNow();
            model.release();
        }
    }

    static Frame frame(long offset, byte[] value, String camera, String frameId) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(FrameHeaders.CAPTURE_TIME, "1000".getBytes(StandardCharsets.UTF_8));
        if (frameId != null) {
            headers.add(FrameHeaders.FRAME_ID, frameId.getBytes(StandardCharsets.UTF_8));
        }
        var record =
                new ConsumerRecord<>(
                        "frames",
                        0,
                        offset,
                        5_000L,
                        TimestampType.CREATE_TIME,
                        0,
                        value.length,
                        camera.getBytes(StandardCharsets.UTF_8),
                        value,
                        headers,
                        Optional.<Integer>empty());
        return Frame.of(record, 0);
    }
}
