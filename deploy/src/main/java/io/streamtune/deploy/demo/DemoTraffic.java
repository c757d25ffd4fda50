package io.streamtune.deploy.demo;

import io.streamtune.contracts.FrameHeaders;
import io.streamtune.contracts.Label;
import io.streamtune.contracts.LabelledImageSubmitted;
import io.streamtune.contracts.Task;
import io.streamtune.contracts.Topic;
import io.streamtune.contracts.Topics;
import io.streamtune.runtime.KafkaSettings;
import io.streamtune.vision.image.RgbImage;
import io.streamtune.vision.synth.PastedObjects;
import io.streamtune.vision.synth.Scene;
import io.streamtune.vision.synth.SceneObject;
import io.streamtune.vision.synth.ShapeKind;
import io.streamtune.vision.synth.SyntheticScenes;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the stack like a site would: a labelling tool writing labelled images to the intake topic
 * (a burst, then a trickle so that new versions keep coming) and cameras streaming frames of moving
 * shapes on textured backgrounds to the frames topic.
 */
public final class DemoTraffic implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DemoTraffic.class);

    /**
     * What to send.
     *
     * @param model model (dataset) name
     * @param task task the labels train
     * @param imageSize side of the square images in pixels
     * @param burst labelled images sent at once at start
     * @param labelsPerSecond labelled images per second after the burst
     * @param cameras number of cameras
     * @param framesPerSecond frames per second per camera
     * @param cameraDir the cameras play these photographs (null: generated scenes)
     * @param products with {@code cameraDir}: product photos the labeller pastes into the
     *     photographs and labels with boxes, and the cameras show (null: cameras only)
     */
    public record Options(
            String model,
            Task task,
            int imageSize,
            int burst,
            double labelsPerSecond,
            int cameras,
            double framesPerSecond,
            java.nio.file.Path cameraDir,
            ProductPhotos.Items products,
            byte[] style) {

        /** Options of a demo without a style image. */
        public Options(
                String model,
                Task task,
                int imageSize,
                int burst,
                double labelsPerSecond,
                int cameras,
                double framesPerSecond,
                java.nio.file.Path cameraDir,
                ProductPhotos.Items products) {
            this(
                    model,
                    task,
                    imageSize,
                    burst,
                    labelsPerSecond,
                    cameras,
                    framesPerSecond,
                    cameraDir,
                    products,
                    null);
        }

        public Options {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(task, "task");
            if (imageSize < 16
                    || burst < 0
                    || labelsPerSecond < 0
                    || cameras < 0
                    || framesPerSecond <= 0) {
                throw new IllegalArgumentException("invalid demo options");
            }
        }
    }

    private final Options options;
    private final Producer<byte[], byte[]> producer;
    private final Topic<String, LabelledImageSubmitted> intake;
    private final String framesTopic;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong labelsSent = new AtomicLong();
    private final AtomicLong framesSent = new AtomicLong();
    private volatile boolean running = true;
    private LabellingDesk desk;

    /** When fog comes over the generated cameras (System.nanoTime), never by default. */
    private volatile long fogAt = Long.MAX_VALUE;

    private DemoTraffic(KafkaSettings kafka, Options options) {
        this.options = options;
        this.producer = new KafkaProducer<>(kafka.imageProducer("streamtune-demo"));
        this.intake = kafka.topic(Topics.IMAGES_INTAKE);
        this.framesTopic = kafka.topic(Topics.FRAMES.name());
    }

    /** Starts the labeller and the cameras on daemon threads. */
    public static DemoTraffic start(KafkaSettings kafka, Options options) throws IOException {
        List<BufferedImage> photos =
                options.cameraDir() == null ? null : PhotoSet.load(options.cameraDir());
        DemoTraffic traffic = new DemoTraffic(kafka, options);
        if (options.task() == Task.STYLIZATION && photos != null && options.style() != null) {
            // a painting registered as the style, then crops of the cameras' photographs as
            // content
            traffic.send(
                    traffic.intake.name(),
                    null,
                    traffic.intake.bytes(
                            new LabelledImageSubmitted(
                                    options.model(),
                                    options.style(),
                                    new Label.StyleLabel(),
                                    "demo-labeller")),
                    null);
            List<RgbImage> sources = photos.stream().map(RgbImage::of).toList();
            traffic.spawn(
                    "demo-labeller",
                    () ->
                            traffic.label(
                                    seed ->
                                            contentSample(
                                                    options.model(),
                                                    sources,
                                                    options.imageSize(),
                                                    seed)));
        } else if (options.products() != null && photos != null) {
            List<RgbImage> backgrounds = photos.stream().map(RgbImage::of).toList();
            traffic.spawn(
                    "demo-labeller",
                    () ->
                            traffic.label(
                                    seed ->
                                            productSample(
                                                    options.model(),
                                                    backgrounds,
                                                    options.products().labelled(),
                                                    options.imageSize(),
                                                    seed)));
        } else {
            traffic.spawn(
                    "demo-labeller",
                    () ->
                            traffic.label(
                                    seed ->
                                            sample(
                                                    options.model(),
                                                    options.task(),
                                                    options.imageSize(),
                                                    seed)));
        }
        if (photos == null && options.cameras() > 0 && LabellingDesk.answers(options.task())) {
            traffic.desk = new LabellingDesk(kafka, options, traffic::submit);
        }
        for (int c = 0; c < options.cameras(); c++) {
            int camera = c;
            traffic.spawn(
                    "demo-camera-" + c,
                    photos == null
                            ? () -> traffic.film(camera)
                            : () -> traffic.filmPhotos(camera, photos));
        }
        return traffic;
    }

    private void spawn(String name, Runnable body) {
        Thread t =
                new Thread(
                        () -> {
                            try {
                                body.run();
                            } catch (RuntimeException e) {
                                if (running) {
                                    log.error("{} stopped: {}", name, e.toString());
                                }
                            }
                        },
                        name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    /** A labelled sample of the demo's task, from a seed. */
    public static LabelledImageSubmitted sample(String model, Task task, int size, long seed) {
        return switch (task) {
            case CLASSIFICATION -> {
                Scene s = SyntheticScenes.single(seed, size, size);
                yield new LabelledImageSubmitted(
                        model,
                        s.png(),
                        new Label.ClassLabel(s.dominantShape().className()),
                        "demo-labeller");
            }
            case DETECTION -> {
                Scene s = SyntheticScenes.generate(seed, size, size, 3);
                List<Label.BoxedObject> objects = new ArrayList<>();
                for (SceneObject o : s.objects()) {
                    objects.add(new Label.BoxedObject(o.shape().className(), o.box()));
                }
                yield new LabelledImageSubmitted(
                        model, s.png(), new Label.BoxesLabel(objects), "demo-labeller");
            }
            case SEGMENTATION -> {
                Scene s = SyntheticScenes.generate(seed, size, size, 3);
                yield new LabelledImageSubmitted(
                        model,
                        s.png(),
                        new Label.MaskLabel(s.maskPng(), ShapeKind.segmentationClassNames()),
                        "demo-labeller");
            }
            case STYLIZATION -> {
                Scene s = SyntheticScenes.generate(seed, size, size, 3);
                yield new LabelledImageSubmitted(
                        model, s.png(), new Label.ContentLabel(), "demo-labeller");
            }
            case INSTANCE_SEGMENTATION ->
                    throw new IllegalArgumentException(
                            "the demo does not label instance segmentation (served from imported"
                                    + " models only)");
        };
    }

    /** A content image for a stylization model: a random square crop of one of the photographs. */
    public static LabelledImageSubmitted contentSample(
            String model, List<RgbImage> photos, int size, long seed) {
        java.util.Random r = new java.util.Random(seed);
        RgbImage crop =
                io.streamtune.vision.preprocess.ImageOps.resize(
                        io.streamtune.trainer.style.StyleData.crops(
                                        List.of(photos.get(r.nextInt(photos.size()))), 1, r)
                                .get(0),
                        size,
                        size);
        return new LabelledImageSubmitted(
                model, jpeg(crop.toBufferedImage()), new Label.ContentLabel(), "demo-labeller");
    }

    /** A labelled detection sample: product photos pasted into one of the photographs. */
    public static LabelledImageSubmitted productSample(
            String model,
            List<RgbImage> backgrounds,
            List<List<PastedObjects.Item>> items,
            int size,
            long seed) {
        Random r = new Random(seed);
        PastedObjects.Composite c =
                PastedObjects.compose(
                        r,
                        backgrounds.get(r.nextInt(backgrounds.size())),
                        size,
                        size,
                        items,
                        3,
                        0.12,
                        0.40);
        List<Label.BoxedObject> objects = new ArrayList<>();
        for (PastedObjects.Placed o : c.objects()) {
            objects.add(new Label.BoxedObject(o.className(), o.box()));
        }
        return new LabelledImageSubmitted(
                model,
                jpeg(c.image().toBufferedImage()),
                new Label.BoxesLabel(objects),
                "demo-labeller");
    }

    /**
     * The labelling tool: a burst of samples, then {@code labelsPerSecond}; {@code sample} makes
     * the sample of a seed.
     */
    private void label(java.util.function.LongFunction<LabelledImageSubmitted> sample) {
        long seed = 1_000_000;
        for (int i = 0; i < options.burst() && running; i++) {
            send(intake.name(), null, intake.bytes(sample.apply(seed++)), null);
            labelsSent.incrementAndGet();
        }
        producer.flush();
        if (options.labelsPerSecond() <= 0) {
            return;
        }
        long periodNanos = (long) (1e9 / options.labelsPerSecond());
        long next = System.nanoTime();
        while (running) {
            next += periodNanos;
            sleepUntil(next);
            send(intake.name(), null, intake.bytes(sample.apply(seed++)), null);
            labelsSent.incrementAndGet();
        }
    }

    /**
     * Films real photographs: each camera walks the folder from its own starting photo, showing
     * each for a few seconds while its view pans slowly across it, so frames differ.
     */
    private void filmPhotos(int camera, List<BufferedImage> photos) {
        String cameraId = "cam-" + camera;
        long periodNanos = (long) (1e9 / options.framesPerSecond());
        long next = System.nanoTime();
        int framesPerPhoto = 25;
        long frame = 0;
        BufferedImage photo = null;
        Random r = new Random(31L * (camera + 1));
        while (running) {
            if (frame % framesPerPhoto == 0 || photo == null) {
                photo = photos.get((int) ((camera + frame / framesPerPhoto) % photos.size()));
                if (options.products() != null) {
                    // products the model never trained on, placed anew for each photograph
                    photo =
                            PastedObjects.compose(
                                            r,
                                            RgbImage.of(photo),
                                            photo.getWidth(),
                                            photo.getHeight(),
                                            options.products().filmed(),
                                            3,
                                            0.12,
                                            0.35)
                                    .image()
                                    .toBufferedImage();
                }
            }
            int w = photo.getWidth() * 9 / 10;
            int h = photo.getHeight() * 9 / 10;
            int step = (int) (frame % framesPerPhoto);
            int x = (photo.getWidth() - w) * step / (framesPerPhoto - 1);
            int y = (photo.getHeight() - h) / 2;
            sendFrame(cameraId, frame, photo.getSubimage(x, y, w, h));
            frame++;
            next += periodNanos;
            sleepUntil(next);
        }
    }

    private void sendFrame(String cameraId, long frame, BufferedImage view) {
        var headers = new org.apache.kafka.common.header.internals.RecordHeaders();
        headers.add(
                FrameHeaders.FRAME_ID, (cameraId + "-" + frame).getBytes(StandardCharsets.UTF_8));
        headers.add(
                FrameHeaders.CAPTURE_TIME,
                Long.toString(System.currentTimeMillis()).getBytes(StandardCharsets.UTF_8));
        send(framesTopic, cameraId.getBytes(StandardCharsets.UTF_8), jpeg(view), headers);
        framesSent.incrementAndGet();
    }

    /** Frames a generated camera shows one scene for, its window sliding across it. */
    static final int FRAMES_PER_SCENE = 24;

    /**
     * The scene generated camera {@code camera} films at {@code frame}: {@code size} high and wider
     * than the view by {@link #travel}, from a seed of camera and scene number, so any frame can be
     * made again (the demo's labellers do, to answer labelling requests).
     */
    static Scene cameraScene(Task task, int size, int camera, long frame) {
        long seed = 7_000_000L * (camera + 1) + frame / FRAMES_PER_SCENE;
        int width = size + travel(size);
        return task == Task.CLASSIFICATION
                ? SyntheticScenes.single(seed, width, size)
                : SyntheticScenes.generate(seed, width, size, 3);
    }

    /** How much wider than the view a generated camera's scene is. */
    static int travel(int size) {
        return Math.max(8, size / 4);
    }

    /** Where the view of {@code frame} starts in its scene: the window slides to the right. */
    static int cameraOffset(int size, long frame) {
        return (int) ((frame % FRAMES_PER_SCENE) * travel(size) / FRAMES_PER_SCENE);
    }

    private void film(int camera) {
        String cameraId = "cam-" + camera;
        long periodNanos = (long) (1e9 / options.framesPerSecond());
        long next = System.nanoTime();
        int size = options.imageSize();
        long frame = 0;
        Scene scene = null;
        while (running) {
            if (frame % FRAMES_PER_SCENE == 0) {
                scene = cameraScene(options.task(), size, camera, frame);
            }
            // The window slides across a wider scene, so shapes move through the picture.
            int offset = cameraOffset(size, frame);
            BufferedImage view = scene.image().toBufferedImage().getSubimage(offset, 0, size, size);
            if (System.nanoTime() >= fogAt) {
                view = fog(view);
            }
            sendFrame(cameraId, frame, view);
            frame++;
            next += periodNanos;
            sleepUntil(next);
        }
    }

    private void send(
            String topic,
            byte[] key,
            byte[] value,
            org.apache.kafka.common.header.Headers headers) {
        producer.send(
                new ProducerRecord<>(topic, null, key, value, headers),
                (md, e) -> {
                    if (e != null && running) {
                        log.warn("demo record to {} failed: {}", topic, e.toString());
                    }
                });
    }

    static byte[] jpeg(BufferedImage image) {
        BufferedImage rgb =
                new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        rgb.getGraphics().drawImage(image, 0, 0, null);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(rgb, "jpg", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void sleepUntil(long nanoTime) {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                running = false;
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * From {@code after} on, fog comes over the site: every generated camera films through it (a
     * third of the contrast, blurred). The world the model sees drifts from the one it was trained
     * on, while what the frames show, and so their true labels, stay the same.
     */
    public DemoTraffic fogAfter(java.time.Duration after) {
        fogAt = System.nanoTime() + after.toNanos();
        log.info("demo: fog comes over the generated cameras in {} s", after.toSeconds());
        return this;
    }

    /** The view through a fogged lens: contrast cut to a third around grey, then a 5x5 blur. */
    static BufferedImage fog(BufferedImage view) {
        int w = view.getWidth(), h = view.getHeight();
        BufferedImage flat = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = view.getRGB(x, y);
                int r = 128 + (((rgb >> 16) & 0xff) - 128) / 3;
                int g = 128 + (((rgb >> 8) & 0xff) - 128) / 3;
                int b = 128 + ((rgb & 0xff) - 128) / 3;
                flat.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        float[] box = new float[25];
        java.util.Arrays.fill(box, 1f / 25);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        new java.awt.image.ConvolveOp(
                        new java.awt.image.Kernel(5, 5, box),
                        java.awt.image.ConvolveOp.EDGE_NO_OP,
                        null)
                .filter(flat, out);
        return out;
    }

    /** Sends a labelled image to the intake topic, as the labelling tool does. */
    private void submit(LabelledImageSubmitted sample) {
        send(intake.name(), null, intake.bytes(sample), null);
        labelsSent.incrementAndGet();
    }

    /** Labelled images sent so far, the desk's answers to labelling requests included. */
    public long labelsSent() {
        return labelsSent.get();
    }

    /** Labelling requests the demo's labellers answered so far. */
    public long requestsAnswered() {
        return desk == null ? 0 : desk.answered();
    }

    /** Frames sent so far. */
    public long framesSent() {
        return framesSent.get();
    }

    @Override
    public void close() {
        running = false;
        if (desk != null) {
            desk.close();
        }
        threads.forEach(Thread::interrupt);
        for (Thread t : threads) {
            try {
                t.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
