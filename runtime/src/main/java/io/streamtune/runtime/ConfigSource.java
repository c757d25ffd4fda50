package io.streamtune.runtime;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Raw configuration values by dotted key, read from (lowest to highest precedence) defaults in
 * code, a properties file, environment variables ({@code STREAMTUNE_HTTP_PORT} for {@code
 * http.port}) and explicit overrides. Typed getters fail with a {@link ConfigException} naming the
 * key.
 */
public final class ConfigSource {

    private static final String ENV_PREFIX = "STREAMTUNE_";

    private final Map<String, String> values;

    /** Keys and prefixes read so far, shared by every source derived with {@link #with}. */
    private final Set<String> read;

    private final Set<String> prefixesRead;

    private ConfigSource(Map<String, String> values) {
        this(values, ConcurrentHashMap.newKeySet(), ConcurrentHashMap.newKeySet());
    }

    private ConfigSource(Map<String, String> values, Set<String> read, Set<String> prefixesRead) {
        this.values = Map.copyOf(values);
        this.read = read;
        this.prefixesRead = prefixesRead;
    }

    /** Values from the process environment and the given overrides (which win). */
    public static ConfigSource fromEnvironment(
            Map<String, String> env, Map<String, String> overrides) {
        Map<String, String> merged = new TreeMap<>();
        String file = overrides.getOrDefault("config.file", env.get(ENV_PREFIX + "CONFIG_FILE"));
        if (file != null && !file.isBlank()) {
            merged.putAll(readProperties(Path.of(file)));
        }
        env.forEach(
                (k, v) -> {
                    if (k.startsWith(ENV_PREFIX) && !k.equals(ENV_PREFIX + "CONFIG_FILE")) {
                        merged.put(keyFromEnv(k.substring(ENV_PREFIX.length())), v);
                    }
                });
        merged.putAll(overrides);
        return new ConfigSource(merged);
    }

    /**
     * Values for a service {@code main}: the environment plus {@code --key=value} arguments (which
     * win). Anything else on the command line is an error naming the argument.
     */
    public static ConfigSource fromMainArgs(String[] args) {
        return fromEnvironment(System.getenv(), parseArgs(args));
    }

    /** {@code --key=value} arguments as a map; anything else is an error naming the argument. */
    public static Map<String, String> parseArgs(String[] args) {
        Map<String, String> values = new TreeMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 3) {
                throw new IllegalArgumentException(
                        "unexpected argument '"
                                + arg
                                + "': use --key=value, e.g. --http.port=8081");
            }
            values.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        return values;
    }

    /** Values from a map only (tests, embedded use). */
    public static ConfigSource of(Map<String, String> values) {
        return new ConfigSource(values);
    }

    /** The same values with some replaced. */
    public ConfigSource with(Map<String, String> overrides) {
        Map<String, String> merged = new TreeMap<>(values);
        merged.putAll(overrides);
        return new ConfigSource(merged, read, prefixesRead);
    }

    /**
     * Keys set here that start with one of {@code owned} but that nothing has read (by its key or
     * by a prefix): mistyped or unknown settings, silently without effect otherwise. Call once the
     * services that own those prefixes have read their configuration.
     */
    public List<String> unknownKeys(List<String> owned) {
        List<String> out = new ArrayList<>();
        for (String k : values.keySet()) {
            if (owned.stream().anyMatch(k::startsWith)
                    && !read.contains(k)
                    && prefixesRead.stream().noneMatch(k::startsWith)) {
                out.add(k);
            }
        }
        return out;
    }

    /** The read key closest to {@code key} by edit distance (at most a third of it), or null. */
    public String closestKnown(String key) {
        org.apache.commons.text.similarity.LevenshteinDistance distance =
                new org.apache.commons.text.similarity.LevenshteinDistance(
                        Math.max(2, key.length() / 3));
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : new java.util.TreeSet<>(read)) {
            int d = distance.apply(key, k);
            if (d >= 0 && d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best;
    }

    /**
     * Logs one WARN line per {@link #unknownKeys unknown key}, naming the closest known one;
     * returns how many there were.
     */
    public int warnUnknown(org.slf4j.Logger log, List<String> owned) {
        List<String> unknown = unknownKeys(owned);
        for (String k : unknown) {
            String near = closestKnown(k);
            log.warn(
                    "unknown setting '{}' ({}) is ignored{}",
                    k,
                    envName(k),
                    near == null ? "" : "; did you mean '" + near + "'?");
        }
        return unknown.size();
    }

    /** All raw values. */
    public Map<String, String> asMap() {
        return values;
    }

    /**
     * Env variable name for a key: {@code kafka.security.protocol} → {@code
     * STREAMTUNE_KAFKA_SECURITY_PROTOCOL}.
     */
    public static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static String keyFromEnv(String env) {
        // Double underscore keeps a literal underscore: KAFKA_SASL__JAAS... is rare, dots are the
        // norm.
        return env.toLowerCase(Locale.ROOT)
                .replace("__", "\u0000")
                .replace('_', '.')
                .replace('\u0000', '_');
    }

    private static Map<String, String> readProperties(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read config file " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> out = new TreeMap<>();
        p.forEach((k, v) -> out.put(k.toString(), v.toString()));
        return out;
    }

    /** A string, or the default when absent or blank. */
    public String string(String key, String defaultValue) {
        read.add(key);
        String v = values.get(key);
        return v == null || v.isBlank() ? defaultValue : v.strip();
    }

    /** A required string. */
    public String required(String key) {
        String v = string(key, null);
        if (v == null) {
            throw new ConfigException(key, "is required");
        }
        return v;
    }

    /** An integer within [min, max]. */
    public int integer(String key, int defaultValue, int min, int max) {
        String v = string(key, null);
        if (v == null) {
            return defaultValue;
        }
        try {
            int i = Integer.parseInt(v);
            if (i < min || i > max) {
                throw new ConfigException(key, "must be in " + min + ".." + max + ", was " + i);
            }
            return i;
        } catch (NumberFormatException e) {
            throw new ConfigException(
                    key, "must be an integer in " + min + ".." + max + ", was '" + v + "'");
        }
    }

    /** A long within [min, max]; accepts size suffixes KiB/MiB/GiB. */
    public long size(String key, long defaultValue, long min, long max) {
        String v = string(key, null);
        if (v == null) {
            return defaultValue;
        }
        String s = v.replace(" ", "");
        long mult = 1;
        for (var suffix : Map.of("KiB", 1L << 10, "MiB", 1L << 20, "GiB", 1L << 30).entrySet()) {
            if (s.endsWith(suffix.getKey())) {
                mult = suffix.getValue();
                s = s.substring(0, s.length() - suffix.getKey().length());
            }
        }
        try {
            long l = Math.multiplyExact(Long.parseLong(s), mult);
            if (l < min || l > max) {
                throw new ConfigException(key, "must be in " + min + ".." + max + ", was " + l);
            }
            return l;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new ConfigException(key, "must be a size like 8MiB or 1048576, was '" + v + "'");
        }
    }

    /** A double within [min, max]. */
    public double decimal(String key, double defaultValue, double min, double max) {
        String v = string(key, null);
        if (v == null) {
            return defaultValue;
        }
        try {
            double d = Double.parseDouble(v);
            if (!(d >= min && d <= max)) {
                throw new ConfigException(key, "must be in " + min + ".." + max + ", was " + d);
            }
            return d;
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "must be a number, was '" + v + "'");
        }
    }

    /** A boolean: true/false/yes/no/1/0. */
    public boolean bool(String key, boolean defaultValue) {
        String v = string(key, null);
        if (v == null) {
            return defaultValue;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new ConfigException(key, "must be true or false, was '" + v + "'");
        };
    }

    /** A duration: ISO-8601 ({@code PT30S}) or a number with ms/s/m/h suffix. */
    public Duration duration(String key, Duration defaultValue) {
        String v = string(key, null);
        if (v == null) {
            return defaultValue;
        }
        try {
            if (v.startsWith("P") || v.startsWith("p")) {
                return Duration.parse(v);
            }
            var m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)").matcher(v);
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                };
            }
        } catch (DateTimeParseException | NumberFormatException e) {
            // fall through to the error below
        }
        throw new ConfigException(
                key, "must be a duration like 30s, 5m, 500ms or PT1H, was '" + v + "'");
    }

    /** A path. */
    public Path path(String key, Path defaultValue) {
        String v = string(key, null);
        return v == null ? defaultValue : Path.of(v);
    }

    /** A value from a fixed set, case-insensitive. */
    public <E extends Enum<E>> E choice(String key, E defaultValue) {
        String v = string(key, null);
        if (v == null) {
            return defaultValue;
        }
        for (E e : defaultValue.getDeclaringClass().getEnumConstants()) {
            if (e.name().equalsIgnoreCase(v.replace('-', '_'))) {
                return e;
            }
        }
        throw new ConfigException(
                key,
                "must be one of "
                        + java.util.Arrays.toString(
                                        defaultValue.getDeclaringClass().getEnumConstants())
                                .toLowerCase(Locale.ROOT)
                        + ", was '"
                        + v
                        + "'");
    }

    /** Whether {@code key} has been read, by its name or by a prefix. */
    public boolean wasRead(String key) {
        return read.contains(key) || prefixesRead.stream().anyMatch(key::startsWith);
    }

    /** Every entry whose key starts with {@code prefix}, with the prefix removed. */
    /**
     * The values of a family of keys {@code prefix + name + suffix} ({@code
     * model.<model>.classes}), by {@code name}. Only those keys count as read: another key under
     * {@code prefix} (a mistyped suffix) stays unknown and is reported.
     */
    public Map<String, String> family(String prefix, String suffix) {
        Map<String, String> out = new TreeMap<>();
        values.forEach(
                (k, v) -> {
                    if (k.startsWith(prefix)
                            && k.endsWith(suffix)
                            && k.length() > prefix.length() + suffix.length()) {
                        read.add(k);
                        out.put(k.substring(prefix.length(), k.length() - suffix.length()), v);
                    }
                });
        return out;
    }

    public Map<String, String> withPrefix(String prefix) {
        prefixesRead.add(prefix);
        Map<String, String> out = new TreeMap<>();
        values.forEach(
                (k, v) -> {
                    if (k.startsWith(prefix)) {
                        out.put(k.substring(prefix.length()), v);
                    }
                });
        return out;
    }
}
