package io.streamtune.ingest;

import io.streamtune.ingest.trigger.Drift;
import io.streamtune.ingest.trigger.TriggerPolicy;
import io.streamtune.ingest.validate.ClassPolicy;
import io.streamtune.ingest.validate.ImageCheck;
import io.streamtune.runtime.ConfigDef;
import io.streamtune.runtime.ConfigDef.Setting;
import io.streamtune.runtime.ConfigException;
import io.streamtune.runtime.ConfigSource;
import io.streamtune.runtime.ServiceConfig;
import io.streamtune.vision.image.ImageFormat;
import io.streamtune.vision.image.ImageLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every setting of the ingest service, read once at start-up; a bad value fails start-up naming its
 * key.
 *
 * @param service shared service settings (HTTP, Kafka, topics)
 * @param validation image limits and label policy
 * @param http the upload API
 * @param intake the Kafka intake consumer
 * @param trigger when to emit training triggers
 * @param streams the Kafka Streams trigger/stats application
 */
public record IngestConfig(
        ServiceConfig service,
        Validation validation,
        Http http,
        Intake intake,
        TriggerPolicy trigger,
        Streams streams) {

    /**
     * Key prefixes this service owns: a key under them that it does not read is reported at start
     * (a mistyped setting would otherwise be ignored without a word).
     */
    public static final java.util.List<String> OWNED_PREFIXES =
            java.util.List.of(
                    "ingest.",
                    "image.",
                    "intake.",
                    "label.",
                    "trigger.",
                    "streams.",
                    "http.",
                    "drift.",
                    "model.");

    /** Default HTTP port of the ingest service. */
    public static final int DEFAULT_HTTP_PORT = 8081;

    /** Every ingest key, declared once: the README's table is generated from it. */
    public static final ConfigDef DEF = new ConfigDef("ingest");

    private static final Setting<Boolean> AUTH_ENABLED =
            DEF.bool("http.auth.enabled", true, "`false` only for the local demo");
    private static final Setting<String> AUTH_TOKEN =
            DEF.secret(
                    "http.auth.token",
                    "required while auth is on: at least 16 characters, e.g. `openssl rand -hex 24`");
    private static final Setting<Long> MAX_REQUEST_BYTES =
            DEF.size(
                    "http.max.request.bytes",
                    64L << 20,
                    1024,
                    1L << 30,
                    "larger request bodies get 413 before they are read");
    private static final Setting<Integer> API_PORT =
            DEF.integer(
                    "http.api.port",
                    -1,
                    -1,
                    65535,
                    "`-1`: `/v1` on `http.port` next to health/metrics; else a server of its own on"
                            + " this port (`0` = any)");
    private static final Setting<Integer> API_THREADS =
            DEF.integer(
                    "http.api.threads",
                    16,
                    1,
                    512,
                    "handler threads of the API (its own server, or its own pool on the shared"
                            + " one); each upload holds one until its ack");
    private static final Setting<Integer> MAX_CONCURRENT_UPLOADS =
            DEF.integer(
                    "http.max.concurrent.uploads",
                    8,
                    1,
                    4096,
                    "uploads in progress at once; more get 503 with `Retry-After` at once");
    private static final Setting<Integer> MAX_BATCH_ITEMS =
            DEF.integer(
                    "http.max.batch.items",
                    1000,
                    1,
                    1_000_000,
                    "items per batch upload; more get 413");
    private static final Setting<Long> IMAGE_MAX_BYTES =
            DEF.size("image.max.bytes", 8L << 20, 1, 1L << 30, "largest encoded image");
    private static final Setting<Long> IMAGE_MAX_PIXELS =
            DEF.count(
                    "image.max.pixels",
                    40_000_000L,
                    1,
                    1L << 40,
                    "largest image, checked from the header before decoding");
    private static final Setting<List<String>> IMAGE_FORMATS =
            DEF.list(
                    "image.formats",
                    "jpeg,png,webp",
                    "accepted formats; also `gif`, `bmp`, `tiff`");
    private static final Setting<ImageCheck> IMAGE_CHECK =
            DEF.choice(
                    "image.check",
                    ImageCheck.HEADER,
                    "`header`: limits + completeness, no pixel decode; `decode`: also decode every"
                            + " image");
    private static final Setting<ClassPolicy> CLASS_POLICY =
            DEF.choice(
                    "label.classes.policy",
                    ClassPolicy.AUTO_REGISTER,
                    "`known_only`: only the classes in `model.<model>.classes`");
    private static final Setting<Integer> MAX_CLASSES =
            DEF.integer(
                    "label.classes.max", 1000, 1, 100_000, "per model, under auto-registration");
    private static final Setting<Void> KNOWN_CLASSES =
            DEF.family(
                    "model.<model>.classes", "list", "the classes a model knows (comma-separated)");
    private static final Setting<Integer> MAX_OBJECTS =
            DEF.integer("label.max.objects", 1000, 1, 1_000_000, "boxes or polygons per image");
    private static final Setting<Boolean> INTAKE_ENABLED =
            DEF.bool("intake.enabled", true, "consume the Kafka intake topic");
    private static final Setting<String> INTAKE_GROUP =
            DEF.string(
                    "intake.group.id", "streamtune-ingest-intake", "consumer group of the intake");
    private static final Setting<Integer> INTAKE_THREADS =
            DEF.integer("intake.threads", 2, 1, 64, "validation threads of the intake");
    private static final Setting<Integer> INTAKE_MAX_POLL =
            DEF.integer("intake.max.poll.records", 200, 1, 10_000, "records per intake poll");
    private static final Setting<Integer> TRIGGER_THRESHOLD =
            DEF.integer(
                    "trigger.threshold",
                    100,
                    1,
                    Integer.MAX_VALUE,
                    "new samples that trigger a run");
    private static final Setting<Duration> TRIGGER_INTERVAL =
            DEF.duration(
                    "trigger.interval",
                    Duration.ofHours(1),
                    "max age of the oldest untrained sample before a run");
    private static final Setting<Duration> TRIGGER_CHECK =
            DEF.duration(
                    "trigger.check.interval",
                    Duration.ofSeconds(10),
                    "how often the interval is checked (wall-clock punctuation)");
    private static final Setting<Integer> DRIFT_WINDOWS =
            DEF.integer(
                    "trigger.drift.windows",
                    Drift.Settings.DEFAULTS.windows(),
                    1,
                    10_000,
                    "drifted windows in a row that, with enough new labels, trigger a `DRIFT`"
                            + " retrain");
    private static final Setting<Integer> DRIFT_MIN_LABELS =
            DEF.integer(
                    "trigger.drift.min.labels",
                    Drift.Settings.DEFAULTS.minLabels(),
                    0,
                    Integer.MAX_VALUE,
                    "new labels a `DRIFT` retrain needs");
    private static final Setting<Duration> DRIFT_WINDOW =
            DEF.duration(
                    "drift.window",
                    Drift.Settings.DEFAULTS.window(),
                    "drift windows, in record time");
    private static final Setting<Integer> DRIFT_MIN_FRAMES =
            DEF.integer(
                    "drift.window.min.frames",
                    Drift.Settings.DEFAULTS.minFrames(),
                    1,
                    Integer.MAX_VALUE,
                    "the fewest predictions a window is judged on");
    private static final Setting<Double> DRIFT_ALPHA =
            DEF.decimal(
                    "drift.alpha",
                    Drift.Settings.DEFAULTS.alpha(),
                    1e-9,
                    0.49,
                    "false-alarm rate per statistic and window");
    private static final Setting<Boolean> STREAMS_ENABLED =
            DEF.bool(
                    "streams.enabled",
                    true,
                    "run the Kafka Streams trigger, stats and drift topology");
    private static final Setting<String> STREAMS_APP_ID =
            DEF.string(
                    "streams.application.id",
                    "streamtune-ingest-trigger",
                    "prefixed with `topic.prefix`");
    private static final Setting<Path> STREAMS_STATE_DIR =
            DEF.path(
                    "streams.state.dir",
                    Path.of(System.getProperty("user.home"), ".streamtune", "ingest", "streams"),
                    "~/.streamtune/ingest/streams",
                    "Kafka Streams state; never `/tmp` by default");
    private static final Setting<String> STREAMS_GUARANTEE =
            DEF.oneOf(
                    "streams.processing.guarantee",
                    "exactly_once_v2",
                    List.of("exactly_once_v2", "at_least_once"),
                    "trigger ids stay stable under either");
    private static final Setting<Duration> STREAMS_COMMIT =
            DEF.duration(
                    "streams.commit.interval",
                    Duration.ofSeconds(1),
                    "Kafka Streams commit interval");
    private static final Setting<Duration> STREAMS_STATS_REFRESH =
            DEF.duration(
                    "streams.stats.refresh",
                    Duration.ofSeconds(5),
                    "how often dataset gauges refresh");

    /**
     * Image limits and label policy; each field is the key of the same name in {@link #DEF} ({@code
     * image.*}, {@code label.*}, {@code model.<model>.classes}).
     */
    public record Validation(
            ImageLimits limits,
            ImageCheck check,
            ClassPolicy classPolicy,
            int maxClasses,
            Map<String, List<String>> knownClasses,
            int maxObjects) {}

    /** The upload API: the {@code http.*} keys of {@link #DEF}; the token is never printed. */
    public record Http(
            boolean authEnabled,
            String token,
            long maxRequestBytes,
            int apiPort,
            int apiThreads,
            int maxConcurrentUploads,
            int maxBatchItems) {
        @Override
        public String toString() {
            return "Http[authEnabled="
                    + authEnabled
                    + ", token=***, maxRequestBytes="
                    + maxRequestBytes
                    + ", apiPort="
                    + apiPort
                    + ", apiThreads="
                    + apiThreads
                    + "]";
        }
    }

    /** The Kafka intake consumer: the {@code intake.*} keys of {@link #DEF}. */
    public record Intake(boolean enabled, String groupId, int threads, int maxPollRecords) {}

    /**
     * The Kafka Streams trigger, stats and drift application: the {@code streams.*} keys of {@link
     * #DEF}.
     */
    public record Streams(
            boolean enabled,
            String applicationId,
            Path stateDir,
            String processingGuarantee,
            Duration commitInterval,
            Duration statsRefresh) {}

    /** Reads and checks the configuration. */
    public static IngestConfig from(ConfigSource config) {
        ServiceConfig service = ServiceConfig.from(config, "ingest", DEFAULT_HTTP_PORT);
        return new IngestConfig(
                service,
                validation(config),
                http(config),
                intake(config),
                trigger(config),
                streams(config));
    }

    private static Validation validation(ConfigSource config) {
        Set<ImageFormat> formats = EnumSet.noneOf(ImageFormat.class);
        for (String f : IMAGE_FORMATS.get(config)) {
            String name = f.strip().toUpperCase(Locale.ROOT);
            if (name.equals("JPG")) {
                name = "JPEG";
            }
            try {
                formats.add(ImageFormat.valueOf(name));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(
                        IMAGE_FORMATS.name(),
                        "unknown format '"
                                + f.strip()
                                + "', known: "
                                + Arrays.toString(ImageFormat.values()).toLowerCase(Locale.ROOT));
            }
        }
        Map<String, List<String>> known = new TreeMap<>();
        config.family("model.", ".classes")
                .forEach(
                        (model, v) ->
                                known.put(
                                        model,
                                        Arrays.stream(v.split(","))
                                                .map(String::strip)
                                                .filter(s -> !s.isEmpty())
                                                .toList()));
        return new Validation(
                new ImageLimits(IMAGE_MAX_BYTES.get(config), IMAGE_MAX_PIXELS.get(config), formats),
                IMAGE_CHECK.get(config),
                CLASS_POLICY.get(config),
                MAX_CLASSES.get(config),
                known,
                MAX_OBJECTS.get(config));
    }

    private static Http http(ConfigSource config) {
        boolean auth = AUTH_ENABLED.get(config);
        String token = AUTH_TOKEN.get(config);
        if (auth && token == null) {
            throw new ConfigException(
                    AUTH_TOKEN.name(),
                    "is required while http.auth.enabled=true (set http.auth.enabled=false only for a local demo)");
        }
        if (auth) {
            // the shipped Kubernetes secret holds CHANGE-ME: refuse to guard the API with it
            token = io.streamtune.runtime.Secrets.requireStrong(AUTH_TOKEN.name(), token, 16);
        }
        return new Http(
                auth,
                token,
                MAX_REQUEST_BYTES.get(config),
                API_PORT.get(config),
                API_THREADS.get(config),
                MAX_CONCURRENT_UPLOADS.get(config),
                MAX_BATCH_ITEMS.get(config));
    }

    private static Intake intake(ConfigSource config) {
        return new Intake(
                INTAKE_ENABLED.get(config),
                INTAKE_GROUP.get(config),
                INTAKE_THREADS.get(config),
                INTAKE_MAX_POLL.get(config));
    }

    private static TriggerPolicy trigger(ConfigSource config) {
        Drift.Settings drift =
                new Drift.Settings(
                        DRIFT_WINDOW.get(config),
                        DRIFT_MIN_FRAMES.get(config),
                        DRIFT_ALPHA.get(config),
                        DRIFT_WINDOWS.get(config),
                        DRIFT_MIN_LABELS.get(config));
        return new TriggerPolicy(
                TRIGGER_THRESHOLD.get(config),
                TRIGGER_INTERVAL.get(config),
                TRIGGER_CHECK.get(config),
                drift);
    }

    private static Streams streams(ConfigSource config) {
        return new Streams(
                STREAMS_ENABLED.get(config),
                STREAMS_APP_ID.get(config),
                STREAMS_STATE_DIR.get(config),
                STREAMS_GUARANTEE.get(config),
                STREAMS_COMMIT.get(config),
                STREAMS_STATS_REFRESH.get(config));
    }
}
