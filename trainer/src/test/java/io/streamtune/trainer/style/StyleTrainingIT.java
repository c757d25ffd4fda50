package io.streamtune.trainer.style;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.Label;
import io.streamtune.contracts.LabelledImageAccepted;
import io.streamtune.contracts.ModelPublished;
import io.streamtune.contracts.ModelRejected;
import io.streamtune.contracts.Task;
import io.streamtune.contracts.Topics;
import io.streamtune.contracts.TrainingTriggered;
import io.streamtune.kafka.embedded.EmbeddedKafkaBroker;
import io.streamtune.kafka.embedded.SharedKafka;
import io.streamtune.kafka.embedded.TopicClients;
import io.streamtune.onnx.djl.nets.ReferenceNets;
import io.streamtune.onnx.ir.OnnxWriter;
import io.streamtune.runtime.ConfigSource;
import io.streamtune.runtime.TopicProvisioner;
import io.streamtune.trainer.TrainerConfig;
import io.streamtune.trainer.TrainerService;
import io.streamtune.vision.artifact.Sha256;
import io.streamtune.vision.image.RgbImage;
import io.streamtune.vision.model.ModelSpecOverrides;
import io.streamtune.vision.model.OnnxModelRunner;
import io.streamtune.vision.model.RunnerOptions;
import io.streamtune.vision.pipeline.Prediction;
import io.streamtune.vision.pipeline.Predictor;
import io.streamtune.vision.pipeline.PredictorOptions;
import io.streamtune.vision.synth.SyntheticScenes;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stylization model through the real broker and the trainer service: one style image and content
 * images arrive on the labelled topic, a trigger trains a stylizer (small, on a random-weight
 * perceptual network: this proves the plumbing, the evidence is in {@code bench style}), the gate
 * scores the exported ONNX on content only it saw, and the published artifact serves stylized
 * frames through vision's predictor; a second run continues from the first version.
 */
@ExtendWith(SharedKafka.class)
class StyleTrainingIT {

    @TempDir Path dataDir;

    @Test
    void styleAndContentThroughKafkaBecomeAPublishedStylizerThatTheNextRunContinues(
            EmbeddedKafkaBroker broker) throws Exception {
        String prefix = SharedKafka.unique("trainer-style") + ".";
        String servers = broker.bootstrapServers();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", servers))) {
            TopicProvisioner.create(
                    admin,
                    List.of(
                            new NewTopic(prefix + Topics.IMAGES_LABELLED.name(), 3, (short) 1),
                            new NewTopic(prefix + Topics.TRAINING_TRIGGERS.name(), 3, (short) 1)),
                    30_000);
        }
        Path perceptual = dataDir.resolve("perceptual.onnx");
        Files.write(
                perceptual,
                OnnxWriter.toBytes(
                        ReferenceNets.mobilenetV2(
                                32, 4, ReferenceNets.BatchNormStyle.UNFOLDED, 11)));
        Map<String, String> m = new HashMap<>();
        m.put("kafka.bootstrap.servers", servers);
        m.put("topic.prefix", prefix);
        m.put("data.dir", dataDir.toString());
        m.put("http.host", "127.0.0.1");
        m.put("http.port", "0");
        m.put("trainer.base.model", perceptual.toString());
        m.put("trainer.style.size", "32");
        m.put("trainer.style.steps", "30");
        m.put("trainer.style.channels", "4");
        m.put("trainer.style.blocks", "1");
        m.put("trainer.style.layers", "2,4,8");
        m.put("trainer.style.content.stride", "4");
        m.put("trainer.gate.min.samples", "5");
        // a random-weight perceptual net and 30 steps: the floor is lowered so that the plumbing
        // is tested here (the gate's honest rejection of a first stylizer worse than the unchanged
        // image was seen with floor 0: gain -0.10, CI [-0.31, 0.13]); quality is in bench style
        m.put("trainer.style.gate.floor", "-1");
        m.put("trainer.threads", "1");
        TrainerConfig config = TrainerConfig.from(ConfigSource.of(m));
        try (var producer = producer(servers);
                var service = TrainerService.start(config)) {
            assertThat(service.shell().awaitReady(Duration.ofSeconds(30))).isTrue();
            for (RgbImage c : StyleTrainerTest.contents(60, 1)) {
                send(producer, prefix, c, new Label.ContentLabel());
            }
            producer.flush();
            // content without a style: the run fails and says what is missing
            trigger(producer, prefix, "s0");
            boolean said =
                    awaitContaining(
                            servers,
                            prefix + Topics.TRAINING_PROGRESS.name(),
                            "no style image",
                            Duration.ofMinutes(2));
            assertThat(said).as("a failed run naming the missing style").isTrue();
            // a style image that does not decode (an ingest checking headers only lets a
            // truncated PNG through): skipped with a warning, and the run says so
            ByteArrayOutputStream good = new ByteArrayOutputStream();
            ImageIO.write(StyleTrainerTest.stripes(48).toBufferedImage(), "png", good);
            byte[] truncated = java.util.Arrays.copyOf(good.toByteArray(), good.size() / 2);
            send(producer, prefix, truncated, 48, 48, new Label.StyleLabel());
            producer.flush();
            trigger(producer, prefix, "s0b");
            assertThat(
                            awaitContaining(
                                    servers,
                                    prefix + Topics.TRAINING_PROGRESS.name(),
                                    "could not be decoded",
                                    Duration.ofMinutes(2)))
                    .as("a failed run naming the undecodable style")
                    .isTrue();
            send(producer, prefix, StyleTrainerTest.stripes(48), new Label.StyleLabel());
            producer.flush();
            trigger(producer, prefix, "s1");
            ConsumerRecord<byte[], byte[]> first =
                    awaitAny(
                            servers,
                            List.of(
                                    prefix + Topics.MODELS_PUBLISHED.name(),
                                    prefix + Topics.MODELS_REJECTED.name()),
                            Duration.ofMinutes(4));
            assertThat(first.topic())
                    .as(new String(first.value(), StandardCharsets.UTF_8))
                    .isEqualTo(prefix + Topics.MODELS_PUBLISHED.name());
            ModelPublished v1 = JsonSerde.of(ModelPublished.class).fromBytes(first.value());
            assertThat(v1.task()).isEqualTo(Task.STYLIZATION);
            assertThat(v1.metricName()).isEqualTo("style_gain");
            assertThat(v1.metrics()).containsKeys("style_loss", "content_loss", "unchanged_loss");
            assertThat(v1.promotion()).isNotNull();
            byte[] onnx = service.store().fetch(v1.artifact());
            try (var runner =
                    OnnxModelRunner.load(
                            onnx,
                            "paint",
                            RunnerOptions.withIntraOpThreads(1),
                            ModelSpecOverrides.NONE)) {
                Prediction p =
                        new Predictor(runner, PredictorOptions.DEFAULTS)
                                .predict(List.of(SyntheticScenes.generate(9, 64, 48, 2).image()))
                                .get(0);
                assertThat(((Prediction.Stylized) p).image().width()).isEqualTo(32);
                assertThat(((Prediction.Stylized) p).image().height()).isEqualTo(24);
            }
            // new content: the next run continues from v1 (the transfer step of this task)
            for (RgbImage c : StyleTrainerTest.contents(20, 500)) {
                send(producer, prefix, c, new Label.ContentLabel());
            }
            producer.flush();
            trigger(producer, prefix, "s2");
            List<ConsumerRecord<byte[], byte[]>> outcomes =
                    readAll(
                            servers,
                            List.of(
                                    prefix + Topics.MODELS_PUBLISHED.name(),
                                    prefix + Topics.MODELS_REJECTED.name()),
                            2,
                            Duration.ofMinutes(4));
            ConsumerRecord<byte[], byte[]> second = outcomes.get(outcomes.size() - 1);
            if (second.topic().endsWith(Topics.MODELS_PUBLISHED.name())) {
                ModelPublished v2 = JsonSerde.of(ModelPublished.class).fromBytes(second.value());
                assertThat(v2.version()).isEqualTo(2);
                assertThat(v2.parentVersion()).isEqualTo(1);
            } else {
                ModelRejected r = JsonSerde.of(ModelRejected.class).fromBytes(second.value());
                // judged against production on the same gate images
                assertThat(r.productionMetric()).isFinite();
            }
        }
    }

    private static void send(
            KafkaProducer<byte[], byte[]> producer, String prefix, RgbImage image, Label label)
            throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image.toBufferedImage(), "png", out);
        send(producer, prefix, out.toByteArray(), image.width(), image.height(), label);
    }

    /** Image bytes as they arrived, even ones that do not decode. */
    private static void send(
            KafkaProducer<byte[], byte[]> producer,
            String prefix,
            byte[] png,
            int width,
            int height,
            Label label) {
        var sample =
                new LabelledImageAccepted(
                        Sha256.hex(png),
                        "paint",
                        png,
                        "image/png",
                        width,
                        height,
                        label,
                        "test",
                        Instant.now());
        producer.send(
                new ProducerRecord<>(
                        prefix + Topics.IMAGES_LABELLED.name(),
                        sample.key().getBytes(StandardCharsets.UTF_8),
                        JsonSerde.of(LabelledImageAccepted.class).toBytes(sample)));
    }

    private static void trigger(KafkaProducer<byte[], byte[]> producer, String prefix, String id)
            throws Exception {
        var t =
                new TrainingTriggered(
                        id, "paint", TrainingTriggered.Reason.MANUAL, 0, 61, Instant.now());
        producer.send(
                        new ProducerRecord<>(
                                prefix + Topics.TRAINING_TRIGGERS.name(),
                                "paint".getBytes(StandardCharsets.UTF_8),
                                JsonSerde.of(TrainingTriggered.class).toBytes(t)))
                .get();
    }

    private static boolean awaitContaining(
            String servers, String topic, String text, Duration timeout) {
        try (var c = consumer(servers)) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (var r : c.poll(Duration.ofMillis(300))) {
                    if (new String(r.value(), StandardCharsets.UTF_8).contains(text)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static ConsumerRecord<byte[], byte[]> awaitAny(
            String servers, List<String> topics, Duration timeout) {
        return readAll(servers, topics, 1, timeout).get(0);
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(
            String servers, List<String> topics, int count, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> out =
                TopicClients.read(servers, topics, count, timeout);
        assertThat(out).as("records on " + topics).hasSizeGreaterThanOrEqualTo(count);
        return out;
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String servers) {
        return TopicClients.consumer(servers);
    }

    private static KafkaProducer<byte[], byte[]> producer(String servers) {
        return TopicClients.producer(servers);
    }
}
