package io.streamtune.deploy.demo;

import io.streamtune.contracts.Box;
import io.streamtune.contracts.Label;
import io.streamtune.contracts.LabelledImageSubmitted;
import io.streamtune.contracts.LabellingRequested;
import io.streamtune.contracts.Task;
import io.streamtune.contracts.Topic;
import io.streamtune.contracts.Topics;
import io.streamtune.runtime.KafkaSettings;
import io.streamtune.vision.synth.Scene;
import io.streamtune.vision.synth.SceneObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's labellers, closing the loop: they read {@code labelling.requests} and answer each
 * request for a frame of the demo's generated cameras with that frame's true label, sent to {@code
 * images.intake} like any labelling tool's. The cameras' scenes are generated from seeds, so a
 * frame id ({@code cam-<n>-<frame>}) names its scene and the view's place in it.
 */
final class LabellingDesk implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LabellingDesk.class);

    /** A box kept in a label must show at least this share of the object in the view. */
    static final double MIN_VISIBLE = 0.5;

    private final DemoTraffic.Options options;
    private final Topic<String, LabellingRequested> requests;
    private final Consumer<LabelledImageSubmitted> submit;
    private final Set<String> seen =
            Collections.newSetFromMap(
                    new LinkedHashMap<String, Boolean>() {
                        @Override
                        protected boolean removeEldestEntry(Map.Entry<String, Boolean> e) {
                            return size() > 100_000;
                        }
                    });
    private final AtomicLong answered = new AtomicLong();
    private final TopicTail tail;

    LabellingDesk(
            KafkaSettings kafka,
            DemoTraffic.Options options,
            Consumer<LabelledImageSubmitted> submit) {
        this.options = options;
        this.requests = kafka.topic(Topics.LABELLING_REQUESTS);
        this.submit = submit;
        this.tail =
                new TopicTail(kafka, "labelling-desk", List.of(requests.name()), false, this::take);
    }

    /** Whether the desk can label frames of {@code task} (classification and detection). */
    static boolean answers(Task task) {
        return task == Task.CLASSIFICATION || task == Task.DETECTION;
    }

    private void take(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return;
        }
        LabellingRequested request;
        try {
            request = requests.value(record.value());
        } catch (RuntimeException e) {
            return; // not the desk's to judge; ingest and the export command name bad records
        }
        if (!request.frame().model().equals(options.model()) || !seen.add(request.key())) {
            return;
        }
        Optional<Label> label =
                truth(options.task(), options.imageSize(), request.frame().frameId());
        if (label.isEmpty()) {
            return;
        }
        submit.accept(
                new LabelledImageSubmitted(
                        options.model(), request.image(), label.get(), "demo-labelling-desk"));
        long n = answered.incrementAndGet();
        if (n == 1 || n % 50 == 0) {
            log.info(
                    "demo labellers answered {} labelling requests of {} (latest: {}, {})",
                    n,
                    options.model(),
                    request.frame().frameId(),
                    request.reason());
        }
    }

    /**
     * The true label of a generated camera's frame {@code frameId}, {@code size} pixels square;
     * empty for another frame id or a view without a labelled object.
     */
    static Optional<Label> truth(Task task, int size, String frameId) {
        int dash = frameId.lastIndexOf('-');
        if (!frameId.startsWith("cam-") || dash <= 4) {
            return Optional.empty();
        }
        int camera;
        long frame;
        try {
            camera = Integer.parseInt(frameId.substring(4, dash));
            frame = Long.parseLong(frameId.substring(dash + 1));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (camera < 0 || frame < 0) {
            return Optional.empty();
        }
        Scene scene = DemoTraffic.cameraScene(task, size, camera, frame);
        int offset = DemoTraffic.cameraOffset(size, frame);
        return switch (task) {
            case CLASSIFICATION ->
                    scene.objects().isEmpty()
                            ? Optional.empty()
                            : Optional.of(new Label.ClassLabel(scene.dominantShape().className()));
            case DETECTION -> boxes(scene, offset, size);
            default -> Optional.empty();
        };
    }

    /** The scene's objects as the view at {@code offset} shows them, mostly visible ones only. */
    private static Optional<Label> boxes(Scene scene, int offset, int size) {
        List<Label.BoxedObject> objects = new ArrayList<>();
        for (SceneObject o : scene.objects()) {
            Box b = o.box();
            double x0 = Math.max(0, b.x() - offset);
            double x1 = Math.min(size, b.x() + b.width() - offset);
            double y0 = Math.max(0, b.y());
            double y1 = Math.min(size, b.y() + b.height());
            if (x1 - x0 < 2 || y1 - y0 < 2) {
                continue;
            }
            double visible = (x1 - x0) * (y1 - y0) / (b.width() * b.height());
            if (visible >= MIN_VISIBLE) {
                objects.add(
                        new Label.BoxedObject(
                                o.shape().className(), new Box(x0, y0, x1 - x0, y1 - y0)));
            }
        }
        return objects.isEmpty() ? Optional.empty() : Optional.of(new Label.BoxesLabel(objects));
    }

    /** Requests answered so far. */
    long answered() {
        return answered.get();
    }

    @Override
    public void close() {
        tail.close();
    }
}
