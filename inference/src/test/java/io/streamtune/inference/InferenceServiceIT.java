package io.streamtune.inference;

import static io.streamtune.testkit.Eventually.until;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamtune.contracts.DeadLetter;
import io.streamtune.contracts.DetectionsEmitted;
import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.ModelPublished;
import io.streamtune.contracts.SegmentationsEmitted;
import io.streamtune.contracts.Task;
import io.streamtune.contracts.Topics;
import io.streamtune.kafka.embedded.EmbeddedKafkaBroker;
import io.streamtune.kafka.embedded.ServiceSettings;
import io.streamtune.kafka.embedded.SharedKafka;
import io.streamtune.runtime.ConfigSource;
import io.streamtune.runtime.PrometheusText;
import io.streamtune.testkit.Http;
import io.streamtune.vision.artifact.KafkaArtifactStore;
import java.awt.Color;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SharedKafka.class)
class InferenceServiceIT {

    @TempDir Path dir;

    @Test
    void shouldEmitDetectionsFromAFileModelAndDeadLetterATruncatedJpeg(EmbeddedKafkaBroker broker)
            throws Exception {
        String prefix = SharedKafka.unique("inference") + ".";
        Path model = Files.write(dir.resolve("cars.onnx"), TestModels.detector("cars", 3, ""));
        var config =
                config(
                        broker,
                        prefix,
                        Map.of(
                                "inference.model",
                                "cars",
                                "inference.model.file",
                                model.toString(),
                                "inference.model.follow",
                                "false",
                                "inference.labelling.random.share",
                                "1",
                                // both frames come from one camera, a second apart
                                "inference.labelling.per.camera.pause",
                                "0s"));

        try (var service = InferenceService.start(config);
                var producer = KafkaTestClients.producer(broker.bootstrapServers())) {
            assertThat(service.shell().awaitReady(Duration.ofSeconds(30))).isTrue();
            String frames = prefix + Topics.FRAMES.name();
            KafkaTestClients.sendSync(
                    producer,
                    KafkaTestClients.frame(
                            frames, "cam-1", TestFrames.jpeg(64, 48, Color.RED), "f-1"));
            KafkaTestClients.sendSync(
                    producer,
                    KafkaTestClients.frame(frames, "cam-1", TestFrames.truncatedJpeg(), "f-2"));
            KafkaTestClients.sendSync(
                    producer,
                    KafkaTestClients.frame(
                            frames, "cam-1", TestFrames.jpeg(64, 48, Color.BLUE), "f-3"));

            var detections =
                    KafkaTestClients.read(
                            broker.bootstrapServers(),
                            prefix + Topics.PREDICTIONS_DETECTIONS.name(),
                            2,
                            Duration.ofSeconds(30));
            var dead =
                    KafkaTestClients.read(
                            broker.bootstrapServers(),
                            prefix + Topics.FRAMES.deadLetters().name(),
                            1,
                            Duration.ofSeconds(10));

            var serde = JsonSerde.of(DetectionsEmitted.class);
            assertThat(detections).hasSize(2);
            assertThat(detections)
                    .allSatisfy(
                            r ->
                                    assertThat(new String(r.key(), StandardCharsets.UTF_8))
                                            .isEqualTo("cam-1"));
            DetectionsEmitted first = serde.fromBytes(detections.get(0).value());
            DetectionsEmitted second = serde.fromBytes(detections.get(1).value());
            assertThat(first.frame().frameId()).isEqualTo("f-1");
            assertThat(first.frame().model()).isEqualTo("cars");
            assertThat(first.frame().modelVersion()).isEqualTo(3);
            assertThat(first.detections())
                    .isNotEmpty()
                    .allSatisfy(
                            d -> {
                                assertThat(d.label()).isEqualTo("red");
                                assertThat(d.box().isInside(64, 48)).isTrue();
                            });
            assertThat(second.frame().frameId()).isEqualTo("f-3");
            assertThat(second.detections())
                    .extracting(DetectionsEmitted.Detection::label)
                    .containsOnly("blue");
            assertThat(dead).hasSize(1);
            DeadLetter letter = DeadLetter.fromConsumerRecord(dead.get(0));
            assertThat(letter.reason()).isEqualTo("corrupt_image");
            assertThat(letter.detail()).contains("truncated");
            assertThat(letter.sourceOffset()).isEqualTo(1);
            assertThat(letter.value()).isEqualTo(TestFrames.truncatedJpeg());

            var metrics = PrometheusText.parse(get(service.shell().http().url() + "/metrics"));
            assertThat(metrics.named("inference_frames_rejected_total"))
                    .anySatisfy(
                            s -> {
                                assertThat(s.labels()).containsEntry("reason", "corrupt_image");
                                assertThat(s.value()).isEqualTo(1.0);
                            });
            assertThat(metrics.named("inference_model_info"))
                    .anySatisfy(
                            s ->
                                    assertThat(s.labels())
                                            .containsEntry("version", "3")
                                            .containsEntry("model", "cars"));
            assertThat(metrics.named("inference_stage_latency_seconds_count"))
                    .hasSizeGreaterThanOrEqualTo(4);
            assertThat(get(service.shell().http().url() + "/health")).contains("serving cars v3");

            // every predicted frame picked for labelling (random share 1), with its image and
            // pre-annotation; the dead-lettered one is not
            var requests =
                    KafkaTestClients.read(
                            broker.bootstrapServers(),
                            prefix + Topics.LABELLING_REQUESTS.name(),
                            2,
                            Duration.ofSeconds(30));
            var requestSerde = JsonSerde.of(io.streamtune.contracts.LabellingRequested.class);
            assertThat(requests)
                    .extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                    .containsExactlyInAnyOrder("cars/f-1", "cars/f-3");
            var request = requestSerde.fromBytes(requests.get(0).value());
            assertThat(request.reason()).isEqualTo("random");
            assertThat(request.image())
                    .isEqualTo(
                            TestFrames.jpeg(
                                    64,
                                    48,
                                    request.frame().frameId().equals("f-1")
                                            ? Color.RED
                                            : Color.BLUE));
            assertThat(request.predictions().path("detections").isArray()).isTrue();
        }
    }

    /**
     * A file model (a zoo detector, say) serves from the first frame; the first version the trainer
     * publishes replaces it even though both are "v1".
     */
    @Test
    void shouldReplaceTheFileModelWithThePublishedVersionOfTheSameNumber(EmbeddedKafkaBroker broker)
            throws Exception {
        String prefix = SharedKafka.unique("inference") + ".";
        Path model = Files.write(dir.resolve("zoo.onnx"), TestModels.detector("cars", 1, "-zoo"));
        var config =
                config(
                        broker,
                        prefix,
                        Map.of(
                                "inference.model",
                                "cars",
                                "inference.model.file",
                                model.toString()));

        try (var service = InferenceService.start(config);
                var producer = KafkaTestClients.producer(broker.bootstrapServers());
                var store =
                        KafkaArtifactStore.of(
                                Map.of("bootstrap.servers", broker.bootstrapServers()),
                                prefix + Topics.MODELS_ARTIFACTS.name())) {
            assertThat(service.shell().awaitReady(Duration.ofSeconds(30))).isTrue();
            assertThat(service.models().servingVersion()).isEqualTo(1);
            var ref = store.put("cars", 1, TestModels.detector("cars", 1, "-tuned"));
            var published =
                    ModelPublished.of(
                            "cars",
                            1,
                            Task.DETECTION,
                            List.of("red-tuned", "blue-tuned"),
                            "map50_95",
                            0.5,
                            ref,
                            Instant.now());
            KafkaTestClients.announce(producer, prefix, published);
            until(
                    Duration.ofSeconds(30),
                    "the published version replaces the file model",
                    () -> !service.models().peek().orElseThrow().fromFile());
            KafkaTestClients.sendSync(
                    producer,
                    KafkaTestClients.frame(
                            prefix + Topics.FRAMES.name(),
                            "cam-1",
                            TestFrames.jpeg(64, 48, Color.RED),
                            "t-1"));
            var out =
                    KafkaTestClients.read(
                            broker.bootstrapServers(),
                            prefix + Topics.PREDICTIONS_DETECTIONS.name(),
                            1,
                            Duration.ofSeconds(30));
            assertThat(
                            JsonSerde.of(DetectionsEmitted.class)
                                    .fromBytes(out.get(0).value())
                                    .detections())
                    .extracting(DetectionsEmitted.Detection::label)
                    .containsOnly("red-tuned");
        }
    }

    @Test
    void shouldWaitForAPublishedSegmentationModelThenEmitMasks(EmbeddedKafkaBroker broker)
            throws Exception {
        String prefix = SharedKafka.unique("inference") + ".";
        var config = config(broker, prefix, Map.of("inference.model", "roads"));

        try (var service = InferenceService.start(config);
                var producer = KafkaTestClients.producer(broker.bootstrapServers());
                var store =
                        KafkaArtifactStore.of(
                                Map.of("bootstrap.servers", broker.bootstrapServers()),
                                prefix + Topics.MODELS_ARTIFACTS.name())) {
            String frames = prefix + Topics.FRAMES.name();
            KafkaTestClients.sendSync(
                    producer,
                    KafkaTestClients.frame(
                            frames,
                            "cam-9",
                            TestFrames.png(40, 20, Color.BLACK, Color.RED),
                            "s-1"));
            Thread.sleep(500);
            assertThat(service.shell().health().ready()).isFalse();
            assertThat(
                            KafkaTestClients.read(
                                    broker.bootstrapServers(),
                                    prefix + Topics.PREDICTIONS_SEGMENTATIONS.name(),
                                    1,
                                    Duration.ofMillis(500)))
                    .isEmpty();

            // an announcement nobody can read is dead-lettered with its reason; the next one serves
            KafkaTestClients.sendSync(
                    producer,
                    new ProducerRecord<>(
                            prefix + Topics.MODELS_PUBLISHED.name(),
                            "roads".getBytes(StandardCharsets.UTF_8),
                            "{\"model\":\"roads\",\"version\":".getBytes(StandardCharsets.UTF_8)));
            var letters =
                    KafkaTestClients.read(
                            broker.bootstrapServers(),
                            prefix + Topics.MODELS_PUBLISHED.deadLetters().name(),
                            1,
                            Duration.ofSeconds(30));
            assertThat(letters).hasSize(1);
            assertThat(
                            new String(
                                    letters.get(0)
                                            .headers()
                                            .lastHeader(io.streamtune.contracts.DeadLetter.REASON)
                                            .value(),
                                    StandardCharsets.UTF_8))
                    .isEqualTo("unreadable_announcement");
            assertThat(letters.get(0).key()).isEqualTo("roads".getBytes(StandardCharsets.UTF_8));

            var ref = store.put("roads", 1, TestModels.segmenter("roads", 1));
            var published =
                    ModelPublished.of(
                            "roads",
                            1,
                            Task.SEGMENTATION,
                            List.of("background", "red", "blue"),
                            "miou",
                            0.9,
                            ref,
                            Instant.now());
            KafkaTestClients.announce(producer, prefix, published);

            var out =
                    KafkaTestClients.read(
                            broker.bootstrapServers(),
                            prefix + Topics.PREDICTIONS_SEGMENTATIONS.name(),
                            1,
                            Duration.ofSeconds(30));

            assertThat(out).hasSize(1);
            SegmentationsEmitted seg =
                    JsonSerde.of(SegmentationsEmitted.class).fromBytes(out.get(0).value());
            assertThat(seg.frame().frameId()).isEqualTo("s-1");
            assertThat(seg.frame().modelVersion()).isEqualTo(1);
            assertThat(seg.mask().width()).isEqualTo(40);
            assertThat(seg.classAreas())
                    .extracting(SegmentationsEmitted.ClassArea::label)
                    .containsExactly("background", "red");
            assertThat(seg.classAreas())
                    .extracting(SegmentationsEmitted.ClassArea::pixels)
                    .containsExactly(400L, 400L);
            assertThat(service.shell().health().ready()).isTrue();
        }
    }

    @Test
    void shouldServeAPublishedStylizerAsJpegFramesAndSwapToItsNextVersion(
            EmbeddedKafkaBroker broker) throws Exception {
        String prefix = SharedKafka.unique("inference") + ".";
        var config =
                config(
                        broker,
                        prefix,
                        Map.of("inference.model", "paint", "inference.stylization.size", "32"));

        try (var service = InferenceService.start(config);
                var producer = KafkaTestClients.producer(broker.bootstrapServers());
                var store =
                        KafkaArtifactStore.of(
                                Map.of("bootstrap.servers", broker.bootstrapServers()),
                                prefix + Topics.MODELS_ARTIFACTS.name())) {
            String frames = prefix + Topics.FRAMES.name();
            String out = prefix + Topics.PREDICTIONS_STYLIZATIONS.name();
            publishStylizer(producer, store, prefix, 1);
            // a 40x20 frame, left half black, right half red; the stylizer inverts colours
            KafkaTestClients.sendSync(
                    producer,
                    KafkaTestClients.frame(
                            frames,
                            "cam-3",
                            TestFrames.png(40, 20, Color.BLACK, Color.RED),
                            "p-1"));
            var first =
                    KafkaTestClients.read(
                            broker.bootstrapServers(), out, 1, Duration.ofSeconds(30));
            assertThat(first).hasSize(1);
            var r = first.get(0);
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("cam-3");
            assertThat(header(r, io.streamtune.contracts.FrameHeaders.FRAME_ID)).isEqualTo("p-1");
            assertThat(header(r, io.streamtune.contracts.StylizedFrame.MODEL)).isEqualTo("paint");
            assertThat(header(r, io.streamtune.contracts.StylizedFrame.MODEL_VERSION))
                    .isEqualTo("1");
            // the configured longest side, the source's aspect ratio
            assertThat(header(r, io.streamtune.contracts.StylizedFrame.WIDTH)).isEqualTo("32");
            assertThat(header(r, io.streamtune.contracts.StylizedFrame.HEIGHT)).isEqualTo("16");
            java.awt.image.BufferedImage jpeg =
                    javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(r.value()));
            assertThat(jpeg.getWidth()).isEqualTo(32);
            assertThat(jpeg.getHeight()).isEqualTo(16);
            // black became white, red became cyan (JPEG keeps colours to within a few levels)
            Color left = new Color(jpeg.getRGB(4, 8)), right = new Color(jpeg.getRGB(28, 8));
            assertThat(left.getRed()).isGreaterThan(220);
            assertThat(left.getBlue()).isGreaterThan(220);
            assertThat(right.getRed()).isLessThan(40);
            assertThat(right.getGreen()).isGreaterThan(220);

            // the next version is swapped in and stamps the frames that follow
            publishStylizer(producer, store, prefix, 2);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            String version = "1";
            int sent = 1;
            while (!version.equals("2") && System.nanoTime() < deadline) {
                sent++;
                KafkaTestClients.sendSync(
                        producer,
                        KafkaTestClients.frame(
                                frames,
                                "cam-3",
                                TestFrames.png(40, 20, Color.BLACK, Color.RED),
                                "p-" + sent));
                var all =
                        KafkaTestClients.read(
                                broker.bootstrapServers(), out, sent, Duration.ofSeconds(10));
                assertThat(all).hasSize(sent);
                version =
                        header(
                                all.get(all.size() - 1),
                                io.streamtune.contracts.StylizedFrame.MODEL_VERSION);
            }
            assertThat(version).isEqualTo("2");
            double produced = sent;
            var metrics = PrometheusText.parse(get(service.shell().http().url() + "/metrics"));
            assertThat(metrics.named("inference_frames_out_total"))
                    .anySatisfy(
                            s -> {
                                assertThat(s.labels()).containsEntry("task", "stylization");
                                assertThat(s.value()).isEqualTo(produced);
                            });
            assertThat(metrics.named("inference_model_swaps_total"))
                    .anySatisfy(s -> assertThat(s.value()).isEqualTo(1.0)); // v1 was a first load
        }
    }

    private static void publishStylizer(
            org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]> producer,
            KafkaArtifactStore store,
            String prefix,
            int version)
            throws Exception {
        var ref = store.put("paint", version, TestModels.stylizer("paint", version));
        var published =
                ModelPublished.of(
                        "paint",
                        version,
                        Task.STYLIZATION,
                        List.of(),
                        "style_gain",
                        0.5,
                        ref,
                        Instant.now());
        KafkaTestClients.announce(producer, prefix, published);
    }

    private static String header(
            org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void shouldDeadLetterFramesAtOnceWhenNoModelIsLoadedAndThePolicySaysSo(
            EmbeddedKafkaBroker broker) throws Exception {
        String prefix = SharedKafka.unique("inference") + ".";
        var config =
                config(
                        broker,
                        prefix,
                        Map.of("inference.model", "none", "inference.no.model.policy", "dlq"));

        try (var service = InferenceService.start(config);
                var producer = KafkaTestClients.producer(broker.bootstrapServers())) {
            KafkaTestClients.sendSync(
                    producer,
                    KafkaTestClients.frame(
                            prefix + Topics.FRAMES.name(),
                            "cam-1",
                            TestFrames.jpeg(16, 16, Color.RED),
                            "n-1"));

            var dead =
                    KafkaTestClients.read(
                            broker.bootstrapServers(),
                            prefix + Topics.FRAMES.deadLetters().name(),
                            1,
                            Duration.ofSeconds(20));

            assertThat(dead).hasSize(1);
            DeadLetter letter = DeadLetter.fromConsumerRecord(dead.get(0));
            assertThat(letter.reason()).isEqualTo("no_model");
            assertThat(letter.service()).isEqualTo("inference");
            assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo("cam-1");
        }
    }

    @Test
    void shouldServeEachModelFromItsOwnFramesTopicInOneInstance(EmbeddedKafkaBroker broker)
            throws Exception {
        String prefix = SharedKafka.unique("topics") + ".";
        Path cars = Files.write(dir.resolve("cars.onnx"), TestModels.detector("cars", 1, ""));
        Path gate = Files.write(dir.resolve("gate.onnx"), TestModels.detector("gate", 1, "-g"));
        Map<String, String> settings =
                settings(
                        broker,
                        prefix,
                        Map.of(
                                "inference.models",
                                "cars, gate",
                                "inference.model.follow",
                                "false",
                                "inference.models.cars.model.file",
                                cars.toString(),
                                "inference.models.gate.model.file",
                                gate.toString(),
                                "inference.models.gate.frames.topic",
                                "frames.gate"));
        List<InferenceConfig> configs = InferenceConfig.all(ConfigSource.of(settings));
        assertThat(configs)
                .extracting(InferenceConfig::framesTopic)
                .containsExactly("frames", "frames.gate");

        try (var service = InferenceService.start(configs);
                var producer = KafkaTestClients.producer(broker.bootstrapServers())) {
            assertThat(service.shell().awaitReady(Duration.ofSeconds(30))).isTrue();
            KafkaTestClients.sendSync(
                    producer,
                    KafkaTestClients.frame(
                            prefix + "frames", "cam-1", TestFrames.jpeg(64, 48, Color.RED), "a"));
            KafkaTestClients.sendSync(
                    producer,
                    KafkaTestClients.frame(
                            prefix + "frames.gate",
                            "gate-1",
                            TestFrames.jpeg(64, 48, Color.BLUE),
                            "b"));
            KafkaTestClients.sendSync(
                    producer,
                    KafkaTestClients.frame(
                            prefix + "frames.gate", "gate-1", TestFrames.truncatedJpeg(), "c"));

            KafkaTestClients.read(
                    broker.bootstrapServers(),
                    prefix + Topics.PREDICTIONS_DETECTIONS.name(),
                    2,
                    Duration.ofSeconds(20));
            var gateDead =
                    KafkaTestClients.read(
                            broker.bootstrapServers(),
                            prefix + "frames.gate.dlq",
                            1,
                            Duration.ofSeconds(10));
            // every frame has been handled by now: a third prediction would be there too
            var detections =
                    KafkaTestClients.read(
                            broker.bootstrapServers(),
                            prefix + Topics.PREDICTIONS_DETECTIONS.name(),
                            3,
                            Duration.ofSeconds(2));
            var serde = JsonSerde.of(DetectionsEmitted.class);
            assertThat(detections)
                    .as("each frame predicted once, by the model of its topic")
                    .hasSize(2)
                    .extracting(r -> serde.fromBytes(r.value()).frame())
                    .extracting(f -> f.frameId() + "@" + f.model())
                    .containsExactlyInAnyOrder("a@cars", "b@gate");
            assertThat(gateDead).hasSize(1);
            assertThat(DeadLetter.fromConsumerRecord(gateDead.get(0)).reason())
                    .isEqualTo("corrupt_image");
            assertThat(
                            KafkaTestClients.read(
                                    broker.bootstrapServers(),
                                    prefix + Topics.FRAMES.deadLetters().name(),
                                    1,
                                    Duration.ofSeconds(1)))
                    .isEmpty();
        }
    }

    static InferenceConfig config(
            EmbeddedKafkaBroker broker, String prefix, Map<String, String> extra) {
        return InferenceConfig.from(ConfigSource.of(settings(broker, prefix, extra)));
    }

    /** Loopback settings for one instance: small batches, one thread, then {@code extra}. */
    static Map<String, String> settings(
            EmbeddedKafkaBroker broker, String prefix, Map<String, String> extra) {
        Map<String, String> base =
                new java.util.HashMap<>(
                        ServiceSettings.loopback(
                                broker.bootstrapServers(),
                                prefix,
                                "inference.batch.max.wait",
                                "10ms",
                                "inference.threads.intra.op",
                                "1",
                                "inference.decode.threads",
                                "2"));
        base.putAll(extra);
        return base;
    }

    static String get(String url) throws Exception {
        return Http.get(url).body();
    }
}
