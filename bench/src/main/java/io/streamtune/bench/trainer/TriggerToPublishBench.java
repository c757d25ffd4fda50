package io.streamtune.bench.trainer;

import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.Label;
import io.streamtune.contracts.LabelledImageAccepted;
import io.streamtune.contracts.ModelPublished;
import io.streamtune.contracts.ModelRejected;
import io.streamtune.contracts.Task;
import io.streamtune.contracts.Topics;
import io.streamtune.contracts.TrainingTriggered;
import io.streamtune.kafka.embedded.EmbeddedKafkaBroker;
import io.streamtune.kafka.embedded.ServiceSettings;
import io.streamtune.runtime.ConfigSource;
import io.streamtune.runtime.DjlOffline;
import io.streamtune.runtime.TopicProvisioner;
import io.streamtune.trainer.TrainerConfig;
import io.streamtune.trainer.TrainerService;
import io.streamtune.trainer.pretrain.FashionMnist;
import io.streamtune.vision.artifact.Sha256;
import io.streamtune.vision.image.Jpeg;
import io.streamtune.vision.image.RgbImage;
import io.streamtune.vision.synth.PastedObjects;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What retraining costs at real resolution: the time from a training trigger to the trainer's
 * decision (a published or a rejected model) for N labelled camera-sized images per task, through
 * the real service — a broker, the trainer reading {@code images.labelled}, its default base (the
 * zoo's COCO CenterNet), default input size, schedule, evaluation, gate and export.
 *
 * <p>The images are the detection benchmark's scenes at camera size (real photographs with
 * Fashion-MNIST products pasted in, JPEG at quality 90): one item per scene for classification (the
 * label is its class), 1-3 with their boxes for detection, their pixels for segmentation.
 *
 * <p>Arguments ({@code --key=value}): {@code images} (500), {@code tasks}
 * (classification,detection,segmentation), {@code scene} (640x480), {@code photos} (scikit-image's
 * sample photographs), plus any trainer setting as {@code --trainer.KEY=VALUE}.
 */
public final class TriggerToPublishBench {

    static {
        DjlOffline.enforce();
    }

    private TriggerToPublishBench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("images", "500");
        o.put("tasks", "classification,detection,segmentation");
        o.put("scene", "640x480");
        o.put(
                "photos",
                System.getProperty("user.home")
                        + "/.cache/streamtune/photos/usr/lib/python3/dist-packages/skimage/data");
        Map<String, String> trainer = new LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (!a.startsWith("--") || eq < 0) {
                System.err.println(
                        "usage: trigger-publish [--images=500] [--tasks=classification,detection,"
                                + "segmentation] [--scene=640x480] [--photos=DIR]"
                                + " [--trainer.KEY=VALUE ...]");
                System.exit(2);
            }
            String key = a.substring(2, eq);
            (key.startsWith("trainer.") ? trainer : o).put(key, a.substring(eq + 1));
        }
        int n = Integer.parseInt(o.get("images"));
        String[] scene = o.get("scene").split("x");
        int width = Integer.parseInt(scene[0].trim());
        int height = Integer.parseInt(scene[1].trim());
        List<RgbImage> photos =
                DetectionTransferBench.photos(
                        Path.of(o.get("photos")), DetectionTransferBench.TRAIN_PHOTOS);
        List<List<PastedObjects.Item>> items =
                DetectionTransferBench.itemsByClass(
                        FashionMnist.read(FashionMnist.DEBIAN_DIR, "train", 6000));
        List<String> classes = new ArrayList<>();
        items.forEach(l -> classes.add(l.get(0).className()));
        Path dir = Files.createTempDirectory("streamtune-trigger-bench");
        System.out.printf(
                Locale.ROOT,
                "trigger → decision: %d labelled %dx%d JPEGs per task, the trainer's defaults%s,"
                        + " data in %s%n",
                n,
                width,
                height,
                trainer.isEmpty() ? "" : " but " + trainer,
                dir);

        List<String> rows = new ArrayList<>();
        try (EmbeddedKafkaBroker broker =
                        EmbeddedKafkaBroker.builder().build().start(Duration.ofSeconds(60));
                Admin admin =
                        Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            new TopicProvisioner(admin, (short) 1, 30_000).ensure(Topics.all());
            String servers = broker.bootstrapServers();
            Map<String, String> settings =
                    new LinkedHashMap<>(
                            ServiceSettings.loopback(
                                    servers,
                                    "",
                                    "data.dir",
                                    dir.toString(),
                                    "http.auth.enabled",
                                    "false",
                                    // no inference here to serve candidates in shadow
                                    "trainer.shadow.frames",
                                    "0"));
            settings.putAll(trainer);
            try (KafkaProducer<byte[], byte[]> producer = producer(servers);
                    TrainerService service =
                            TrainerService.start(TrainerConfig.from(ConfigSource.of(settings)))) {
                if (!service.shell().awaitReady(Duration.ofSeconds(60))) {
                    throw new IllegalStateException("trainer not ready in 60 s");
                }
                for (String t : o.get("tasks").split(",")) {
                    Task task = Task.valueOf(t.trim().toUpperCase(Locale.ROOT));
                    String model = "bench-" + task.name().toLowerCase(Locale.ROOT);
                    Random random = new Random(11);
                    long bytes = 0;
                    for (int i = 0; i < n; i++) {
                        RgbImage bg = photos.get(random.nextInt(photos.size()));
                        PastedObjects.Composite c =
                                PastedObjects.compose(
                                        random,
                                        bg,
                                        width,
                                        height,
                                        items,
                                        task == Task.CLASSIFICATION ? 1 : 3,
                                        0.12,
                                        0.40);
                        byte[] jpeg = Jpeg.encode(c.image(), 0.9f);
                        bytes += jpeg.length;
                        Label label =
                                switch (task) {
                                    case CLASSIFICATION ->
                                            new Label.ClassLabel(c.objects().get(0).className());
                                    case DETECTION ->
                                            new Label.BoxesLabel(
                                                    c.objects().stream()
                                                            .map(
                                                                    p ->
                                                                            new Label.BoxedObject(
                                                                                    p.className(),
                                                                                    p.box()))
                                                            .toList());
                                    case SEGMENTATION -> {
                                        List<String> names = new ArrayList<>();
                                        names.add("background");
                                        names.addAll(classes);
                                        yield new Label.MaskLabel(
                                                maskPng(c.mask(), width, height), names);
                                    }
                                    default ->
                                            throw new IllegalArgumentException(
                                                    "no bench scenes for " + task);
                                };
                        var sample =
                                new LabelledImageAccepted(
                                        Sha256.hex(jpeg),
                                        model,
                                        jpeg,
                                        "image/jpeg",
                                        width,
                                        height,
                                        label,
                                        "bench",
                                        Instant.now());
                        producer.send(
                                new ProducerRecord<>(
                                        Topics.IMAGES_LABELLED.name(),
                                        sample.key().getBytes(StandardCharsets.UTF_8),
                                        JsonSerde.of(LabelledImageAccepted.class).toBytes(sample)));
                    }
                    producer.flush();
                    System.out.printf(
                            Locale.ROOT,
                            "%s: %d images sent (%.1f MB of JPEG); trigger%n",
                            model,
                            n,
                            bytes / 1e6);
                    long t0 = System.nanoTime();
                    producer.send(
                                    new ProducerRecord<>(
                                            Topics.TRAINING_TRIGGERS.name(),
                                            model.getBytes(StandardCharsets.UTF_8),
                                            JsonSerde.of(TrainingTriggered.class)
                                                    .toBytes(
                                                            new TrainingTriggered(
                                                                    UUID.randomUUID().toString(),
                                                                    model,
                                                                    TrainingTriggered.Reason.MANUAL,
                                                                    0,
                                                                    n,
                                                                    Instant.now()))))
                            .get();
                    String decision = awaitDecision(servers, model, Duration.ofMinutes(90));
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    String row =
                            String.format(
                                    Locale.ROOT,
                                    "| %s | %d | %s | %.0f |",
                                    task.name().toLowerCase(Locale.ROOT),
                                    n,
                                    decision,
                                    seconds);
                    System.out.println(row);
                    rows.add(row);
                }
            }
        }
        System.out.println();
        System.out.println("| task | labelled images | decision | trigger → decision (s) |");
        System.out.println("|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    /** Waits for the model's first announcement or rejection; describes it. */
    private static String awaitDecision(String servers, String model, Duration timeout) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("bootstrap.servers", servers);
        props.put("group.id", "bench-" + UUID.randomUUID());
        props.put("auto.offset.reset", "earliest");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(
                    List.of(Topics.MODELS_PUBLISHED.name(), Topics.MODELS_REJECTED.name()));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofSeconds(1))) {
                    if (r.topic().equals(Topics.MODELS_PUBLISHED.name())) {
                        ModelPublished p = JsonSerde.of(ModelPublished.class).fromBytes(r.value());
                        if (p.model().equals(model)) {
                            return String.format(
                                    Locale.ROOT,
                                    "published v%d, %s %.3f",
                                    p.version(),
                                    p.metricName(),
                                    p.metricValue());
                        }
                    } else {
                        ModelRejected p = JsonSerde.of(ModelRejected.class).fromBytes(r.value());
                        if (p.model().equals(model)) {
                            return "rejected: " + p.reason();
                        }
                    }
                }
            }
            throw new IllegalStateException("no decision about " + model + " within " + timeout);
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(String servers) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("bootstrap.servers", servers);
        props.put("max.request.size", 16 << 20);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static byte[] maskPng(int[] mask, int width, int height) throws Exception {
        BufferedImage grey = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSamples(0, 0, width, height, 0, mask);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(grey, "png", out);
        return out.toByteArray();
    }
}
