package io.streamtune.ingest;

import io.streamtune.ingest.trigger.Drift;
import io.streamtune.ingest.trigger.TriggerPolicy;
import io.streamtune.ingest.validate.ClassPolicy;
import io.streamtune.ingest.validate.ImageCheck;
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
                    "drift.");

    /** Default HTTP port of the ingest service. */
    public static final int DEFAULT_HTTP_PORT = 8081;

    /**
     * @param limits {@code image.max.bytes} (default 8 MiB), {@code image.max.pixels} (default 40
     *     M), {@code image.formats} (default {@code jpeg,png})
     * @param check {@code image.check}: {@code header} (default) or {@code decode}
     * @param classPolicy {@code label.classes.policy}: {@code auto_register} (default) or {@code
     *     known_only}
     * @param maxClasses {@code label.classes.max}: classes per model under auto-registration
     *     (default 1000)
     * @param knownClasses {@code model.<model>.classes}: comma-separated class names per model
     * @param maxObjects {@code label.max.objects}: boxes per image (default 1000)
     */
    public record Validation(
            ImageLimits limits,
            ImageCheck check,
            ClassPolicy classPolicy,
            int maxClasses,
            Map<String, List<String>> knownClasses,
            int maxObjects) {}

    /**
     * @param authEnabled {@code http.auth.enabled} (default true)
     * @param token {@code http.auth.token}: required bearer token when auth is on
     * @param maxRequestBytes {@code http.max.request.bytes} (default 64 MiB): larger requests get
     *     413
     * @param apiPort {@code http.api.port}: -1 (default) serves {@code /v1} on the service port
     *     next to health and metrics; otherwise a server of its own on this port (0 = any free
     *     port)
     * @param apiThreads {@code http.api.threads} (default 16): handler threads of that server
     */
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

    /**
     * @param enabled {@code intake.enabled} (default true)
     * @param groupId {@code intake.group.id} (default {@code streamtune-ingest-intake})
     * @param threads {@code intake.threads}: validation threads (default 2)
     * @param maxPollRecords {@code intake.max.poll.records} (default 200)
     */
    public record Intake(boolean enabled, String groupId, int threads, int maxPollRecords) {}

    /**
     * @param enabled {@code streams.enabled} (default true)
     * @param applicationId {@code streams.application.id} (default {@code
     *     streamtune-ingest-trigger})
     * @param stateDir {@code streams.state.dir} (default {@code ~/.streamtune/ingest/streams},
     *     never /tmp)
     * @param processingGuarantee {@code streams.processing.guarantee} (default {@code
     *     exactly_once_v2})
     * @param commitInterval {@code streams.commit.interval} (default 1s)
     * @param statsRefresh {@code streams.stats.refresh}: how often dataset gauges are refreshed
     *     (default 5s)
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
        long maxBytes = config.size("image.max.bytes", 8L << 20, 1, 1L << 30);
        long maxPixels = config.size("image.max.pixels", 40_000_000L, 1, 1L << 40);
        Set<ImageFormat> formats = EnumSet.noneOf(ImageFormat.class);
        for (String f : config.string("image.formats", "jpeg,png").split(",")) {
            String name = f.strip().toUpperCase(Locale.ROOT);
            if (name.equals("JPG")) {
                name = "JPEG";
            }
            try {
                formats.add(ImageFormat.valueOf(name));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(
                        "image.formats",
                        "unknown format '"
                                + f.strip()
                                + "', known: "
                                + Arrays.toString(ImageFormat.values()).toLowerCase(Locale.ROOT));
            }
        }
        Map<String, List<String>> known = new TreeMap<>();
        config.withPrefix("model.")
                .forEach(
                        (k, v) -> {
                            if (k.endsWith(".classes")) {
                                String model = k.substring(0, k.length() - ".classes".length());
                                known.put(
                                        model,
                                        Arrays.stream(v.split(","))
                                                .map(String::strip)
                                                .filter(s -> !s.isEmpty())
                                                .toList());
                            }
                        });
        return new Validation(
                new ImageLimits(maxBytes, maxPixels, formats),
                config.choice("image.check", ImageCheck.HEADER),
                config.choice("label.classes.policy", ClassPolicy.AUTO_REGISTER),
                config.integer("label.classes.max", 1000, 1, 100_000),
                known,
                config.integer("label.max.objects", 1000, 1, 1_000_000));
    }

    private static Http http(ConfigSource config) {
        boolean auth = config.bool("http.auth.enabled", true);
        String token = config.string("http.auth.token", null);
        if (auth && token == null) {
            throw new ConfigException(
                    "http.auth.token",
                    "is required while http.auth.enabled=true (set http.auth.enabled=false only for a local demo)");
        }
        if (auth) {
            // the shipped Kubernetes secret holds CHANGE-ME: refuse to guard the API with it
            token = io.streamtune.runtime.Secrets.requireStrong("http.auth.token", token, 16);
        }
        return new Http(
                auth,
                token,
                config.size("http.max.request.bytes", 64L << 20, 1024, 1L << 30),
                config.integer("http.api.port", -1, -1, 65535),
                config.integer("http.api.threads", 16, 1, 512),
                config.integer("http.max.concurrent.uploads", 8, 1, 4096),
                config.integer("http.max.batch.items", 1000, 1, 1_000_000));
    }

    private static Intake intake(ConfigSource config) {
        return new Intake(
                config.bool("intake.enabled", true),
                config.string("intake.group.id", "streamtune-ingest-intake"),
                config.integer("intake.threads", 2, 1, 64),
                config.integer("intake.max.poll.records", 200, 1, 10_000));
    }

    private static TriggerPolicy trigger(ConfigSource config) {
        Duration interval = config.duration("trigger.interval", Duration.ofHours(1));
        Duration check = config.duration("trigger.check.interval", Duration.ofSeconds(10));
        if (interval.isZero() || interval.isNegative()) {
            throw new ConfigException("trigger.interval", "must be positive");
        }
        if (check.isZero() || check.isNegative()) {
            throw new ConfigException("trigger.check.interval", "must be positive");
        }
        Duration window = config.duration("drift.window", Drift.Settings.DEFAULTS.window());
        if (window.isNegative() || window.isZero()) {
            throw new ConfigException("drift.window", "must be positive");
        }
        Drift.Settings drift =
                new Drift.Settings(
                        window,
                        config.integer(
                                "drift.window.min.frames",
                                Drift.Settings.DEFAULTS.minFrames(),
                                1,
                                Integer.MAX_VALUE),
                        config.decimal("drift.alpha", Drift.Settings.DEFAULTS.alpha(), 1e-9, 0.49),
                        config.integer(
                                "trigger.drift.windows",
                                Drift.Settings.DEFAULTS.windows(),
                                1,
                                10_000),
                        config.integer(
                                "trigger.drift.min.labels",
                                Drift.Settings.DEFAULTS.minLabels(),
                                0,
                                Integer.MAX_VALUE));
        return new TriggerPolicy(
                config.integer("trigger.threshold", 100, 1, Integer.MAX_VALUE),
                interval,
                check,
                drift);
    }

    private static Streams streams(ConfigSource config) {
        String guarantee = config.string("streams.processing.guarantee", "exactly_once_v2");
        if (!guarantee.equals("exactly_once_v2") && !guarantee.equals("at_least_once")) {
            throw new ConfigException(
                    "streams.processing.guarantee",
                    "must be exactly_once_v2 or at_least_once, was '" + guarantee + "'");
        }
        return new Streams(
                config.bool("streams.enabled", true),
                config.string("streams.application.id", "streamtune-ingest-trigger"),
                config.path(
                        "streams.state.dir",
                        Path.of(
                                System.getProperty("user.home"),
                                ".streamtune",
                                "ingest",
                                "streams")),
                guarantee,
                config.duration("streams.commit.interval", Duration.ofSeconds(1)),
                config.duration("streams.stats.refresh", Duration.ofSeconds(5)));
    }
}
