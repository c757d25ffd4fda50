package io.streamtune.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.streamtune.contracts.Box;
import io.streamtune.contracts.DetectionsEmitted;
import io.streamtune.contracts.FrameHeaders;
import io.streamtune.contracts.FrameRef;
import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.Topics;
import io.streamtune.deploy.demo.LiveView;
import io.streamtune.kafka.embedded.EmbeddedKafkaBroker;
import io.streamtune.kafka.embedded.ServiceSettings;
import io.streamtune.kafka.embedded.SharedKafka;
import io.streamtune.runtime.ConfigSource;
import io.streamtune.runtime.KafkaSettings;
import io.streamtune.runtime.TopicProvisioner;
import io.streamtune.vision.synth.SceneObject;
import io.streamtune.vision.synth.SyntheticScenes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SharedKafka.class)
class LiveViewIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @Test
    void shouldDrawTheLatestFrameWithItsBoxesAndFollowTheModelVersion(
            EmbeddedKafkaBroker broker, @TempDir Path dir) throws Exception {
        assumeTrue(
                Files.isExecutable(CHROMIUM),
                "chromium is not installed (apt-get install chromium); CI installs it");
        String prefix = SharedKafka.unique("view") + ".";
        KafkaSettings kafka =
                KafkaSettings.from(
                        ConfigSource.of(
                                ServiceSettings.loopback(broker.bootstrapServers(), prefix)));
        try (Admin admin = Admin.create(kafka.admin("t"))) {
            new TopicProvisioner(admin, (short) 1, 30_000)
                    .ensure(
                            List.of(
                                    Topics.FRAMES.withPrefix(prefix),
                                    Topics.PREDICTIONS_DETECTIONS.withPrefix(prefix),
                                    Topics.PREDICTIONS_CLASSIFICATIONS.withPrefix(prefix),
                                    Topics.PREDICTIONS_SEGMENTATIONS.withPrefix(prefix),
                                    Topics.PREDICTIONS_STYLIZATIONS.withPrefix(prefix)));
        }
        try (var view = LiveView.start(kafka, "127.0.0.1", 0);
                var producer = new KafkaProducer<byte[], byte[]>(kafka.producer("cam"))) {
            io.streamtune.testkit.Eventually.until(
                    java.time.Duration.ofSeconds(30), "the view following its topics", view::ready);

            sendFrameWithPrediction(producer, prefix, "f-1", 1);
            String first = dumpDom(view.url(), dir.resolve("p1"));
            sendFrameWithPrediction(producer, prefix, "f-2", 2);
            String second = dumpDom(view.url(), dir.resolve("p2"));
            screenshot(view.url(), dir.resolve("p3"), Path.of("target", "liveview.png"));
            sendFrameWithStylization(producer, prefix, "f-3");
            String third = dumpDom(view.url(), dir.resolve("p4"));
            screenshot(view.url(), dir.resolve("p5"), Path.of("target", "liveview-stylized.png"));

            assertThat(first)
                    .contains("shapes v1")
                    .contains(">f-1<")
                    .containsPattern("data-overlays=\"[1-9]");
            assertThat(second).contains("shapes v2").contains(">f-2<");
            assertThat(Path.of("target", "liveview.png")).isNotEmptyFile();
            // a stylized frame is shown beside its original
            assertThat(third)
                    .contains("paint v1")
                    .contains(">stylizations<")
                    .contains("data-frame=\"f-3\"")
                    .contains("/api/stylized?id=f-3");
            var stylized =
                    java.net.http.HttpClient.newHttpClient()
                            .send(
                                    java.net.http.HttpRequest.newBuilder(
                                                    java.net.URI.create(
                                                            view.url() + "api/stylized?id=f-3"))
                                            .build(),
                                    java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            assertThat(stylized.statusCode()).isEqualTo(200);
            assertThat(stylized.headers().firstValue("Content-Type")).hasValue("image/jpeg");
            assertThat(
                            javax.imageio.ImageIO.read(
                                            new java.io.ByteArrayInputStream(stylized.body()))
                                    .getWidth())
                    .isEqualTo(48);
        }
    }

    /**
     * A 96x96 scene of {@code seed} on the frames topic as camera cam-1's frame {@code frameId}.
     */
    private static io.streamtune.vision.synth.Scene sendFrame(
            KafkaProducer<byte[], byte[]> producer, String prefix, String frameId, long seed)
            throws Exception {
        var scene = SyntheticScenes.generate(seed, 96, 96, 3);
        var headers = new RecordHeaders();
        headers.add(FrameHeaders.FRAME_ID, frameId.getBytes(StandardCharsets.UTF_8));
        producer.send(
                        new ProducerRecord<>(
                                prefix + Topics.FRAMES.name(),
                                null,
                                "cam-1".getBytes(StandardCharsets.UTF_8),
                                scene.png(),
                                headers))
                .get();
        return scene;
    }

    private static void sendFrameWithPrediction(
            KafkaProducer<byte[], byte[]> producer, String prefix, String frameId, int version)
            throws Exception {
        var scene = sendFrame(producer, prefix, frameId, version * 31L);
        List<DetectionsEmitted.Detection> detections = new ArrayList<>();
        for (SceneObject o : scene.objects()) {
            Box b = o.box();
            detections.add(
                    new DetectionsEmitted.Detection(o.shape().className(), o.classId(), 0.9, b));
        }
        var prediction =
                new DetectionsEmitted(
                        new FrameRef(frameId, "cam-1", Instant.now(), 96, 96, "shapes", version),
                        detections,
                        Instant.now());
        producer.send(
                        new ProducerRecord<>(
                                prefix + Topics.PREDICTIONS_DETECTIONS.name(),
                                "cam-1".getBytes(StandardCharsets.UTF_8),
                                JsonSerde.of(DetectionsEmitted.class).toBytes(prediction)))
                .get();
        Thread.sleep(1_000);
    }

    private static void sendFrameWithStylization(
            KafkaProducer<byte[], byte[]> producer, String prefix, String frameId)
            throws Exception {
        var scene = sendFrame(producer, prefix, frameId, 97);
        // the frame with its colours inverted, half size, as a JPEG
        var img = scene.image().toBufferedImage();
        var small =
                new java.awt.image.BufferedImage(48, 48, java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 48; x++) {
                small.setRGB(x, y, ~img.getRGB(2 * x, 2 * y) & 0xffffff);
            }
        }
        var jpeg = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(small, "jpg", jpeg);
        var frame =
                new io.streamtune.contracts.StylizedFrame(
                        new FrameRef(frameId, "cam-1", Instant.now(), 96, 96, "paint", 1),
                        jpeg.toByteArray(),
                        48,
                        48);
        producer.send(
                        frame.toRecord(
                                prefix + Topics.PREDICTIONS_STYLIZATIONS.name(),
                                "cam-1".getBytes(StandardCharsets.UTF_8)))
                .get();
        Thread.sleep(1_000);
    }

    private static List<String> chromium(Path profile) {
        return new ArrayList<>(
                List.of(
                        CHROMIUM.toString(),
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-quic",
                        "--no-first-run",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--user-data-dir=" + profile,
                        "--virtual-time-budget=4000"));
    }

    private static String dumpDom(String url, Path profile) throws Exception {
        List<String> cmd = chromium(profile);
        cmd.add("--dump-dom");
        cmd.add(url);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return dom;
    }

    private static void screenshot(String url, Path profile, Path png) throws Exception {
        Files.createDirectories(png.getParent());
        List<String> cmd = chromium(profile);
        cmd.add("--window-size=900,560");
        cmd.add("--screenshot=" + png.toAbsolutePath());
        cmd.add(url);
        Process p =
                new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
}
