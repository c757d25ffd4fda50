package io.streamtune.runtime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A strict parser of the Prometheus text exposition format (0.0.4): {@code # HELP}/{@code # TYPE}
 * lines and samples {@code name{label="value",...} value [timestamp]}. Used to read the services'
 * own metrics (the demo's live view, tests) and rejects malformed input with the line number.
 */
public final class PrometheusText {

    /** One sample line. */
    public record Sample(String name, Map<String, String> labels, double value) {}

    private final List<Sample> samples;
    private final Map<String, String> types;

    private PrometheusText(List<Sample> samples, Map<String, String> types) {
        this.samples = List.copyOf(samples);
        this.types = Map.copyOf(types);
    }

    /** Parses a whole exposition; throws {@link IllegalArgumentException} naming the bad line. */
    public static PrometheusText parse(String text) {
        List<Sample> samples = new ArrayList<>();
        Map<String, String> types = new HashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                continue;
            }
            try {
                if (line.startsWith("#")) {
                    String[] parts = line.split(" ", 4);
                    if (parts.length >= 2 && parts[1].equals("TYPE")) {
                        if (parts.length != 4
                                || !parts[3].matches("counter|gauge|histogram|summary|untyped")) {
                            throw new IllegalArgumentException("bad TYPE line");
                        }
                        requireName(parts[2]);
                        if (types.put(parts[2], parts[3]) != null) {
                            throw new IllegalArgumentException("second TYPE for " + parts[2]);
                        }
                    } else if (parts.length >= 2 && parts[1].equals("HELP")) {
                        if (parts.length < 3) {
                            throw new IllegalArgumentException("bad HELP line");
                        }
                        requireName(parts[2]);
                    }
                    continue;
                }
                samples.add(parseSample(line));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "line " + (i + 1) + ": " + e.getMessage() + ": " + line, e);
            }
        }
        return new PrometheusText(samples, types);
    }

    private static Sample parseSample(String line) {
        int i = 0;
        int n = line.length();
        while (i < n && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = requireName(line.substring(0, i));
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < n && line.charAt(i) == '{') {
            i++;
            while (i < n && line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                if (eq < 0) {
                    throw new IllegalArgumentException("label without '='");
                }
                String label = line.substring(i, eq);
                if (!label.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
                    throw new IllegalArgumentException("bad label name '" + label + "'");
                }
                if (eq + 1 >= n || line.charAt(eq + 1) != '"') {
                    throw new IllegalArgumentException("label value not quoted");
                }
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                for (; j < n && line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\' && j + 1 < n) {
                        char e = line.charAt(++j);
                        value.append(e == 'n' ? '\n' : e);
                    } else {
                        value.append(c);
                    }
                }
                if (j >= n) {
                    throw new IllegalArgumentException("unterminated label value");
                }
                labels.put(label, value.toString());
                i = j + 1;
                if (i < n && line.charAt(i) == ',') {
                    i++;
                }
            }
            if (i >= n) {
                throw new IllegalArgumentException("unterminated label set");
            }
            i++;
        }
        String[] rest = line.substring(i).strip().split(" +");
        if (rest.length < 1 || rest.length > 2 || rest[0].isEmpty()) {
            throw new IllegalArgumentException("expected value [timestamp]");
        }
        double value =
                switch (rest[0]) {
                    case "+Inf" -> Double.POSITIVE_INFINITY;
                    case "-Inf" -> Double.NEGATIVE_INFINITY;
                    case "NaN" -> Double.NaN;
                    default -> Double.parseDouble(rest[0]);
                };
        if (rest.length == 2) {
            Long.parseLong(rest[1]);
        }
        return new Sample(name, labels, value);
    }

    private static String requireName(String name) {
        if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
            throw new IllegalArgumentException("bad metric name '" + name + "'");
        }
        return name;
    }

    /** Every sample. */
    public List<Sample> samples() {
        return samples;
    }

    /** Declared type of a metric family, e.g. {@code counter}. */
    public Optional<String> type(String family) {
        return Optional.ofNullable(types.get(family));
    }

    /** Samples with this exact name. */
    public List<Sample> named(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    /** Sum of the samples with this name whose labels include {@code labels}. */
    public double sum(String name, Map<String, String> labels) {
        return samples.stream()
                .filter(
                        s ->
                                s.name().equals(name)
                                        && s.labels().entrySet().containsAll(labels.entrySet()))
                .mapToDouble(Sample::value)
                .sum();
    }
}
