package io.streamtune.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Prometheus server (Debian's {@code prometheus} binary, when installed) scraping the
 * services of the local stack with streamtune's alert rules loaded.
 */
public final class PrometheusServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PrometheusServer.class);

    private final Process process;
    private final int port;

    private PrometheusServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** The {@code prometheus} binary on the PATH or in /usr/bin, if installed. */
    public static Optional<Path> binary() {
        for (String dir :
                (System.getenv().getOrDefault("PATH", "") + ":/usr/bin:/usr/local/bin")
                        .split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "prometheus"))) {
                return Optional.of(Path.of(dir, "prometheus"));
            }
        }
        return Optional.empty();
    }

    /**
     * Starts Prometheus on 127.0.0.1:{@code port}, scraping {@code targets} (job name → host:port)
     * every {@code scrapeInterval}, storing its data under {@code dir}; waits until it is ready.
     */
    public static PrometheusServer start(
            Path binary, Path dir, int port, Map<String, String> targets, Duration scrapeInterval) {
        try {
            Files.createDirectories(dir);
            try (InputStream rules =
                    PrometheusServer.class.getResourceAsStream(
                            "/prometheus/streamtune.rules.yml")) {
                Files.write(dir.resolve("streamtune.rules.yml"), rules.readAllBytes());
            }
            String interval = scrapeInterval.toMillis() + "ms";
            String jobs =
                    targets.entrySet().stream()
                            .map(
                                    e ->
                                            "  - job_name: "
                                                    + e.getKey()
                                                    + "\n    static_configs:\n      - targets: [\""
                                                    + e.getValue()
                                                    + "\"]\n")
                            .collect(Collectors.joining());
            Files.writeString(
                    dir.resolve("prometheus.yml"),
                    "global:\n  scrape_interval: "
                            + interval
                            + "\n  evaluation_interval: "
                            + interval
                            + "\nrule_files:\n  - streamtune.rules.yml\n"
                            + "scrape_configs:\n"
                            + jobs);
            Process process =
                    new ProcessBuilder(
                                    List.of(
                                            binary.toString(),
                                            "--config.file=" + dir.resolve("prometheus.yml"),
                                            "--storage.tsdb.path=" + dir.resolve("data"),
                                            "--web.listen-address=127.0.0.1:" + port,
                                            "--log.level=warn"))
                            .redirectErrorStream(true)
                            .redirectOutput(dir.resolve("prometheus.log").toFile())
                            .start();
            PrometheusServer server = new PrometheusServer(process, port);
            server.awaitReady(Duration.ofSeconds(30), dir.resolve("prometheus.log"));
            log.info("Prometheus on {} (scraping {})", server.url(), targets.keySet());
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Prometheus from " + binary, e);
        }
    }

    private void awaitReady(Duration timeout, Path logFile) throws IOException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                var r =
                        http.send(
                                HttpRequest.newBuilder(URI.create(url() + "/-/ready")).build(),
                                HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
        throw new IllegalStateException(
                "Prometheus did not become ready: " + Files.readString(logFile));
    }

    /** Base URL, e.g. {@code http://127.0.0.1:9090}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
