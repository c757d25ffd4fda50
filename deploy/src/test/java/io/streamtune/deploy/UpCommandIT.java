package io.streamtune.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamtune.runtime.PrometheusText;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpCommandIT {

    private static final Pattern URL_LINE =
            Pattern.compile("^\\s+(ingest|trainer|inference)\\s+(http://\\S+)/health");

    @Test
    void shouldStartTheWholeStackAsAUserWouldAndStopCleanlyOnCtrlC(@TempDir Path dir)
            throws Exception {
        List<String> command =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Xmx1g",
                                "-cp",
                                System.getProperty("java.class.path"),
                                StreamtuneCli.class.getName(),
                                "up",
                                "--data-dir",
                                dir.toString(),
                                "--kafka-port",
                                "0",
                                "--ingest-port",
                                "0",
                                "--trainer-port",
                                "0",
                                "--inference-port",
                                "0",
                                "--no-demo",
                                "--prometheus-port",
                                "-1"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> output = new CopyOnWriteArrayList<>();
        Map<String, String> urls = new ConcurrentHashMap<>();
        Thread reader =
                new Thread(
                        () -> {
                            try (var in =
                                    new BufferedReader(
                                            new InputStreamReader(
                                                    process.getInputStream(),
                                                    StandardCharsets.UTF_8))) {
                                String line;
                                while ((line = in.readLine()) != null) {
                                    output.add(line);
                                    var m = URL_LINE.matcher(line);
                                    if (m.find()) {
                                        urls.put(m.group(1), m.group(2));
                                    }
                                }
                            } catch (Exception ignored) {
                                // process ended
                            }
                        });
        reader.start();
        try {
            long deadline = System.currentTimeMillis() + 120_000;
            while (urls.size() < 3 && process.isAlive() && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }

            assertThat(urls)
                    .as("service URLs printed; output:%n%s", String.join("\n", output))
                    .containsOnlyKeys("ingest", "trainer", "inference");
            assertThat(output).anyMatch(l -> l.startsWith("streamtune is up"));
            // every setting the command itself passes is one a service reads
            assertThat(output).noneMatch(l -> l.contains("unknown setting"));
            var http = HttpClient.newHttpClient();
            for (var entry : urls.entrySet()) {
                var health =
                        http.send(
                                HttpRequest.newBuilder(URI.create(entry.getValue() + "/health"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                var metrics =
                        http.send(
                                HttpRequest.newBuilder(URI.create(entry.getValue() + "/metrics"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                var live =
                        http.send(
                                HttpRequest.newBuilder(
                                                URI.create(entry.getValue() + "/health/live"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                assertThat(live.statusCode()).isEqualTo(200);
                if (entry.getKey().equals("inference")) {
                    // Ready once it serves a model; before the trainer's first, only that check is
                    // down.
                    assertThat(health.body())
                            .contains("\"kafka\":{\"up\":true")
                            .contains("\"pipeline\":{\"up\":true")
                            .contains("\"model\":{\"up\":false");
                } else {
                    assertThat(health.statusCode())
                            .as(entry.getKey() + " health: " + health.body())
                            .isEqualTo(200);
                }
                assertThat(PrometheusText.parse(metrics.body()).samples()).isNotEmpty();
            }
        } finally {
            // Ctrl-C, as a user stops it.
            new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
            boolean exited = process.waitFor(60, TimeUnit.SECONDS);
            if (!exited) {
                process.destroyForcibly();
            }
            reader.join(5_000);
            assertThat(exited)
                    .as("stopped within 60 s of Ctrl-C; output:%n%s", String.join("\n", output))
                    .isTrue();
        }
        assertThat(output)
                .as("output:%n%s", String.join("\n", output))
                .anyMatch(l -> l.contains("streamtune stopped"));
    }
}
