package io.streamtune.deploy.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.streamtune.contracts.FrameHeaders;
import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.StylizedFrame;
import io.streamtune.contracts.Topics;
import io.streamtune.runtime.KafkaSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small web page of the pipeline at work: the latest frames with their predictions drawn on them,
 * the model version that made them, and throughput and latency. It reads the frames and prediction
 * topics like any other consumer would.
 */
public final class LiveView implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LiveView.class);
    private static final int KEEP_FRAMES = 200;
    private static final int KEEP_PREDICTIONS = 50;

    private final HttpServer server;
    private final TopicTail frames;
    private final TopicTail predictions;
    private final Map<String, byte[]> frameBytes =
            new LinkedHashMap<>(KEEP_FRAMES, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
                    return size() > KEEP_FRAMES;
                }
            };

    /** Stylized frames (JPEG) by source frame id. */
    private final Map<String, byte[]> stylizedBytes =
            new LinkedHashMap<>(KEEP_PREDICTIONS, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
                    return size() > KEEP_PREDICTIONS;
                }
            };

    private final Deque<ObjectNode> recent = new ArrayDeque<>();
    private final Deque<long[]> timings = new ArrayDeque<>();

    private LiveView(KafkaSettings kafka, String host, int port) {
        try {
            server = io.streamtune.runtime.AdminHttpServer.newServer(host, port, 64);
        } catch (BindException e) {
            throw new IllegalStateException(
                    "live view: port " + port + " (--view-port) is already in use", e);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "live view: cannot listen on " + host + ":" + port + ": " + e, e);
        }
        server.setExecutor(
                Executors.newFixedThreadPool(
                        2,
                        r -> {
                            Thread t = new Thread(r, "liveview-http");
                            t.setDaemon(true);
                            return t;
                        }));
        server.createContext("/", this::page);
        server.createContext("/api/latest", this::latest);
        server.createContext("/api/frame", this::frame);
        server.createContext("/api/stylized", this::stylized);
        frames =
                new TopicTail(
                        kafka,
                        "liveview-frames",
                        List.of(kafka.topic(Topics.FRAMES.name())),
                        false,
                        this::onFrame);
        predictions =
                new TopicTail(
                        kafka,
                        "liveview-predictions",
                        List.of(
                                kafka.topic(Topics.PREDICTIONS_CLASSIFICATIONS.name()),
                                kafka.topic(Topics.PREDICTIONS_DETECTIONS.name()),
                                kafka.topic(Topics.PREDICTIONS_SEGMENTATIONS.name()),
                                kafka.topic(Topics.PREDICTIONS_STYLIZATIONS.name())),
                        false,
                        this::onPrediction);
        server.start();
    }

    /** Starts the page on {@code host:port} (0 = any free port). */
    public static LiveView start(KafkaSettings kafka, String host, int port) {
        LiveView view = new LiveView(kafka, host, port);
        log.info("live view on {}", view.url());
        return view;
    }

    /** Where the page is. */
    /** Whether the view follows its topics: a frame or prediction produced from now on shows. */
    public boolean ready() {
        return frames.ready() && predictions.ready();
    }

    public String url() {
        String host = server.getAddress().getHostString();
        return "http://"
                + ("0.0.0.0".equals(host) ? "127.0.0.1" : host)
                + ":"
                + server.getAddress().getPort()
                + "/";
    }

    private void onFrame(ConsumerRecord<byte[], byte[]> record) {
        var header = record.headers().lastHeader(FrameHeaders.FRAME_ID);
        String id =
                header != null
                        ? new String(header.value(), StandardCharsets.UTF_8)
                        : record.topic() + "-" + record.partition() + "-" + record.offset();
        synchronized (frameBytes) {
            frameBytes.put(id, record.value());
        }
    }

    private void onPrediction(ConsumerRecord<byte[], byte[]> record) {
        try {
            String kind = record.topic().substring(record.topic().lastIndexOf('.') + 1);
            JsonNode json =
                    kind.equals("stylizations")
                            ? stylization(record)
                            : JsonSerde.MAPPER.readTree(record.value());
            ObjectNode entry = JsonSerde.MAPPER.createObjectNode();
            entry.put("kind", kind);
            entry.set("prediction", json);
            long captured =
                    Instant.parse(json.path("frame").path("capturedAt").asText()).toEpochMilli();
            long emitted = Instant.parse(json.path("emittedAt").asText()).toEpochMilli();
            synchronized (recent) {
                recent.addFirst(entry);
                while (recent.size() > KEEP_PREDICTIONS) {
                    recent.removeLast();
                }
                timings.addLast(new long[] {System.currentTimeMillis(), emitted - captured});
                long cutoff = System.currentTimeMillis() - 10_000;
                while (!timings.isEmpty() && timings.peekFirst()[0] < cutoff) {
                    timings.removeFirst();
                }
            }
        } catch (IOException | RuntimeException e) {
            log.debug(
                    "unreadable prediction at {}-{}@{}: {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    e.toString());
        }
    }

    /**
     * A stylized frame (a JPEG with its references in headers) as the JSON the page reads, its
     * image kept for {@code /api/stylized}.
     */
    private JsonNode stylization(ConsumerRecord<byte[], byte[]> record) {
        ObjectNode frame = JsonSerde.MAPPER.createObjectNode();
        String id = header(record, FrameHeaders.FRAME_ID);
        if (id == null) {
            throw new IllegalArgumentException("stylized frame without " + FrameHeaders.FRAME_ID);
        }
        frame.put("frameId", id);
        frame.put("cameraId", new String(record.key(), StandardCharsets.UTF_8));
        frame.put("model", header(record, StylizedFrame.MODEL));
        frame.put("modelVersion", Integer.parseInt(header(record, StylizedFrame.MODEL_VERSION)));
        frame.put(
                "capturedAt",
                Instant.ofEpochMilli(Long.parseLong(header(record, FrameHeaders.CAPTURE_TIME)))
                        .toString());
        frame.put("width", Integer.parseInt(header(record, StylizedFrame.WIDTH)));
        frame.put("height", Integer.parseInt(header(record, StylizedFrame.HEIGHT)));
        ObjectNode json = JsonSerde.MAPPER.createObjectNode();
        json.set("frame", frame);
        json.put("emittedAt", Instant.ofEpochMilli(record.timestamp()).toString());
        synchronized (stylizedBytes) {
            stylizedBytes.put(id, record.value());
        }
        return json;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private void latest(HttpExchange ex) throws IOException {
        ObjectNode out = JsonSerde.MAPPER.createObjectNode();
        synchronized (recent) {
            for (ObjectNode entry : recent) {
                String frameId = entry.path("prediction").path("frame").path("frameId").asText();
                boolean have;
                synchronized (frameBytes) {
                    have = frameBytes.containsKey(frameId);
                }
                if (have) {
                    out.set("latest", entry);
                    break;
                }
            }
            double perSecond = timings.size() / 10.0;
            long[] latencies = timings.stream().mapToLong(t -> t[1]).sorted().toArray();
            out.put("predictionsPerSecond", perSecond);
            out.put("latencyP50Ms", latencies.length == 0 ? -1 : latencies[latencies.length / 2]);
            out.put(
                    "latencyP99Ms",
                    latencies.length == 0
                            ? -1
                            : latencies[
                                    (int)
                                            Math.min(
                                                    latencies.length - 1,
                                                    Math.floor(latencies.length * 0.99))]);
        }
        send(ex, 200, "application/json", JsonSerde.MAPPER.writeValueAsBytes(out));
    }

    private void frame(HttpExchange ex) throws IOException {
        image(ex, frameBytes);
    }

    private void stylized(HttpExchange ex) throws IOException {
        image(ex, stylizedBytes);
    }

    private static void image(HttpExchange ex, Map<String, byte[]> images) throws IOException {
        String query = ex.getRequestURI().getRawQuery();
        String id =
                query != null && query.startsWith("id=")
                        ? URLDecoder.decode(query.substring(3), StandardCharsets.UTF_8)
                        : "";
        byte[] bytes;
        synchronized (images) {
            bytes = images.get(id);
        }
        if (bytes == null) {
            send(
                    ex,
                    404,
                    "application/json",
                    "{\"error\":\"no such frame\"}".getBytes(StandardCharsets.UTF_8));
        } else {
            send(ex, 200, io.streamtune.vision.image.ImageFormat.mediaType(bytes), bytes);
        }
    }

    private void page(HttpExchange ex) throws IOException {
        if (!ex.getRequestURI().getPath().equals("/")) {
            send(ex, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
            return;
        }
        try (InputStream in = LiveView.class.getResourceAsStream("/liveview/index.html")) {
            send(ex, 200, "text/html; charset=utf-8", in.readAllBytes());
        }
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body)
            throws IOException {
        try (ex) {
            ex.getResponseHeaders().set("Content-Type", type);
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            ex.sendResponseHeaders(status, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        frames.close();
        predictions.close();
    }
}
