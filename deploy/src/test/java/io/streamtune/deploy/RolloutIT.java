package io.streamtune.deploy;

import static io.streamtune.testkit.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamtune.contracts.ArtifactRef;
import io.streamtune.contracts.ClassificationsEmitted;
import io.streamtune.contracts.DeadLetter;
import io.streamtune.contracts.FrameHeaders;
import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.Label;
import io.streamtune.contracts.LabelledImageAccepted;
import io.streamtune.contracts.LiveReport;
import io.streamtune.contracts.ModelPublished;
import io.streamtune.contracts.ModelSwapReported;
import io.streamtune.contracts.Promotion;
import io.streamtune.contracts.Topics;
import io.streamtune.contracts.TrainingTriggered;
import io.streamtune.inference.InferenceConfig;
import io.streamtune.inference.InferenceService;
import io.streamtune.kafka.embedded.EmbeddedKafkaBroker;
import io.streamtune.kafka.embedded.SharedKafka;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxNode;
import io.streamtune.onnx.ir.OnnxReader;
import io.streamtune.onnx.ir.OnnxTensor;
import io.streamtune.onnx.ir.OnnxWriter;
import io.streamtune.runtime.ConfigSource;
import io.streamtune.runtime.KafkaSettings;
import io.streamtune.trainer.TrainerConfig;
import io.streamtune.trainer.TrainerService;
import io.streamtune.vision.artifact.Sha256;
import io.streamtune.vision.synth.Scene;
import io.streamtune.vision.synth.ShapeKind;
import io.streamtune.vision.synth.SyntheticScenes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rollout on a real broker with a real trainer and two inference instances while a camera
 * streams: a weak first model serves; a better one passes the gate, serves in shadow on both
 * instances (its predictions on the shadow topic only) and is promoted by the trainer's rollout
 * policy on the live numbers; then a version that passes offline but fails on live batches (its
 * exporter hard-coded batch 1, a classic) is refused by both instances while unsigned, reaches
 * production once signed with the key and is rolled back automatically; both instances converge to
 * the previous version, and every frame sent has a prediction or a dead letter.
 */
@ExtendWith(SharedKafka.class)
class RolloutIT {

    private static final String MODEL = "shapes";

    @TempDir Path dir;

    @Test
    void shouldPromoteAfterShadowAndRollBackALiveRegressionOnEveryInstance(
            EmbeddedKafkaBroker broker) throws Exception {
        String prefix = SharedKafka.unique("rollout") + ".";
        Map<String, String> base = new LinkedHashMap<>();
        base.put("kafka.bootstrap.servers", broker.bootstrapServers());
        base.put("topic.prefix", prefix);
        base.put("http.host", "127.0.0.1");
        base.put("http.port", "0");
        base.put("data.dir", dir.toString());
        // trainers sign every announcement, inference instances refuse unsigned ones
        base.put("models.signing.key", "3c8e1f5a9d2b7c4e6f0a1b3d5e7f9c2a");
        KafkaSettings kafka = KafkaSettings.from(ConfigSource.of(base));

        // the synthetic-shapes backbone at its default pre-training, made once per build
        Path backbone =
                io.streamtune.trainer.pretrain.Pretrainer.ensure(
                        Path.of("target", "test-backbones"),
                        io.streamtune.trainer.pretrain.Pretrainer.Options.defaults(),
                        io.streamtune.trainer.train.ProgressListener.NONE,
                        1);
        java.nio.file.Files.createDirectories(dir.resolve("trainer/backbones"));
        java.nio.file.Files.copy(
                backbone, dir.resolve("trainer/backbones").resolve(backbone.getFileName()));
        Map<String, String> trainer = new HashMap<>(base);
        trainer.put("trainer.base.default", "synthetic");
        trainer.put("trainer.threads", "1");
        trainer.put("trainer.gate.min.samples", "10");
        trainer.put("trainer.gate.floor", "0");
        trainer.put("trainer.shadow.frames", "40");
        trainer.put("trainer.rollback.min.frames", "30");
        // v1 is deliberately weak: one epoch at a learning rate too small to learn much
        Map<String, String> weak = new HashMap<>(trainer);
        weak.put("trainer.epochs.head", "1");
        weak.put("trainer.epochs.finetune", "0");
        weak.put("trainer.lr", "0.00001");
        Map<String, String> normal = new HashMap<>(trainer);
        normal.put("trainer.epochs.head", "8");
        normal.put("trainer.epochs.finetune", "2");

        Map<String, String> inference = new HashMap<>(base);
        inference.put("inference.model", MODEL);
        inference.put("inference.shadow.share", "1");
        inference.put("inference.live.report.interval", "500ms");
        inference.put("inference.batch.max.size", "8");
        inference.put("inference.batch.max.wait", "100ms");

        try (var producer = new KafkaProducer<byte[], byte[]>(kafka.producer("it"))) {
            try (var admin =
                    org.apache.kafka.clients.admin.Admin.create(kafka.admin("it-topics"))) {
                io.streamtune.runtime.TopicProvisioner.create(
                        admin,
                        List.of(
                                new org.apache.kafka.clients.admin.NewTopic(
                                        kafka.topic(Topics.IMAGES_LABELLED.name()), 3, (short) 1),
                                new org.apache.kafka.clients.admin.NewTopic(
                                        kafka.topic(Topics.TRAINING_TRIGGERS.name()),
                                        3,
                                        (short) 1)),
                        30_000);
            }
            int labelled = 0;
            for (int i = 0; labelled < 130; i++) {
                Scene s = SyntheticScenes.single(70_000 + i, 40, 40);
                if (s.dominantShape() == ShapeKind.TRIANGLE) {
                    continue;
                }
                labelled(producer, kafka, s);
                labelled++;
            }
            producer.flush();

            // v1, the first model: no production to shadow beside, the gate publishes it.
            try (var t = TrainerService.start(TrainerConfig.from(ConfigSource.of(weak)))) {
                trigger(producer, kafka, "r1");
                await(kafka, Topics.MODELS_PUBLISHED.name(), r -> true, Duration.ofMinutes(4));
            }
            ModelPublished v1 = latest(kafka, Topics.MODELS_PUBLISHED.name(), ModelPublished.class);
            assertThat(v1.version()).isEqualTo(1);
            assertThat(v1.promotion().by()).isEqualTo(Promotion.By.GATE);

            Map<String, String> a = new HashMap<>(inference);
            a.put("instance.id", "inference-a");
            Map<String, String> b = new HashMap<>(inference);
            b.put("instance.id", "inference-b");
            Camera camera = new Camera(producer, kafka);
            try (var infA = InferenceService.start(InferenceConfig.from(ConfigSource.of(a)));
                    var infB = InferenceService.start(InferenceConfig.from(ConfigSource.of(b)));
                    var t = TrainerService.start(TrainerConfig.from(ConfigSource.of(normal)))) {
                awaitServing(List.of(infA, infB), 1, Duration.ofMinutes(1));
                camera.start();

                // v2 trains properly, beats v1 at the gate, serves in shadow, is promoted.
                trigger(producer, kafka, "r2");
                ModelPublished candidate =
                        announcement(
                                kafka,
                                Topics.MODELS_CANDIDATES.name(),
                                p -> true,
                                Duration.ofMinutes(4));
                assertThat(candidate.version()).isEqualTo(2);
                assertThat(candidate.gate().lower()).isGreaterThan(0);
                ModelPublished v2 =
                        announcement(
                                kafka,
                                Topics.MODELS_PUBLISHED.name(),
                                p -> p.version() == 2,
                                Duration.ofMinutes(2));
                assertThat(v2.promotion().by()).isEqualTo(Promotion.By.SHADOW);
                assertThat(v2.signature()).as("the promotion is signed").isNotNull();
                assertThat(v2.promotion().shadow().frames()).isGreaterThanOrEqualTo(40);
                assertThat(v2.promotion().shadow().instances()).isBetween(1, 2);
                assertThat(v2.promotion().reason()).contains("shadow").contains("agreement");
                awaitServing(List.of(infA, infB), 2, Duration.ofMinutes(1));
                var shadowVersions = versions(kafka, Topics.SHADOW_CLASSIFICATIONS.name());
                assertThat(shadowVersions).as("shadow predictions are v2's").containsOnly(2);
                var reports = all(kafka, Topics.MODELS_LIVE.name(), LiveReport.class);
                assertThat(reports)
                        .anyMatch(r -> r.role() == LiveReport.Role.SHADOW && r.version() == 2);

                // v3 passes offline but its exporter hard-coded batch 1: every batch of more than
                // one frame fails on ONNX Runtime. It reaches production as an operator's publish.
                byte[] v2onnx = t.store().fetch(v2.artifact());
                byte[] v3onnx =
                        OnnxWriter.toBytes(
                                batchOfOne(OnnxReader.read(v2onnx), v2.classes().size()));
                ArtifactRef ref = t.store().put(MODEL, 3, v3onnx);
                ModelPublished v3 =
                        new ModelPublished(
                                MODEL,
                                3,
                                2,
                                v2.task(),
                                v2.classes(),
                                v2.metricName(),
                                v2.metricValue(),
                                v2.metrics(),
                                ref,
                                v2.datasetOffsets(),
                                Instant.now(),
                                v2.gate(),
                                v2.lineage(),
                                new Promotion(
                                        Promotion.By.GATE, "published by hand", 2, Instant.now()));
                // unsigned, it is refused by every instance; signed with the key, it is served
                producer.send(
                                new ProducerRecord<>(
                                        kafka.topic(Topics.MODELS_PUBLISHED.name()),
                                        MODEL.getBytes(StandardCharsets.UTF_8),
                                        JsonSerde.of(ModelPublished.class).toBytes(v3)))
                        .get();
                await(
                        kafka,
                        Topics.INFERENCE_EVENTS.name(),
                        r ->
                                JsonSerde.of(ModelSwapReported.class).fromBytes(r.value()).outcome()
                                        == ModelSwapReported.Outcome.SIGNATURE_INVALID,
                        Duration.ofMinutes(1));
                assertThat(infA.models().servingVersion()).isEqualTo(2);
                var signer =
                        io.streamtune.runtime.AnnouncementSigner.from(ConfigSource.of(base))
                                .orElseThrow();
                producer.send(
                                new ProducerRecord<>(
                                        kafka.topic(Topics.MODELS_PUBLISHED.name()),
                                        MODEL.getBytes(StandardCharsets.UTF_8),
                                        JsonSerde.of(ModelPublished.class)
                                                .toBytes(signer.sign(v3))))
                        .get();

                ModelPublished back =
                        announcement(
                                kafka,
                                Topics.MODELS_PUBLISHED.name(),
                                ModelPublished::isRollback,
                                Duration.ofMinutes(2));
                assertThat(back.version()).isEqualTo(2);
                assertThat(back.promotion().by()).isEqualTo(Promotion.By.AUTOMATIC_ROLLBACK);
                assertThat(back.promotion().fromVersion()).isEqualTo(3);
                assertThat(back.promotion().reason()).contains("failure rate");
                awaitServing(List.of(infA, infB), 2, Duration.ofMinutes(1));
                var swaps = all(kafka, Topics.INFERENCE_EVENTS.name(), ModelSwapReported.class);
                assertThat(swaps)
                        .filteredOn(
                                s ->
                                        s.version() == 2
                                                && s.detail() != null
                                                && s.detail().startsWith("rollback from v3"))
                        .extracting(ModelSwapReported::instance)
                        .contains("inference-a", "inference-b");
                Thread.sleep(2_000); // frames after the rollback are served by v2 again
                camera.stop();
                Map<String, String> fate = camera.fate(Duration.ofMinutes(2));
                assertThat(fate.keySet())
                        .as("every frame has a prediction or a dead letter")
                        .containsAll(camera.sent());
                assertThat(fate.values()).contains("model_failed");
            } finally {
                camera.stop();
            }
        }
    }

    /** Rewires the graph's output through a Reshape to batch 1: fine for one frame, not for 8. */
    private static OnnxGraph batchOfOne(OnnxGraph g, int classes) {
        String out = g.outputs().get(0).name();
        List<OnnxNode> nodes = new ArrayList<>();
        for (OnnxNode n : g.nodes()) {
            List<String> outs =
                    n.outputs().stream().map(o -> o.equals(out) ? out + "_raw" : o).toList();
            nodes.add(new OnnxNode(n.name(), n.opType(), n.inputs(), outs, n.attributes()));
        }
        nodes.add(
                new OnnxNode(
                        "hard_coded_batch",
                        "Reshape",
                        List.of(out + "_raw", "batch_one_shape"),
                        List.of(out),
                        Map.of()));
        Map<String, OnnxTensor> init = new LinkedHashMap<>(g.initializers());
        init.put("batch_one_shape", OnnxTensor.vector("batch_one_shape", 1, classes));
        return new OnnxGraph(
                g.name(), g.opset(), g.inputs(), g.outputs(), nodes, init, g.metadata());
    }

    /** Sends frames in bursts of 8 and remembers where each landed. */
    private static final class Camera {
        private final KafkaProducer<byte[], byte[]> producer;
        private final KafkaSettings kafka;
        private final AtomicBoolean running = new AtomicBoolean();
        private final Map<String, String> byOffset = new ConcurrentHashMap<>();
        private final Set<String> sent = ConcurrentHashMap.newKeySet();
        private Thread thread;

        Camera(KafkaProducer<byte[], byte[]> producer, KafkaSettings kafka) {
            this.producer = producer;
            this.kafka = kafka;
        }

        void start() {
            running.set(true);
            thread =
                    new Thread(
                            () -> {
                                int i = 0;
                                while (running.get()) {
                                    List<java.util.concurrent.Future<RecordMetadata>> burst =
                                            new ArrayList<>();
                                    List<String> ids = new ArrayList<>();
                                    for (int k = 0; k < 8; k++, i++) {
                                        String id = "frame-" + i;
                                        var headers = new RecordHeaders();
                                        headers.add(
                                                FrameHeaders.FRAME_ID,
                                                id.getBytes(StandardCharsets.UTF_8));
                                        burst.add(
                                                producer.send(
                                                        new ProducerRecord<>(
                                                                kafka.topic(Topics.FRAMES.name()),
                                                                null,
                                                                "cam-1"
                                                                        .getBytes(
                                                                                StandardCharsets
                                                                                        .UTF_8),
                                                                SyntheticScenes.single(i, 40, 40)
                                                                        .png(),
                                                                headers)));
                                        ids.add(id);
                                    }
                                    try {
                                        for (int k = 0; k < burst.size(); k++) {
                                            RecordMetadata md = burst.get(k).get();
                                            byOffset.put(
                                                    md.partition() + "@" + md.offset(), ids.get(k));
                                            sent.add(ids.get(k));
                                        }
                                        Thread.sleep(150);
                                    } catch (Exception e) {
                                        return;
                                    }
                                }
                            },
                            "camera");
            thread.start();
        }

        void stop() throws InterruptedException {
            running.set(false);
            if (thread != null) {
                thread.join(10_000);
            }
        }

        Set<String> sent() {
            return sent;
        }

        /** Frame id to "predicted" or its dead-letter reason, once every sent frame has one. */
        Map<String, String> fate(Duration timeout) {
            Map<String, String> fate = new HashMap<>();
            var predictions = JsonSerde.of(ClassificationsEmitted.class);
            Map<String, Object> props = kafka.consumer("check", SharedKafka.unique("check"));
            try (var c = new KafkaConsumer<byte[], byte[]>(props)) {
                c.subscribe(
                        List.of(
                                kafka.topic(Topics.PREDICTIONS_CLASSIFICATIONS.name()),
                                kafka.topic(Topics.FRAMES.deadLetters().name())));
                long deadline = System.nanoTime() + timeout.toNanos();
                while (System.nanoTime() < deadline && !fate.keySet().containsAll(sent)) {
                    for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                        if (r.topic().endsWith(Topics.PREDICTIONS_CLASSIFICATIONS.name())) {
                            fate.put(
                                    predictions.fromBytes(r.value()).frame().frameId(),
                                    "predicted");
                        } else {
                            DeadLetter d = DeadLetter.fromConsumerRecord(r);
                            String id = byOffset.get(d.sourcePartition() + "@" + d.sourceOffset());
                            if (id != null) {
                                fate.putIfAbsent(id, d.reason());
                            }
                        }
                    }
                }
            }
            return fate;
        }
    }

    private void labelled(KafkaProducer<byte[], byte[]> producer, KafkaSettings kafka, Scene s) {
        byte[] png = s.png();
        var sample =
                new LabelledImageAccepted(
                        Sha256.hex(png),
                        MODEL,
                        png,
                        "image/png",
                        40,
                        40,
                        new Label.ClassLabel(s.dominantShape().className()),
                        "test",
                        Instant.now());
        producer.send(
                new ProducerRecord<>(
                        kafka.topic(Topics.IMAGES_LABELLED.name()),
                        sample.key().getBytes(StandardCharsets.UTF_8),
                        JsonSerde.of(LabelledImageAccepted.class).toBytes(sample)));
    }

    private static void trigger(
            KafkaProducer<byte[], byte[]> producer, KafkaSettings kafka, String id)
            throws Exception {
        var t =
                new TrainingTriggered(
                        id, MODEL, TrainingTriggered.Reason.MANUAL, 0, 130, Instant.now());
        producer.send(
                        new ProducerRecord<>(
                                kafka.topic(Topics.TRAINING_TRIGGERS.name()),
                                MODEL.getBytes(StandardCharsets.UTF_8),
                                JsonSerde.of(TrainingTriggered.class).toBytes(t)))
                .get();
    }

    private static void awaitServing(
            List<InferenceService> instances, int version, Duration timeout)
            throws InterruptedException {
        eventually(
                timeout,
                () ->
                        assertThat(
                                        instances.stream()
                                                .map(i -> i.models().servingVersion())
                                                .toList())
                                .as("serving version of every instance")
                                .containsOnly(version));
    }

    private static ConsumerRecord<byte[], byte[]> await(
            KafkaSettings kafka,
            String topic,
            Predicate<ConsumerRecord<byte[], byte[]>> match,
            Duration timeout) {
        Map<String, Object> props = kafka.consumer("await", SharedKafka.unique("await"));
        try (var c = new KafkaConsumer<byte[], byte[]>(props)) {
            c.subscribe(List.of(kafka.topic(topic)));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    if (match.test(r)) {
                        return r;
                    }
                }
            }
        }
        throw new AssertionError("nothing matching on " + topic + " within " + timeout);
    }

    /** The first announcement on {@code topic} (tombstones skipped) that matches. */
    private static ModelPublished announcement(
            KafkaSettings kafka, String topic, Predicate<ModelPublished> match, Duration timeout) {
        var serde = JsonSerde.of(ModelPublished.class);
        return serde.fromBytes(
                await(
                                kafka,
                                topic,
                                r -> r.value() != null && match.test(serde.fromBytes(r.value())),
                                timeout)
                        .value());
    }

    private static <T> List<T> all(KafkaSettings kafka, String topic, Class<T> type) {
        List<T> out = new ArrayList<>();
        Map<String, Object> props = kafka.consumer("all", SharedKafka.unique("all"));
        try (var c = new KafkaConsumer<byte[], byte[]>(props)) {
            c.subscribe(List.of(kafka.topic(topic)));
            long quietSince = System.nanoTime();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline
                    && System.nanoTime() - quietSince < Duration.ofSeconds(3).toNanos()) {
                var records = c.poll(Duration.ofMillis(300));
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    if (r.value() != null) {
                        out.add(JsonSerde.of(type).fromBytes(r.value()));
                    }
                }
                if (!records.isEmpty()) {
                    quietSince = System.nanoTime();
                }
            }
        }
        return out;
    }

    private static <T> T latest(KafkaSettings kafka, String topic, Class<T> type) {
        List<T> all = all(kafka, topic, type);
        return all.get(all.size() - 1);
    }

    private static Set<Integer> versions(KafkaSettings kafka, String topic) {
        Set<Integer> out = new HashSet<>();
        for (ClassificationsEmitted c : all(kafka, topic, ClassificationsEmitted.class)) {
            out.add(c.frame().modelVersion());
        }
        return out;
    }
}
