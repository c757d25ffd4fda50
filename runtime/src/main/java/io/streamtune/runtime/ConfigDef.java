package io.streamtune.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;

/**
 * The configuration keys of one part of the system, each declared once — name, type, default,
 * validator, documentation, secret or not — in the shape of Kafka's {@code ConfigDef}. A declared
 * {@link Setting} reads itself from a {@link ConfigSource} (which checks it and records it as
 * known, so a mistyped key is warned about), and the declaration renders the README's table of keys
 * ({@link #markdown()}), which a test keeps identical to the README ({@link #check}).
 */
public final class ConfigDef {

    /** One declared key. */
    public static final class Setting<T> {
        private final String name;
        private final String type;
        private String defaultText;
        private final String doc;
        private final boolean secret;
        private final T defaultValue;
        private final BiFunction<ConfigSource, T, T> reader;

        private Setting(
                String name,
                String type,
                String defaultText,
                String doc,
                boolean secret,
                T defaultValue,
                BiFunction<ConfigSource, T, T> reader) {
            this.name = name;
            this.type = type;
            this.defaultText = defaultText;
            this.doc = doc;
            this.secret = secret;
            this.defaultValue = defaultValue;
            this.reader = reader;
        }

        /** The value in {@code config}, checked, or the declared default. */
        public T get(ConfigSource config) {
            return reader.apply(config, defaultValue);
        }

        /**
         * The value in {@code config}, checked, or {@code defaultValue}: for a key whose default
         * depends on the service (see {@link #shownAs}).
         */
        public T get(ConfigSource config, T defaultValue) {
            return reader.apply(config, defaultValue);
        }

        /**
         * The value in {@code config}, checked, or empty when the key is not set: for a key whose
         * absence means "leave it to something else" (a model's metadata, say).
         */
        public java.util.Optional<T> ifSet(ConfigSource config) {
            return config.string(name, null) == null
                    ? java.util.Optional.empty()
                    : java.util.Optional.ofNullable(reader.apply(config, defaultValue));
        }

        /** Shows the default as {@code text} (a default the service computes); at declaration. */
        public Setting<T> shownAs(String text) {
            this.defaultText = text;
            return this;
        }

        public String name() {
            return name;
        }

        /** What kind of value it takes, as the README shows it (e.g. {@code int 1..512}). */
        public String type() {
            return type;
        }

        /** The default as the README shows it; empty when there is none. */
        public String defaultText() {
            return defaultText;
        }

        public String doc() {
            return doc;
        }

        /** Whether the value is a secret (never logged or shown). */
        public boolean secret() {
            return secret;
        }
    }

    private final String title;
    private final List<Setting<?>> settings = new ArrayList<>();

    /**
     * @param title what these keys configure (the README section names it)
     */
    public ConfigDef(String title) {
        this.title = title;
    }

    public String title() {
        return title;
    }

    /** Every declared key, in declaration order. */
    public List<Setting<?>> settings() {
        return Collections.unmodifiableList(settings);
    }

    /** Every declared key name (for unknown-key warnings and tests). */
    public List<String> names() {
        return settings.stream().map(Setting::name).toList();
    }

    /**
     * The declared keys {@code config} has not read, families (read by prefix) left out: after a
     * service read its configuration, a key here is declared but never used.
     */
    public List<String> notReadBy(ConfigSource config) {
        return names().stream()
                .filter(n -> !n.contains("<") && !n.endsWith("*"))
                .filter(n -> !config.wasRead(n))
                .toList();
    }

    /**
     * The declared keys (families left out) under none of {@code owned}: a mistyped one of them
     * would not be warned about.
     */
    public List<String> outside(List<String> owned) {
        return names().stream()
                .filter(n -> !n.contains("<") && !n.endsWith("*"))
                .filter(n -> owned.stream().noneMatch(n::startsWith))
                .toList();
    }

    private <T> Setting<T> add(Setting<T> s) {
        if (settings.stream().anyMatch(o -> o.name().equals(s.name()))) {
            throw new IllegalStateException(s.name() + " is declared twice in " + title);
        }
        settings.add(s);
        return s;
    }

    public Setting<String> string(String name, String defaultValue, String doc) {
        return add(
                new Setting<>(
                        name,
                        "string",
                        defaultValue == null || defaultValue.isEmpty() ? "" : defaultValue,
                        doc,
                        false,
                        defaultValue,
                        (c, d) -> c.string(name, d)));
    }

    /** A string that must be one of {@code allowed}. */
    public Setting<String> oneOf(
            String name, String defaultValue, List<String> allowed, String doc) {
        return add(
                new Setting<>(
                        name,
                        String.join(" \\| ", allowed),
                        defaultValue,
                        doc,
                        false,
                        defaultValue,
                        (c, d) -> {
                            String v = c.string(name, d);
                            if (!allowed.contains(v)) {
                                throw new ConfigException(
                                        name,
                                        "must be one of "
                                                + String.join(", ", allowed)
                                                + ", was '"
                                                + v
                                                + "'");
                            }
                            return v;
                        }));
    }

    /** A comma-separated list, items stripped, empty items dropped. */
    public Setting<List<String>> list(String name, String defaultValue, String doc) {
        return add(
                new Setting<>(
                        name,
                        "list",
                        defaultValue,
                        doc,
                        false,
                        List.of(defaultValue.split(",")),
                        (c, d) -> {
                            String v = c.string(name, null);
                            if (v == null) {
                                return d;
                            }
                            return java.util.Arrays.stream(v.split(","))
                                    .map(String::strip)
                                    .filter(x -> !x.isEmpty())
                                    .toList();
                        }));
    }

    /** A secret string: shown as such, never with a default. */
    public Setting<String> secret(String name, String doc) {
        return add(
                new Setting<String>(
                        name, "secret", "", doc, true, null, (c, d) -> c.string(name, d)));
    }

    public Setting<Integer> integer(String name, int defaultValue, int min, int max, String doc) {
        return add(
                new Setting<>(
                        name,
                        "int " + range(min, max),
                        Integer.toString(defaultValue),
                        doc,
                        false,
                        defaultValue,
                        (c, d) -> c.integer(name, d, min, max)));
    }

    /** A byte size: {@code 8MiB} or a number of bytes. */
    public Setting<Long> size(String name, long defaultValue, long min, long max, String doc) {
        return add(
                new Setting<>(
                        name,
                        "size " + sizeText(min) + ".." + sizeText(max),
                        sizeText(defaultValue),
                        doc,
                        false,
                        defaultValue,
                        (c, d) -> c.size(name, d, min, max)));
    }

    /** A count that may be large (no size suffixes shown). */
    public Setting<Long> count(String name, long defaultValue, long min, long max, String doc) {
        return add(
                new Setting<>(
                        name,
                        "int " + min + ".." + max,
                        Long.toString(defaultValue),
                        doc,
                        false,
                        defaultValue,
                        (c, d) -> c.size(name, d, min, max)));
    }

    public Setting<Double> decimal(
            String name, double defaultValue, double min, double max, String doc) {
        return add(
                new Setting<>(
                        name,
                        "number " + trim(min) + ".." + trim(max),
                        trim(defaultValue),
                        doc,
                        false,
                        defaultValue,
                        (c, d) -> c.decimal(name, d, min, max)));
    }

    public Setting<Boolean> bool(String name, boolean defaultValue, String doc) {
        return add(
                new Setting<>(
                        name,
                        "boolean",
                        Boolean.toString(defaultValue),
                        doc,
                        false,
                        defaultValue,
                        (c, d) -> c.bool(name, d)));
    }

    /** A positive duration ({@code 30s}, {@code 5m}, {@code 500ms}, {@code PT1H}). */
    public Setting<Duration> duration(String name, Duration defaultValue, String doc) {
        return duration(name, defaultValue, false, doc);
    }

    /** A duration that may be zero, which turns off what it paces ({@code 0s}). */
    public Setting<Duration> durationOrZero(String name, Duration defaultValue, String doc) {
        return duration(name, defaultValue, true, doc);
    }

    private Setting<Duration> duration(
            String name, Duration defaultValue, boolean zero, String doc) {
        return add(
                new Setting<>(
                        name,
                        "duration",
                        durationText(defaultValue),
                        doc,
                        false,
                        defaultValue,
                        (c, dflt) -> {
                            Duration d = c.duration(name, dflt);
                            if (d.isNegative() || (d.isZero() && !zero)) {
                                throw new ConfigException(
                                        name,
                                        (zero ? "must not be negative" : "must be positive")
                                                + ", was "
                                                + d);
                            }
                            return d;
                        }));
    }

    /**
     * A path whose default depends on where the service runs.
     *
     * @param defaultText the default as the README shows it ({@code ~/.streamtune/ingest/streams})
     */
    public Setting<Path> path(String name, Path defaultValue, String defaultText, String doc) {
        return add(
                new Setting<>(
                        name,
                        "path",
                        defaultText,
                        doc,
                        false,
                        defaultValue,
                        (c, d) -> c.path(name, d)));
    }

    /** One of an enum's values, written lower case with hyphens or underscores. */
    public <E extends Enum<E>> Setting<E> choice(String name, E defaultValue, String doc) {
        List<String> names = new ArrayList<>();
        for (E e : defaultValue.getDeclaringClass().getEnumConstants()) {
            names.add(e.name().toLowerCase(Locale.ROOT));
        }
        return add(
                new Setting<>(
                        name,
                        String.join(" \\| ", names),
                        defaultValue.name().toLowerCase(Locale.ROOT),
                        doc,
                        false,
                        defaultValue,
                        (c, d) -> c.choice(name, d)));
    }

    /**
     * A family of keys under a pattern ({@code model.<model>.classes}), read by prefix where the
     * service lists them; declared for the README and for unknown-key checks.
     */
    public Setting<Void> family(String pattern, String type, String doc) {
        return add(new Setting<Void>(pattern, type, "", doc, false, null, (c, d) -> null));
    }

    /** The README table of these keys: key, type, default, meaning. */
    public String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("| key | type | default | meaning |\n|---|---|---|---|\n");
        for (Setting<?> s : settings) {
            out.append("| `")
                    .append(s.name())
                    .append("` | ")
                    .append(s.type())
                    .append(" | ")
                    .append(s.defaultText().isEmpty() ? "—" : "`" + s.defaultText() + "`")
                    .append(" | ")
                    .append(s.doc())
                    .append(" |\n");
        }
        return out.toString();
    }

    /** The begin marker of this declaration's table in a README. */
    public String beginMarker() {
        return "<!-- config:" + title + " (generated from the declaration; do not edit) -->";
    }

    /** The end marker of this declaration's table in a README. */
    public String endMarker() {
        return "<!-- /config:" + title + " -->";
    }

    /**
     * Compares the table between this declaration's markers in {@code readme} with {@link
     * #markdown()}; with {@code write}, rewrites it instead.
     *
     * @return empty when they agree (or were rewritten), else what differs, in one line
     */
    public String check(Path readme, boolean write) throws IOException {
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        int begin = text.indexOf(beginMarker());
        int end = text.indexOf(endMarker());
        if (begin < 0 || end < begin) {
            return readme + " has no " + beginMarker() + " … " + endMarker() + " section";
        }
        int from = begin + beginMarker().length() + 1;
        String current = text.substring(from, end);
        String expected = markdown();
        if (current.equals(expected)) {
            return "";
        }
        if (write) {
            Files.writeString(
                    readme,
                    text.substring(0, from) + expected + text.substring(end),
                    StandardCharsets.UTF_8);
            return "";
        }
        List<String> have = current.lines().toList();
        List<String> want = expected.lines().toList();
        for (int i = 0; i < Math.max(have.size(), want.size()); i++) {
            String h = i < have.size() ? have.get(i) : "(nothing)";
            String w = i < want.size() ? want.get(i) : "(nothing)";
            if (!h.equals(w)) {
                return readme
                        + " differs from the "
                        + title
                        + " declaration at table line "
                        + (i + 1)
                        + ": README has '"
                        + h
                        + "', the declaration makes '"
                        + w
                        + "' (rerun the test with -Dconfig.docs.write=true to rewrite it)";
            }
        }
        return readme + " differs from the " + title + " declaration";
    }

    /**
     * Whether tests should rewrite README tables instead of failing ({@code config.docs.write}).
     */
    public static boolean writeRequested() {
        return Boolean.getBoolean("config.docs.write");
    }

    private static String range(long min, long max) {
        return (min == Integer.MIN_VALUE ? "" : Long.toString(min))
                + ".."
                + (max == Integer.MAX_VALUE ? "" : Long.toString(max));
    }

    private static String trim(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return Double.toString(d).replace("E", "e");
    }

    static String sizeText(long bytes) {
        if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + "GiB";
        }
        if (bytes >= 1L << 20 && bytes % (1L << 20) == 0) {
            return (bytes >> 20) + "MiB";
        }
        if (bytes >= 1L << 10 && bytes % (1L << 10) == 0) {
            return (bytes >> 10) + "KiB";
        }
        return Long.toString(bytes);
    }

    static String durationText(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0 && ms > 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms > 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0 && ms > 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
