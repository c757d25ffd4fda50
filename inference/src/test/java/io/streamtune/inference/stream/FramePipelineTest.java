package io.streamtune.inference.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamtune.contracts.DeadLetter;
import io.streamtune.inference.InferenceConfig;
import io.streamtune.inference.InferenceMetrics;
import io.streamtune.inference.TestFrames;
import io.streamtune.inference.TestModels;
import io.streamtune.inference.model.ModelSlot;
import io.streamtune.inference.model.ServingModel;
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
import org.apache.kafka.common.serialization.ByteArraySerializer;
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
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
        MockProducer<byte[], byte[]> producer =
                new MockProducer<>(
                        true, null, new ByteArraySerializer(), new ByteArraySerializer());
        InferenceMetrics metrics = new InferenceMetrics(new SimpleMeterRegistry(), "cars");
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

        FramePipeline pipeline =
                FramePipeline.start(
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
                                Duration.ofSeconds(30)),
                        new BatchPredictor(
                                new ImageDecoder(ImageLimits.defaults()),
                                DetectionOptions.DEFAULTS,
                                3,
                                metrics,
                                Clock.systemUTC()),
                        slot,
                        metrics,
                        Clock.systemUTC());
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

    private static Long committed(MockConsumer<byte[], byte[]> consumer) {
        var c = consumer.committed(Set.of(TP)).get(TP);
        return c == null ? null : c.offset();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(20);
        }
    }
}
