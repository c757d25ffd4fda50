package io.streamtune.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamtune.contracts.ArtifactRef;
import io.streamtune.contracts.DeadLetter;
import io.streamtune.contracts.FrameHeaders;
import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.ModelPublished;
import io.streamtune.contracts.ModelSwapReported;
import io.streamtune.contracts.Task;
import io.streamtune.contracts.Topics;
import io.streamtune.inference.InferenceConfig;
import io.streamtune.inference.InferenceService;
import io.streamtune.ingest.IngestConfig;
import io.streamtune.ingest.IngestService;
import io.streamtune.kafka.embedded.EmbeddedKafkaBroker;
import io.streamtune.kafka.embedded.SharedKafka;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxWriter;
import io.streamtune.runtime.ConfigSource;
import io.streamtune.runtime.KafkaSettings;
import io.streamtune.trainer.TrainerConfig;
import io.streamtune.trainer.TrainerService;
import io.streamtune.trainer.pretrain.Backbones;
import io.streamtune.trainer.publish.ModelExport;
import io.streamtune.trainer.task.Backbone;
import io.streamtune.trainer.task.ClassificationHead;
import io.streamtune.vision.preprocess.ChannelOrder;
import io.streamtune.vision.preprocess.Normalization;
import io.streamtune.vision.preprocess.PreprocessConfig;
import io.streamtune.vision.preprocess.ResizeMode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile inputs of one place, against the three real services on the real in-process broker:
 * each is tried, then shown harmless — the service answers its probes and its liveness tells the
 * truth, the bad input is refused with a clear status or parked in a dead letter with its reason,
 * and the good input right after it goes through. What needs a file system or a crafted model
 * (file: artifact URIs, ONNX allocation bombs, symlinked datasets, truncated registry files, huge
 * decoded images in the trainer) is proven in the module that owns it; this suite covers every way
 * in that a client or another Kafka writer has.
 */
@ExtendWith(SharedKafka.class)
class HostileInputIT {

    private static final String TOKEN = "a-real-token-0123456789abcdef";

    @TempDir Path dir;

    @Test
    void shouldRefuseOrDeadLetterEveryHostileInputAndKeepServing(EmbeddedKafkaBroker broker)
            throws Exception {
        String prefix = SharedKafka.unique("hostile") + ".";
        Map<String, String> base = new HashMap<>();
        base.put("kafka.bootstrap.servers", broker.bootstrapServers());
        base.put("topic.prefix", prefix);
        base.put("http.host", "127.0.0.1");
        base.put("http.port", "0");
        base.put("data.dir", dir.toString());
        KafkaSettings kafka = KafkaSettings.from(ConfigSource.of(base));
        Map<String, String> ingest = new HashMap<>(base);
        ingest.put("http.auth.token", TOKEN);
        ingest.put("trigger.threshold", "100000");
        Map<String, String> trainer = new HashMap<>(base);
        trainer.put("trainer.base.default", "synthetic");
        Map<String, String> inference = new HashMap<>(base);
        inference.put("inference.model", "hostile");
        inference.put("inference.model.file", classifier().toString());
        inference.put("inference.batch.max.wait", "20ms");

        HttpClient http = HttpClient.newHttpClient();
        try (var in = IngestService.start(IngestConfig.from(ConfigSource.of(ingest)));
                var tr = TrainerService.start(TrainerConfig.from(ConfigSource.of(trainer)));
                var inf = InferenceService.start(InferenceConfig.from(ConfigSource.of(inference)));
                var producer = new KafkaProducer<byte[], byte[]>(kafka.producer("hostile"))) {
            String api = in.shell().http().url() + "/v1/models/pets";

            // HTTP: a wrong token, a truncated JPEG, a pixel bomb, a batch over the item cap
            assertThat(post(http, api + "/images?class=cat", jpeg(), "wrong-token").statusCode())
                    .isEqualTo(401);
            byte[] jpeg = jpeg();
            var truncated =
                    post(
                            http,
                            api + "/images?class=cat",
                            java.util.Arrays.copyOf(jpeg, 200),
                            TOKEN);
            assertThat(truncated.statusCode()).isEqualTo(422);
            assertThat(truncated.body()).contains("corrupt_image").doesNotContain("Exception");
            var bomb = post(http, api + "/images?class=cat", pngHeader(60_000, 60_000), TOKEN);
            assertThat(bomb.statusCode()).isEqualTo(413);
            assertThat(bomb.body()).contains("too_many_pixels");
            var many = post(http, api + "/images/batch", "{}\n".repeat(1001).getBytes(), TOKEN);
            assertThat(many.statusCode()).isEqualTo(413);
            assertThat(
                            http.send(
                                            HttpRequest.newBuilder(
                                                            URI.create(
                                                                    in.shell().http().url()
                                                                            + "/v2/x"))
                                                    .build(),
                                            HttpResponse.BodyHandlers.ofString())
                                    .body())
                    .doesNotContain("127.0.0.1");

            // Kafka intake: a record that is not JSON is parked with its reason
            producer.send(
                            new ProducerRecord<>(
                                    kafka.topic(Topics.IMAGES_INTAKE.name()),
                                    null,
                                    "{\"model\":\"pets\",\"image\":".getBytes()))
                    .get();
            assertThat(
                            reason(
                                    await(
                                            kafka,
                                            Topics.IMAGES_INTAKE.deadLetters().name(),
                                            r -> "malformed_record".equals(reasonOf(r)))))
                    .isEqualTo("malformed_record");

            // the trainer: a trigger nobody can read
            producer.send(
                            new ProducerRecord<>(
                                    kafka.topic(Topics.TRAINING_TRIGGERS.name()),
                                    "pets".getBytes(),
                                    "][".getBytes()))
                    .get();
            assertThat(await(kafka, Topics.TRAINING_TRIGGERS.deadLetters().name(), r -> true))
                    .isNotNull();

            // inference: an unreadable announcement, then one pointing at a host file
            producer.send(
                            new ProducerRecord<>(
                                    kafka.topic(Topics.MODELS_PUBLISHED.name()),
                                    "hostile".getBytes(),
                                    "{\"model\":".getBytes()))
                    .get();
            assertThat(
                            reasonOf(
                                    await(
                                            kafka,
                                            Topics.MODELS_PUBLISHED.deadLetters().name(),
                                            r -> true)))
                    .isEqualTo("unreadable_announcement");
            var passwd =
                    ModelPublished.of(
                            "hostile",
                            9,
                            Task.CLASSIFICATION,
                            List.of("a", "b", "c"),
                            "accuracy",
                            1.0,
                            new ArtifactRef("file:/etc/passwd", "0".repeat(64), 100, 1),
                            Instant.now());
            producer.send(
                            new ProducerRecord<>(
                                    kafka.topic(Topics.MODELS_PUBLISHED.name()),
                                    "hostile".getBytes(),
                                    JsonSerde.of(ModelPublished.class).toBytes(passwd)))
                    .get();
            var refused =
                    await(
                            kafka,
                            Topics.INFERENCE_EVENTS.name(),
                            r ->
                                    JsonSerde.of(ModelSwapReported.class)
                                                    .fromBytes(r.value())
                                                    .version()
                                            == 9);
            assertThat(JsonSerde.of(ModelSwapReported.class).fromBytes(refused.value()).outcome())
                    .isNotEqualTo(ModelSwapReported.Outcome.SWAPPED);
            assertThat(inf.models().servingVersion()).isEqualTo(1);

            // frames: garbage and an empty record between good ones
            String frames = kafka.topic(Topics.FRAMES.name());
            producer.send(frame(frames, "cam-1", jpeg, "good-1")).get();
            producer.send(frame(frames, "cam-1", "garbage".getBytes(), "bad-1")).get();
            producer.send(frame(frames, "cam-1", null, "empty-1")).get();
            producer.send(frame(frames, "cam-1", jpeg, "good-2")).get();
            await(
                    kafka,
                    Topics.PREDICTIONS_CLASSIFICATIONS.name(),
                    r -> new String(r.value(), StandardCharsets.UTF_8).contains("good-2"));
            assertThat(reasonOf(await(kafka, Topics.FRAMES.deadLetters().name(), r -> true)))
                    .isNotBlank();

            // and after all that: good input goes through, every service is live and ready
            var good = post(http, api + "/images?class=cat", jpeg, TOKEN);
            assertThat(good.statusCode()).as(good.body()).isBetween(200, 202);
            for (var s : List.of(in.shell(), tr.shell(), inf.shell())) {
                String url = s.http().url();
                assertThat(get(http, url + "/health/live").statusCode()).isEqualTo(200);
                assertThat(get(http, url + "/health").statusCode()).isEqualTo(200);
                assertThat(get(http, url + "/metrics").statusCode()).isEqualTo(200);
            }
        }
    }

    /** A small classifier (three classes, 32 px) exported as the trainer exports one. */
    private Path classifier() throws Exception {
        ClassificationHead head = new ClassificationHead(0);
        OnnxGraph g = head.attach(Backbone.of(Backbones.small(32, 3, 1), 32), 3, 1).graph();
        OnnxGraph exported =
                ModelExport.withMetadata(
                        head.export(g, 3),
                        Task.CLASSIFICATION,
                        List.of("a", "b", "c"),
                        new PreprocessConfig(
                                32,
                                32,
                                ResizeMode.STRETCH,
                                0,
                                ChannelOrder.RGB,
                                Normalization.parse(Backbones.MEAN, Backbones.STD)),
                        "hostile",
                        1,
                        null,
                        Map.of(),
                        Instant.now());
        return Files.write(dir.resolve("classifier.onnx"), OnnxWriter.toBytes(exported));
    }

    private static HttpResponse<String> post(HttpClient http, String url, byte[] body, String token)
            throws Exception {
        String type =
                url.endsWith("/batch")
                        ? "application/x-ndjson"
                        : body.length > 1 && body[0] == (byte) 0x89 ? "image/png" : "image/jpeg";
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", type)
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static ProducerRecord<byte[], byte[]> frame(
            String topic, String camera, byte[] value, String id) {
        var r = new ProducerRecord<>(topic, camera.getBytes(StandardCharsets.UTF_8), value);
        r.headers().add(FrameHeaders.FRAME_ID, id.getBytes(StandardCharsets.UTF_8));
        return r;
    }

    private static byte[] jpeg() throws Exception {
        BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                img.setRGB(x, y, (x * 4) << 16 | (y * 5) << 8);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpg", out);
        return out.toByteArray();
    }

    /** A PNG signature and IHDR chunk declaring {@code w}x{@code h} RGBA, and nothing more. */
    private static byte[] pngHeader(int w, int h) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + 25);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        b.putInt(13);
        int typeAt = b.position();
        b.put("IHDR".getBytes(StandardCharsets.US_ASCII));
        b.putInt(w).putInt(h).put((byte) 8).put((byte) 6).put((byte) 0).put((byte) 0).put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(b.array(), typeAt, 17);
        b.putInt((int) crc.getValue());
        return b.array();
    }

    private static String reasonOf(ConsumerRecord<byte[], byte[]> r) {
        var h = r.headers().lastHeader(DeadLetter.REASON);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static String reason(ConsumerRecord<byte[], byte[]> r) {
        return reasonOf(r);
    }

    private static ConsumerRecord<byte[], byte[]> await(
            KafkaSettings kafka, String topic, Predicate<ConsumerRecord<byte[], byte[]>> match) {
        Map<String, Object> props = kafka.consumer("await", SharedKafka.unique("await"));
        try (var c = new KafkaConsumer<byte[], byte[]>(props)) {
            c.subscribe(List.of(kafka.topic(topic)));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(300))) {
                    if (match.test(r)) {
                        return r;
                    }
                }
            }
        }
        throw new AssertionError("nothing matching on " + topic + " within 60 s");
    }
}
