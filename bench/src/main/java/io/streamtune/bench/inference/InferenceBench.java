package io.streamtune.bench.inference;

import io.streamtune.contracts.FrameHeaders;
import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.Topics;
import io.streamtune.inference.InferenceConfig;
import io.streamtune.inference.InferenceMetrics;
import io.streamtune.inference.InferenceService;
import io.streamtune.kafka.embedded.EmbeddedKafkaBroker;
import io.streamtune.kafka.embedded.ServiceSettings;
import io.streamtune.runtime.ConfigSource;
import io.streamtune.vision.image.ImageDecoder;
import io.streamtune.vision.image.ImageLimits;
import io.streamtune.vision.image.RgbImage;
import io.streamtune.vision.model.ModelSpecOverrides;
import io.streamtune.vision.model.OnnxModelRunner;
import io.streamtune.vision.model.RunnerOptions;
import io.streamtune.vision.preprocess.Preprocessor;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Inference throughput and latency, printed as ratios from one run.
 *
 * <p>For each model (a ResNet-18-sized classifier at 224 px, a YOLOv8-layout detector): the raw
 * throughput of one ONNX Runtime session on preprocessed batches; the throughput of the whole
 * pipeline (Kafka frames in, JPEG decode, preprocess, the same session, postprocess, predictions
 * out, offsets committed) on a backlog of 640x480 JPEG frames, with the same batch size and
 * threads, and their ratio; end-to-end latency (capture timestamp to prediction received by a
 * consumer) at 50% and 90% of the pipeline's maximum throughput; and the time per frame in each
 * pipeline stage. Options: {@code --seconds=8 --batch=8 --threads=<cores - 1>
 * --models=resnet18,detector,centernet,stylizer --detector.size=320} ({@code centernet}: the zoo's
 * COCO detector, fetched once; {@code stylizer}: the trainer's image-transformation network at 256
 * px, stylized JPEG frames out).
 */
public final class InferenceBench {

    static {
        io.streamtune.runtime.DjlOffline.enforce();
    }

    private InferenceBench() {}

    public static void main(String[] args) throws Exception {
        ConfigSource opts = ConfigSource.of(ConfigSource.parseArgs(args));
        int seconds = opts.integer("seconds", 8, 1, 3600);
        int batch = opts.integer("batch", 8, 1, 1024);
        int threads =
                opts.integer(
                        "threads",
                        Math.max(1, Runtime.getRuntime().availableProcessors() - 1),
                        1,
                        256);
        int detectorSize = opts.integer("detector.size", 320, 32, 4096);
        List<String> models = List.of(opts.string("models", "resnet18,detector").split(","));

        Path dir = Files.createTempDirectory("inference-bench");
        System.out.printf(
                Locale.ROOT,
                "inference bench: %d cores, batch %d, %d intra-op threads, %d s per phase, frames"
                        + " 640x480 JPEG%n",
                Runtime.getRuntime().availableProcessors(),
                batch,
                threads,
                seconds);
        try (EmbeddedKafkaBroker broker =
                EmbeddedKafkaBroker.builder().build().start(Duration.ofSeconds(60))) {
            for (String m : models) {
                switch (m.strip()) {
                    case "resnet18" ->
                            run(
                                    broker,
                                    dir,
                                    "resnet18",
                                    "ResNet-18 classifier @224",
                                    BenchNets.resnet18(224),
                                    Topics.PREDICTIONS_CLASSIFICATIONS.name(),
                                    seconds,
                                    batch,
                                    threads);
                    case "detector" ->
                            run(
                                    broker,
                                    dir,
                                    "detector",
                                    "YOLOv8-layout detector @" + detectorSize + ", 80 classes",
                                    BenchNets.detector(detectorSize, 80),
                                    Topics.PREDICTIONS_DETECTIONS.name(),
                                    seconds,
                                    batch,
                                    threads);
                    case "centernet" ->
                            run(
                                    broker,
                                    dir,
                                    "centernet",
                                    "zoo:centernet, the COCO detector @512, as served",
                                    java.nio.file.Files.readAllBytes(
                                            io.streamtune.zoo.Zoo.standard()
                                                    .resolve(
                                                            "zoo:centernet",
                                                            line ->
                                                                    System.err.println(
                                                                            "zoo: " + line))),
                                    Topics.PREDICTIONS_DETECTIONS.name(),
                                    seconds,
                                    batch,
                                    threads);
                    case "stylizer" ->
                            run(
                                    broker,
                                    dir,
                                    "stylizer",
                                    "streamtune stylizer (16/32/64 channels, 3 residual blocks)"
                                            + " @256, JPEG frames out",
                                    stylizer(256),
                                    Topics.PREDICTIONS_STYLIZATIONS.name(),
                                    seconds,
                                    batch,
                                    threads);
                    default -> throw new IllegalArgumentException("unknown model " + m);
                }
            }
        }
    }

    private static void run(
            EmbeddedKafkaBroker broker,
            Path dir,
            String name,
            String title,
            byte[] onnx,
            String predictionsTopic,
            int seconds,
            int batch,
            int threads)
            throws Exception {
        Path file = Files.write(dir.resolve(name + ".onnx"), onnx);
        byte[] jpeg = cameraFrame(640, 480);
        System.out.printf(Locale.ROOT, "%n== %s (%.1f MB ONNX)%n", title, onnx.length / 1e6);

        double raw = rawThroughput(file, jpeg, batch, threads, seconds);
        System.out.printf(
                Locale.ROOT,
                "  raw ORT session, preprocessed batches of %d : %7.1f img/s%n",
                batch,
                raw);

        String prefix = "bench-" + name + "-" + System.nanoTime() + ".";
        var config =
                InferenceConfig.from(
                        ConfigSource.of(
                                ServiceSettings.loopback(
                                        broker.bootstrapServers(),
                                        prefix,
                                        "inference.model",
                                        name,
                                        "inference.model.file",
                                        file.toString(),
                                        "inference.model.follow",
                                        "false",
                                        "inference.batch.max.size",
                                        Integer.toString(batch),
                                        "inference.batch.max.wait",
                                        "20ms",
                                        "inference.threads.intra.op",
                                        Integer.toString(threads))));
        String frames = prefix + Topics.FRAMES.name();
        int backlog = (int) Math.max(4L * batch, Math.round(raw * seconds));
        try (KafkaProducer<byte[], byte[]> producer = producer(broker.bootstrapServers())) {
            // Topics exist once a service has provisioned them; start, stop, fill the backlog,
            // start again.
            InferenceService.start(config).close();
            for (int i = 0; i < backlog; i++) {
                producer.send(frame(frames, "cam-" + i % 4, jpeg, System.currentTimeMillis()));
            }
            producer.flush();
            try (Reader reader = new Reader(broker.bootstrapServers(), prefix + predictionsTopic);
                    InferenceService service = InferenceService.start(config)) {
                reader.awaitCount(backlog, Duration.ofSeconds(seconds * 20L + 60));
                List<Sample> done = reader.samples();
                double pipeline =
                        (done.size() - 1)
                                * 1000.0
                                / Math.max(
                                        1,
                                        done.get(done.size() - 1).emittedMs()
                                                - done.get(0).emittedMs());
                System.out.printf(
                        Locale.ROOT,
                        "  pipeline Kafka->Kafka, backlog of %d frames    : %7.1f frames/s  = %.2f"
                                + " x raw%n",
                        backlog,
                        pipeline,
                        pipeline / raw);
                printStages(service.metrics(), backlog);

                for (double load : new double[] {0.5, 0.9}) {
                    double rate = pipeline * load;
                    int from = reader.samples().size();
                    int sent = paced(producer, frames, jpeg, rate, seconds);
                    reader.awaitCount(from + sent, Duration.ofSeconds(seconds * 10L + 30));
                    List<Sample> all = reader.samples();
                    // The first second settles the queue; latency is read from the rest.
                    long[] latencies =
                            all
                                    .subList(
                                            from + Math.min(sent / 2, (int) Math.ceil(rate)),
                                            all.size())
                                    .stream()
                                    .mapToLong(Sample::latencyMs)
                                    .sorted()
                                    .toArray();
                    System.out.printf(
                            Locale.ROOT,
                            "  e2e latency at %2.0f%% (%6.1f frames/s)          : p50 %5d ms  p99"
                                    + " %5d ms  (%d frames)%n",
                            load * 100,
                            rate,
                            percentile(latencies, 0.50),
                            percentile(latencies, 0.99),
                            latencies.length);
                }
            }
        }
    }

    /**
     * The trainer's image-transformation network (fresh weights: the cost of a frame does not
     * depend on them) with the metadata a published stylization model carries.
     */
    static byte[] stylizer(int size) {
        return io.streamtune.onnx.ir.OnnxWriter.toBytes(
                io.streamtune.trainer.publish.ModelExport.withMetadata(
                        io.streamtune.trainer.style.TransformerNet.build(16, 3, 1),
                        io.streamtune.contracts.Task.STYLIZATION,
                        List.of(),
                        new io.streamtune.vision.preprocess.PreprocessConfig(
                                size,
                                size,
                                io.streamtune.vision.preprocess.ResizeMode.STRETCH,
                                0,
                                io.streamtune.vision.preprocess.ChannelOrder.RGB,
                                io.streamtune.vision.preprocess.Normalization.UNIT),
                        "stylizer",
                        1,
                        null,
                        Map.of(),
                        Instant.EPOCH));
    }

    private static double rawThroughput(Path file, byte[] jpeg, int batch, int threads, int seconds)
            throws Exception {
        try (OnnxModelRunner runner =
                OnnxModelRunner.load(
                        file, new RunnerOptions(threads, 1), ModelSpecOverrides.NONE)) {
            RgbImage image = new ImageDecoder(ImageLimits.defaults()).decode(jpeg);
            Preprocessor pre = new Preprocessor(runner.spec().preprocess());
            float[][] inputs = new float[batch][];
            for (int i = 0; i < batch; i++) {
                inputs[i] = pre.apply(image).input();
            }
            for (int i = 0; i < 3; i++) {
                runner.run(inputs);
            }
            long start = System.nanoTime();
            long deadline = start + TimeUnit.SECONDS.toNanos(seconds);
            long images = 0;
            while (System.nanoTime() < deadline) {
                runner.run(inputs);
                images += batch;
            }
            return images * 1e9 / (System.nanoTime() - start);
        }
    }

    private static void printStages(InferenceMetrics metrics, int frames) {
        StringBuilder sb = new StringBuilder("  where the time goes, ms per frame            :");
        double total = 0;
        for (InferenceMetrics.Stage stage : InferenceMetrics.Stage.values()) {
            double ms = metrics.stageTimer(stage).totalTime(TimeUnit.MILLISECONDS) / frames;
            total += ms;
            sb.append(
                    String.format(
                            Locale.ROOT, " %s %.2f,", stage.name().toLowerCase(Locale.ROOT), ms));
        }
        sb.append(String.format(Locale.ROOT, " sum %.2f", total));
        System.out.println(sb);
    }

    private static int paced(
            KafkaProducer<byte[], byte[]> producer,
            String topic,
            byte[] jpeg,
            double rate,
            int seconds)
            throws InterruptedException {
        long start = System.nanoTime();
        int total = (int) Math.round(rate * seconds);
        for (int i = 0; i < total; i++) {
            long due = start + (long) (i * 1e9 / rate);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            producer.send(frame(topic, "cam-" + i % 4, jpeg, System.currentTimeMillis()));
        }
        producer.flush();
        return total;
    }

    private static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return -1;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    /**
     * A 640x480 frame with gradients and noise, so the JPEG is as costly to decode as a camera's.
     */
    static byte[] cameraFrame(int width, int height) throws Exception {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Random random = new Random(3);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = (x * 255 / width + random.nextInt(24)) & 0xFF;
                int g = (y * 255 / height + random.nextInt(24)) & 0xFF;
                int b = ((x + y) * 128 / (width + height) + random.nextInt(24)) & 0xFF;
                image.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", out);
        return out.toByteArray();
    }

    private static ProducerRecord<byte[], byte[]> frame(
            String topic, String camera, byte[] jpeg, long captureMs) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(
                FrameHeaders.CAPTURE_TIME,
                Long.toString(captureMs).getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(
                topic, null, camera.getBytes(StandardCharsets.UTF_8), jpeg, headers);
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(
                Map.of(
                        "bootstrap.servers",
                        bootstrap,
                        "acks",
                        "all",
                        "linger.ms",
                        "2",
                        "max.request.size",
                        Integer.toString(4 << 20),
                        "key.serializer",
                        ByteArraySerializer.class.getName(),
                        "value.serializer",
                        ByteArraySerializer.class.getName()));
    }

    /**
     * One prediction as received: when its frame was captured and emitted, and the latency to this
     * consumer.
     */
    record Sample(long emittedMs, long latencyMs) {}

    /** Reads a predictions topic on its own thread, recording every prediction's latency. */
    private static final class Reader implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final List<Sample> samples = new CopyOnWriteArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Reader(String bootstrap, String topic) {
            consumer =
                    new KafkaConsumer<>(
                            Map.of(
                                    "bootstrap.servers",
                                    bootstrap,
                                    "isolation.level",
                                    "read_committed",
                                    "key.deserializer",
                                    ByteArrayDeserializer.class.getName(),
                                    "value.deserializer",
                                    ByteArrayDeserializer.class.getName()));
            List<TopicPartition> parts =
                    consumer.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            thread = new Thread(this::run, "bench-reader");
            thread.start();
        }

        private void run() {
            while (running.get()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                    long now = System.currentTimeMillis();
                    var captured = r.headers().lastHeader(FrameHeaders.CAPTURE_TIME);
                    // a stylized frame is a JPEG: its capture time is a header, its emission
                    // the record's timestamp
                    long[] t =
                            r.topic().endsWith(Topics.PREDICTIONS_STYLIZATIONS.name())
                                    ? new long[] {
                                        Long.parseLong(
                                                new String(
                                                        captured.value(), StandardCharsets.UTF_8)),
                                        r.timestamp()
                                    }
                                    : times(r.value());
                    samples.add(new Sample(t[1], now - t[0]));
                }
            }
            consumer.close();
        }

        List<Sample> samples() {
            List<Sample> copy = new ArrayList<>(samples);
            copy.sort((a, b) -> Long.compare(a.emittedMs(), b.emittedMs()));
            return copy;
        }

        void awaitCount(int count, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (samples.size() < count && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            if (samples.size() < count) {
                throw new IllegalStateException(
                        "only "
                                + samples.size()
                                + " of "
                                + count
                                + " predictions within "
                                + timeout);
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join();
        }
    }

    private static long[] times(byte[] json) {
        try {
            var tree = JsonSerde.MAPPER.readTree(json);
            return new long[] {
                Instant.parse(tree.get("frame").get("capturedAt").asText()).toEpochMilli(),
                Instant.parse(tree.get("emittedAt").asText()).toEpochMilli()
            };
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable prediction", e);
        }
    }
}
