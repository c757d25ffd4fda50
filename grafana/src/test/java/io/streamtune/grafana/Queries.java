package io.streamtune.grafana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Every PromQL expression of the dashboards and the alert rules, by where it comes from. */
final class Queries {

    static final Path DASHBOARDS = Path.of("dashboards");
    static final Path RULES = Path.of("../deploy/prometheus/streamtune.rules.yml");
    static final ObjectMapper JSON = new ObjectMapper();
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Queries() {}

    static List<Path> dashboardFiles() {
        try (Stream<Path> files = Files.list(DASHBOARDS)) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode read(Path file, ObjectMapper mapper) {
        try {
            return mapper.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file, e);
        }
    }

    /** "dashboard / panel / refId" → expression. */
    static Map<String, String> dashboardExpressions() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Path file : dashboardFiles()) {
            JsonNode dashboard = read(file, JSON);
            for (JsonNode panel : dashboard.path("panels")) {
                for (JsonNode target : panel.path("targets")) {
                    out.put(
                            file.getFileName()
                                    + " / "
                                    + panel.path("title").asText()
                                    + " / "
                                    + target.path("refId").asText(),
                            target.path("expr").asText());
                }
            }
        }
        return out;
    }

    /** "alert name" → full rule expression. */
    static Map<String, String> ruleExpressions() {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode group : read(RULES, YAML).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                out.put(rule.path("alert").asText(), rule.path("expr").asText());
            }
        }
        return out;
    }

    /**
     * The signals of a rule: each {@code and} operand without its threshold comparison, e.g. {@code
     * sum(rate(x[5m])) > 0.5} → {@code sum(rate(x[5m]))}. The rules file is written in that shape.
     */
    static List<String> signals(String ruleExpression) {
        List<String> out = new ArrayList<>();
        for (String operand : ruleExpression.split("\\s+and\\s+")) {
            String signal = operand.strip().replaceFirst("\\s*(==|!=|>=|<=|>|<)\\s*-?[0-9.]+$", "");
            if (signal.equals(operand.strip())) {
                throw new IllegalArgumentException(
                        "rule operand has no trailing threshold: " + operand);
            }
            out.add(signal);
        }
        return out;
    }
}
