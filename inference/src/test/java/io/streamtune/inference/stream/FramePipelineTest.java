package io.streamtune.inference.stream;

import static io.streamtune.testkit.Eventually.until;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamtune.contracts.DeadLetter;
import io.streamtune.inference.InferenceConfig;
import io.streamtune.inference.InferenceMetrics;
import io.streamtune.inference.TestFrames;
import io.streamtune.inference.TestModels;
import io.streamtune.inference.model.ModelSlot;
import io.streamtune.inference.model.ServingModel;
import io.streamtune.kafka.embedded.MockClients;
import io.streamtune.vision.decode.DetectionOptions;
import io.streamtune.vision.image.ImageDecoder;
import io.streamtune.vision.image.ImageLimits;
import io.streamtune.vision.model.ModelSpecOverrides;
import io.streamtune.vision.model.OnnxModelRunner;
import io.streamtune.vision.model.RunnerOptions;
import java.awt.Color;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The frame loop on Kafka's own MockConsumer and MockProducer, with a real ONNX model in ONNX
 * Runtime: a poison frame between good ones is dead-lettered with its reason while the loop goes
 * on, every frame gets exactly one output, and the offsets of all of them are committed.
 */
class FramePipelineTest {

    private static final TopicPartition TP = new TopicPartition("frames", 0);

    @Test
    void shouldDeadLetterAPoisonFrameAndGoOnCommittingEverything() throws Exception {
        MockConsumer<byte[], byte[]> consumer = MockClients.consumer();
        MockProducer<byte[], byte[]> producer = MockClients.producer(true);
        InferenceMetrics metrics = new InferenceMetrics(new SimpleMeterRegistry(), "cars");
        ModelSlot slot = detectorSlot();
        byte[][] values = {
            TestFrames.jpeg(64, 64, Color.RED),
            TestFrames.truncatedJpeg(),
            "not an image at all".getBytes(StandardCharsets.UTF_8),
            TestFrames.jpeg(64, 48, Color.BLUE),
            null
        };
        consumer.schedulePollTask(
                () -> {
                    consumer.rebalance(List.of(TP));
                    consumer.updateBeginningOffsets(Map.of(TP, 0L));
                    for (int i = 0; i < values.length; i++) {
                        consumer.addRecord(
                                new ConsumerRecord<>(
                                        TP.topic(),
                                        TP.partition(),
                                        i,
                                        ("cam-" + i).getBytes(StandardCharsets.UTF_8),
                                        values[i]));
                    }
                });

        FramePipeline pipeline = start(consumer, producer, slot, metrics, CameraRoutes.ALL);
        try {
            await(() -> committed(consumer) != null && committed(consumer) == values.length);

            List<String> topics = producer.history().stream().map(r -> r.topic()).toList();
            assertThat(topics).hasSize(values.length);
            assertThat(topics.stream().filter("predictions.detections"::equals)).hasSize(2);
            assertThat(topics.stream().filter("frames.dlq"::equals)).hasSize(3);
            for (var r : producer.history()) {
                if (r.topic().equals("frames.dlq")) {
                    assertThat(r.headers().lastHeader(DeadLetter.REASON)).isNotNull();
                    assertThat(r.headers().lastHeader(DeadLetter.SOURCE_OFFSET)).isNotNull();
                }
            }
            assertThat(pipeline.isRunning()).isTrue();
        } finally {
            pipeline.close();
        }
        assertThat(pipeline.isRunning()).isFalse();
    }

    @Test
    void shouldPassOverOtherModelsCamerasAndStillCommitEveryOffsetInOrder() throws Exception {
        MockConsumer<byte[], byte[]> consumer = MockClients.consumer();
        MockProducer<byte[], byte[]> producer = MockClients.producer(true);
        InferenceMetrics metrics = new InferenceMetrics(new SimpleMeterRegistry(), "cars");
        ModelSlot slot = detectorSlot();
        // served: gate-1 (offset 0), gate-2 (2); passed over: lobby (1), the tail (3, 4)
        String[] cameras = {"gate-1", "lobby", "gate-2", "lobby", "gate-9x"};
        byte[] image = TestFrames.jpeg(64, 48, Color.RED);
        consumer.schedulePollTask(
                () -> {
                    consumer.rebalance(List.of(TP));
                    consumer.updateBeginningOffsets(Map.of(TP, 0L));
                    for (int i = 0; i < cameras.length; i++) {
                        consumer.addRecord(
                                new ConsumerRecord<>(
                                        TP.topic(),
                                        TP.partition(),
                                        i,
                                        cameras[i].getBytes(StandardCharsets.UTF_8),
                                        image));
                    }
                });

        FramePipeline pipeline =
                start(consumer, producer, slot, metrics, CameraRoutes.parse("gate-?"));
        try {
            await(() -> committed(consumer) != null && committed(consumer) == cameras.length);

            assertThat(producer.history())
                    .extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                    .containsExactly("gate-1", "gate-2");
            assertThat(producer.history())
                    .allMatch(r -> r.topic().equals("predictions.detections"));
            assertThat(pipeline.isRunning()).isTrue();
        } finally {
            pipeline.close();
        }
    }

    @Test
    void shouldMatchCamerasByGlobsWithExclusions() {
        CameraRoutes r = CameraRoutes.parse("lobby-*, gate-?, !lobby-test*");
        assertThat(r.test("lobby-1")).isTrue();
        assertThat(r.test("gate-7")).isTrue();
        assertThat(r.test("gate-10")).isFalse();
        assertThat(r.test("lobby-test-2")).isFalse();
        assertThat(r.test("xlobby-1")).isFalse();
        assertThat(r.test("")).isFalse();
        assertThat(CameraRoutes.parse("*").test("")).isTrue();
        assertThat(CameraRoutes.parse(" ").servesAll()).isTrue();
        // only exclusions: everything else
        CameraRoutes but = CameraRoutes.parse("!test-*");
        assertThat(but.test("gate-1")).isTrue();
        assertThat(but.test("test-1")).isFalse();
        // regex characters are literal
        assertThat(CameraRoutes.parse("cam.1").test("camx1")).isFalse();
        assertThat(CameraRoutes.parse("cam.1").test("cam.1")).isTrue();
    }

    private static ModelSlot detectorSlot() throws Exception {
        ModelSlot slot = new ModelSlot();
        slot.install(
                new ServingModel(
                        "cars",
                        3,
                        OnnxModelRunner.load(
                                TestModels.detector("cars", 3, ""),
                                "cars",
                                RunnerOptions.defaults(),
                                ModelSpecOverrides.NONE)));
        return slot;
    }

    /** The loop on the mock clients, batches of 8 within 20 ms, at-least-once. */
    private static FramePipeline start(
            MockConsumer<byte[], byte[]> consumer,
            MockProducer<byte[], byte[]> producer,
            ModelSlot slot,
            InferenceMetrics metrics,
            CameraRoutes cameras) {
        return FramePipeline.start(
                consumer,
                producer,
                1 << 20,
                new FramePipeline.TopicNames(
                        "frames",
                        "frames.dlq",
                        "predictions.detections",
                        "predictions.segmentations",
                        "predictions.classifications",
                        "predictions.stylizations"),
                new FramePipeline.Settings(
                        8,
                        Duration.ofMillis(20),
                        InferenceConfig.Delivery.AT_LEAST_ONCE,
                        InferenceConfig.NoModelPolicy.WAIT,
                        Duration.ofSeconds(30),
                        cameras),
                new BatchPredictor(
                        new ImageDecoder(ImageLimits.defaults()),
                        DetectionOptions.DEFAULTS,
                        3,
                        metrics,
                        Clock.systemUTC()),
                slot,
                metrics,
                Clock.systemUTC());
    }

    private static Long committed(MockConsumer<byte[], byte[]> consumer) {
        var c = consumer.committed(Set.of(TP)).get(TP);
        return c == null ? null : c.offset();
    }

    private static void await(BooleanSupplier condition) {
        until(Duration.ofSeconds(30), "every frame committed", condition);
    }
}
