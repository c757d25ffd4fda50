package io.streamtune.deploy.style;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamtune.contracts.FrameHeaders;
import io.streamtune.contracts.StylizedFrame;
import io.streamtune.contracts.Topics;
import io.streamtune.inference.InferenceConfig;
import io.streamtune.inference.InferenceService;
import io.streamtune.ingest.IngestConfig;
import io.streamtune.ingest.IngestService;
import io.streamtune.kafka.embedded.EmbeddedKafkaBroker;
import io.streamtune.kafka.embedded.SharedKafka;
import io.streamtune.onnx.djl.nets.ReferenceNets;
import io.streamtune.onnx.ir.OnnxWriter;
import io.streamtune.runtime.ConfigSource;
import io.streamtune.runtime.KafkaSettings;
import io.streamtune.trainer.TrainerConfig;
import io.streamtune.trainer.TrainerService;
import io.streamtune.vision.synth.SyntheticScenes;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole style loop through the three services on the real broker: a style registered over HTTP
 * (a body that is no image refused with its reason), content images over HTTP, the trigger,
 * training, the gate and the publication, and stylized frames on {@code predictions.stylizations}
 * from the served version. The perceptual network is a small random one so that this runs in
 * seconds: the plumbing is tested here, the quality in {@code bench style}.
 */
@ExtendWith(SharedKafka.class)
class StyleLoopIT {

    @TempDir Path dir;

    @Test
    void aStyleRegisteredOverHttpBecomesStylizedFramesOnKafka(EmbeddedKafkaBroker broker)
            throws Exception {
        String prefix = SharedKafka.unique("style-loop") + ".";
        Map<String, String> base = new HashMap<>();
        base.put("kafka.bootstrap.servers", broker.bootstrapServers());
        base.put("topic.prefix", prefix);
        base.put("http.host", "127.0.0.1");
        base.put("http.port", "0");
        base.put("data.dir", dir.toString());
        Map<String, String> ingest = new HashMap<>(base);
        ingest.put("http.auth.enabled", "false");
        ingest.put("trigger.threshold", "40");
        ingest.put("trigger.check.interval", "1s");
        ingest.put("streams.state.dir", dir.resolve("streams").toString());
        Path perceptual = dir.resolve("perceptual.onnx");
        Files.write(
                perceptual,
                OnnxWriter.toBytes(
                        ReferenceNets.mobilenetV2(
                                32, 4, ReferenceNets.BatchNormStyle.UNFOLDED, 11)));
        Map<String, String> trainer = new HashMap<>(base);
        trainer.put("trainer.base.model", perceptual.toString());
        trainer.put("trainer.style.size", "32");
        trainer.put("trainer.style.steps", "20");
        trainer.put("trainer.style.channels", "4");
        trainer.put("trainer.style.blocks", "1");
        trainer.put("trainer.style.layers", "2,4,8");
        trainer.put("trainer.style.content.stride", "4");
        trainer.put("trainer.gate.min.samples", "5");
        // a random perceptual network: the plumbing is tested, not the quality (bench style)
        trainer.put("trainer.style.gate.floor", "-1");
        trainer.put("trainer.threads", "1");
        Map<String, String> inference = new HashMap<>(base);
        inference.put("inference.model", "paint");
        inference.put("inference.stylization.size", "48");
        inference.put("inference.batch.max.wait", "10ms");
        inference.put("inference.artifacts.dir", dir.resolve("artifacts").toString());
        KafkaSettings kafka = KafkaSettings.from(ConfigSource.of(base));

        HttpClient http = HttpClient.newHttpClient();
        try (var in = IngestService.start(IngestConfig.from(ConfigSource.of(ingest)));
                var tr = TrainerService.start(TrainerConfig.from(ConfigSource.of(trainer)));
                var inf = InferenceService.start(InferenceConfig.from(ConfigSource.of(inference)));
                var producer = new KafkaProducer<byte[], byte[]>(kafka.producer("style-loop"))) {
            String api = in.shell().http().url() + "/v1/models/paint/images";

            // a body that is no image, labelled style: refused, with the reason
            var notAnImage =
                    post(http, api, "not a painting".getBytes(StandardCharsets.UTF_8), "style");
            assertThat(notAnImage.statusCode()).isBetween(400, 499);
            assertThat(notAnImage.body()).contains("unsupported_format");

            assertThat(post(http, api, stripes(48), "style").statusCode()).isEqualTo(201);
            for (int i = 0; i < 44; i++) {
                var r =
                        post(
                                http,
                                api,
                                png(
                                        SyntheticScenes.generate(500 + i, 32, 32, 2)
                                                .image()
                                                .toBufferedImage()),
                                "content");
                assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            }

            // trigger -> train -> gate -> publish -> served: a frame comes back stylized
            String frames = kafka.topic(Topics.FRAMES.name());
            String out = kafka.topic(Topics.PREDICTIONS_STYLIZATIONS.name());
            ConsumerRecord<byte[], byte[]> stylized = null;
            long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
            int sent = 0;
            try (var consumer =
                    new KafkaConsumer<byte[], byte[]>(
                            kafka.consumer("style-loop", SharedKafka.unique("read")))) {
                List<TopicPartition> parts =
                        consumer.partitionsFor(out).stream()
                                .map(p -> new TopicPartition(out, p.partition()))
                                .toList();
                consumer.assign(parts);
                consumer.seekToBeginning(parts);
                while (stylized == null && System.nanoTime() < deadline) {
                    var frame =
                            new ProducerRecord<>(
                                    frames,
                                    "cam-7".getBytes(StandardCharsets.UTF_8),
                                    png(
                                            SyntheticScenes.generate(900 + sent, 64, 32, 2)
                                                    .image()
                                                    .toBufferedImage()));
                    frame.headers()
                            .add(
                                    FrameHeaders.FRAME_ID,
                                    ("f-" + sent++).getBytes(StandardCharsets.UTF_8));
                    producer.send(frame).get();
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofSeconds(1))) {
                        stylized = r;
                    }
                }
            }
            assertThat(stylized).as("a stylized frame within 4 minutes").isNotNull();
            assertThat(new String(stylized.key(), StandardCharsets.UTF_8)).isEqualTo("cam-7");
            assertThat(header(stylized, StylizedFrame.MODEL)).isEqualTo("paint");
            assertThat(header(stylized, StylizedFrame.MODEL_VERSION)).isEqualTo("1");
            assertThat(header(stylized, FrameHeaders.FRAME_ID)).startsWith("f-");
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(stylized.value()));
            // the configured longest side, the frame's 2:1 aspect ratio
            assertThat(img.getWidth()).isEqualTo(48);
            assertThat(img.getHeight()).isEqualTo(24);
        }
    }

    private static HttpResponse<String> post(
            HttpClient http, String url, byte[] body, String labelType) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "image/png")
                        .header("X-Label", "{\"type\":\"" + labelType + "\"}")
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** Red and blue diagonal stripes: the "painting". */
    private static byte[] stripes(int size) throws Exception {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                img.setRGB(x, y, ((x + y) / 4) % 2 == 0 ? 0xe62828 : 0x1414c8);
            }
        }
        return png(img);
    }

    private static byte[] png(BufferedImage img) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }
}
