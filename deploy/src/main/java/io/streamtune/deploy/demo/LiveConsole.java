package io.streamtune.deploy.demo;

import io.streamtune.contracts.ModelPublished;
import io.streamtune.contracts.ModelRejected;
import io.streamtune.contracts.ModelSwapReported;
import io.streamtune.contracts.Topic;
import io.streamtune.contracts.Topics;
import io.streamtune.contracts.TrainingProgress;
import io.streamtune.contracts.TrainingTriggered;
import io.streamtune.runtime.KafkaSettings;
import io.streamtune.runtime.PrometheusText;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The demo in the terminal: one line per event (trigger, training progress, publication, rejection,
 * swap) as it happens, and a status line every few seconds with the numbers scraped from the
 * services' own {@code /metrics}.
 */
public final class LiveConsole implements AutoCloseable {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final Topic<String, TrainingTriggered> triggers;
    private final Topic<String, TrainingProgress> progress;
    private final Topic<String, ModelPublished> published;
    private final Topic<String, ModelRejected> rejected;
    private final Topic<String, ModelPublished> candidates;
    private final Topic<String, ModelSwapReported> swaps;
    private final Topic<String, io.streamtune.contracts.DriftDetected> drift;

    /** Model → whether its last judged window drifted (a calm window is printed after drift). */
    private final Map<String, Boolean> drifting = new java.util.concurrent.ConcurrentHashMap<>();

    private final PrintStream out;
    private final TopicTail events;
    private final ScheduledExecutorService ticker;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, String> urls;
    private double lastFramesOut = -1;
    private double lastLatencySum;
    private double lastLatencyCount;
    private long lastTick = System.nanoTime();
    private String lastProgress = "";

    private LiveConsole(
            KafkaSettings kafka, Map<String, String> urls, PrintStream out, Duration period) {
        this.out = out;
        this.urls = Map.copyOf(urls);
        this.triggers = kafka.topic(Topics.TRAINING_TRIGGERS);
        this.progress = kafka.topic(Topics.TRAINING_PROGRESS);
        this.published = kafka.topic(Topics.MODELS_PUBLISHED);
        this.rejected = kafka.topic(Topics.MODELS_REJECTED);
        this.candidates = kafka.topic(Topics.MODELS_CANDIDATES);
        this.swaps = kafka.topic(Topics.INFERENCE_EVENTS);
        this.drift = kafka.topic(Topics.MODELS_DRIFT);
        this.events =
                new TopicTail(
                        kafka,
                        "console",
                        List.of(
                                triggers.name(),
                                progress.name(),
                                published.name(),
                                rejected.name(),
                                candidates.name(),
                                swaps.name(),
                                drift.name()),
                        false,
                        this::onEvent);
        this.ticker =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "console-status");
                            t.setDaemon(true);
                            return t;
                        });
        ticker.scheduleAtFixedRate(
                this::status, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Starts printing; {@code urls} maps service name to its base URL. */
    public static LiveConsole start(
            KafkaSettings kafka, Map<String, String> urls, PrintStream out, Duration period) {
        return new LiveConsole(kafka, urls, out, period);
    }

    private synchronized void line(String symbol, String text) {
        out.printf("%s %s %s%n", LocalTime.now().format(CLOCK), symbol, text);
        out.flush();
    }

    private void onEvent(ConsumerRecord<byte[], byte[]> r) {
        String topic = r.topic();
        try {
            if (topic.equals(triggers.name())) {
                var t = triggers.value(r.value());
                line(
                        "▶",
                        String.format(
                                Locale.ROOT,
                                "training triggered for %s (%s: %d new, %d samples in all)",
                                t.model(),
                                t.reason().name().toLowerCase(Locale.ROOT),
                                t.newSamples(),
                                t.totalSamples()));
            } else if (topic.equals(progress.name())) {
                var p = progress.value(r.value());
                String text =
                        String.format(
                                Locale.ROOT,
                                "%s %s %s",
                                p.model(),
                                p.phase().name().toLowerCase(Locale.ROOT).replace('_', ' '),
                                p.epochs() > 0
                                        ? (p.phase() == TrainingProgress.Phase.STYLE_TRAINING
                                                        ? "step "
                                                        : "epoch ")
                                                + p.epoch()
                                                + "/"
                                                + p.epochs()
                                        : "");
                if (!Double.isNaN(p.loss())) {
                    text += String.format(Locale.ROOT, " loss %.4f", p.loss());
                }
                if (!Double.isNaN(p.validationMetric())) {
                    text += String.format(Locale.ROOT, " val %.4f", p.validationMetric());
                }
                if (p.etaSeconds() >= 0) {
                    text += " eta " + p.etaSeconds() + "s";
                }
                if (p.message() != null) {
                    text += " — " + p.message();
                }
                if (!text.equals(lastProgress)) {
                    lastProgress = text;
                    line("·", text.replaceAll(" +", " "));
                }
            } else if (topic.equals(published.name())) {
                var m = published.value(r.value());
                if (m != null && m.isRollback()) {
                    line(
                            "↶",
                            String.format(
                                    Locale.ROOT,
                                    "%s rolled back to v%d (%s): %s",
                                    m.model(),
                                    m.version(),
                                    m.promotion()
                                            .by()
                                            .name()
                                            .toLowerCase(Locale.ROOT)
                                            .replace('_', ' '),
                                    m.promotion().reason()));
                } else if (m != null) {
                    line(
                            "✔",
                            String.format(
                                    Locale.ROOT,
                                    "%s v%d published: %s %.4f%s%s",
                                    m.model(),
                                    m.version(),
                                    m.metricName(),
                                    m.metricValue(),
                                    m.parentVersion() == null
                                            ? ""
                                            : " (fine-tuned from v" + m.parentVersion() + ")",
                                    m.promotion() != null && m.promotion().shadow() != null
                                            ? " after "
                                                    + m.promotion().shadow().frames()
                                                    + " shadow frames, agreement "
                                                    + String.format(
                                                            Locale.ROOT,
                                                            "%.2f",
                                                            m.promotion().shadow().agreement())
                                            : ""));
                }
            } else if (topic.equals(drift.name())) {
                var d = drift.value(r.value());
                boolean was = Boolean.TRUE.equals(drifting.put(d.model(), d.drifted()));
                if (d.drifted()) {
                    line(
                            "≈",
                            String.format(
                                    Locale.ROOT,
                                    "%s v%d drifted from its training data (%d in a row): confidence"
                                            + " PSI %.3f (threshold %.3f), class PSI %.3f"
                                            + " (threshold %.3f)%s, %d frames (dispersion %.1f)",
                                    d.model(),
                                    d.version(),
                                    d.consecutive(),
                                    d.confidencePsi(),
                                    d.confidenceThreshold(),
                                    d.classPsi(),
                                    d.classThreshold(),
                                    d.embeddingPsi() == null
                                            ? ""
                                            : String.format(
                                                    Locale.ROOT,
                                                    ", embedding PSI %.3f (threshold %.3f)",
                                                    d.embeddingPsi(),
                                                    d.embeddingThreshold()),
                                    d.frames(),
                                    d.dispersion()));
                } else if (was) {
                    line(
                            "≈",
                            String.format(
                                    Locale.ROOT,
                                    "%s v%d matches its training data again (%d frames)",
                                    d.model(),
                                    d.version(),
                                    d.frames()));
                }
            } else if (topic.equals(candidates.name())) {
                var m = r.value() == null ? null : candidates.value(r.value());
                if (m != null) {
                    line(
                            "◌",
                            String.format(
                                    Locale.ROOT,
                                    "%s v%d passed the gate (%s); serving in shadow beside production",
                                    m.model(),
                                    m.version(),
                                    m.gate() == null ? m.metricName() : m.gate().describe()));
                }
            } else if (topic.equals(rejected.name())) {
                var m = rejected.value(r.value());
                line(
                        "✘",
                        String.format(
                                Locale.ROOT,
                                "%s candidate rejected%s: %s %.4f vs production %.4f — %s",
                                m.model(),
                                m.verdict() == null
                                        ? ""
                                        : " (" + m.verdict().name().toLowerCase(Locale.ROOT) + ")",
                                m.metricName(),
                                m.candidateMetric(),
                                m.productionMetric(),
                                m.reason()));
            } else if (topic.equals(swaps.name())) {
                var s = swaps.value(r.value());
                if (s.outcome() == ModelSwapReported.Outcome.SWAPPED) {
                    line("⇄", s.instance() + " now serves " + s.model() + " v" + s.version());
                } else {
                    line(
                            "!",
                            s.instance()
                                    + " refused "
                                    + s.model()
                                    + " v"
                                    + s.version()
                                    + ": "
                                    + s.outcome()
                                    + " "
                                    + s.detail()
                                    + " (still serving v"
                                    + s.servingVersion()
                                    + ")");
                }
            }
        } catch (RuntimeException e) {
            line("?", "unreadable event on " + topic + ": " + e.getMessage());
        }
    }

    private void status() {
        try {
            PrometheusText ingest = scrape("ingest");
            PrometheusText inference = scrape("inference");
            long now = System.nanoTime();
            double seconds = (now - lastTick) / 1e9;
            lastTick = now;
            StringBuilder s = new StringBuilder();
            if (ingest != null) {
                s.append(
                        String.format(
                                Locale.ROOT,
                                "samples accepted %.0f, rejected %.0f",
                                ingest.sum("ingest_accepted_total", Map.of()),
                                ingest.sum("ingest_rejected_total", Map.of())));
            }
            if (inference != null) {
                double framesOut = inference.sum("inference_frames_out_total", Map.of());
                double latSum = inference.sum("inference_frame_latency_seconds_sum", Map.of());
                double latCount = inference.sum("inference_frame_latency_seconds_count", Map.of());
                double version =
                        inference.named("inference_model_version").stream()
                                .mapToDouble(PrometheusText.Sample::value)
                                .max()
                                .orElse(0);
                s.append(s.length() > 0 ? " · " : "");
                s.append(version > 0 ? "serving v" + (long) version : "no model yet");
                if (lastFramesOut >= 0) {
                    double rate = (framesOut - lastFramesOut) / seconds;
                    double dCount = latCount - lastLatencyCount;
                    s.append(String.format(Locale.ROOT, " · %.1f predictions/s", rate));
                    if (dCount > 0) {
                        s.append(
                                String.format(
                                        Locale.ROOT,
                                        " · latency avg %.0f ms",
                                        (latSum - lastLatencySum) / dCount * 1000));
                    }
                }
                double waiting = inference.sum("inference_frames_waiting", Map.of());
                if (waiting > 0) {
                    s.append(
                            String.format(
                                    Locale.ROOT, " · %.0f frames waiting for a model", waiting));
                }
                lastFramesOut = framesOut;
                lastLatencySum = latSum;
                lastLatencyCount = latCount;
            }
            if (s.length() > 0) {
                line("≡", s.toString());
            }
        } catch (RuntimeException e) {
            line("?", "status unavailable: " + e.getMessage());
        }
    }

    private PrometheusText scrape(String service) {
        String url = urls.get(service);
        if (url == null) {
            return null;
        }
        try {
            var response =
                    http.send(
                            HttpRequest.newBuilder(URI.create(url + "/metrics"))
                                    .timeout(Duration.ofSeconds(3))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? PrometheusText.parse(response.body()) : null;
        } catch (Exception e) {
            return null;
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        events.close();
    }
}
