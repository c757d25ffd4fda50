package io.streamtune.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Real HTTP on loopback. */
class AdminHttpServerTest {

    @Test
    void shouldAnswerHealthWhileEverySlowRequestHoldsItsOwnPoolAndRefuseWhenItIsFull()
            throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = AdminHttpServer.boundedPool("slow", 2, 2);
        try (AdminHttpServer http = start(2)) {
            http.routeOn(
                    "/slow",
                    ex -> {
                        try {
                            release.await(20, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        http.respond(ex, 200, "text/plain", "done");
                    },
                    pool);
            HttpClient client = HttpClient.newHttpClient();
            List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
            // 2 running + 2 queued fill the pool; more than the server's 2 threads
            for (int i = 0; i < 4; i++) {
                slow.add(
                        client.sendAsync(
                                HttpRequest.newBuilder(URI.create(http.url() + "/slow")).build(),
                                HttpResponse.BodyHandlers.ofString()));
            }
            Thread.sleep(300);

            long t0 = System.nanoTime();
            HttpResponse<String> live =
                    client.send(
                            HttpRequest.newBuilder(URI.create(http.url() + "/health/live"))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            HttpResponse<String> busy =
                    client.send(
                            HttpRequest.newBuilder(URI.create(http.url() + "/slow"))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());

            assertThat(live.statusCode()).isEqualTo(200);
            assertThat(ms).as("liveness answered in ms").isLessThan(1000);
            assertThat(busy.statusCode()).isEqualTo(503);
            assertThat(busy.headers().firstValue("Retry-After")).hasValue("1");
            release.countDown();
            for (var f : slow) {
                assertThat(f.get(10, TimeUnit.SECONDS).body()).isEqualTo("done");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Clients that open a connection and send their headers a byte at a time (slowloris) hold the
     * threads that read headers; /health/live still answers, on a thread of its own.
     */
    @Test
    void shouldAnswerLivenessWhileClientsSendTheirHeadersAByteAtATime() throws Exception {
        List<java.net.Socket> slow = new ArrayList<>();
        try (AdminHttpServer http = start(2)) {
            URI url = URI.create(http.url());
            // four times the configured threads, each stuck in the middle of its headers
            for (int i = 0; i < 8; i++) {
                java.net.Socket s = new java.net.Socket(url.getHost(), url.getPort());
                s.getOutputStream()
                        .write(
                                "GET /health/live HTTP/1.1\r\nHost: x\r\nX-Slow: a"
                                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                slow.add(s);
            }
            Thread.sleep(300);

            HttpResponse<String> live =
                    HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(URI.create(http.url() + "/health/live"))
                                            .timeout(Duration.ofSeconds(5))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());

            assertThat(live.statusCode()).isEqualTo(200);
        } finally {
            for (java.net.Socket s : slow) {
                s.close();
            }
        }
    }

    @Test
    void shouldAnswer500WithAnIdToQuoteWhenAHandlerFails() throws Exception {
        ExecutorService pool = AdminHttpServer.boundedPool("failing", 1, 1);
        try (AdminHttpServer http = start(2)) {
            http.route(
                    "/direct",
                    ex -> {
                        throw new IllegalStateException("secret internals");
                    });
            http.routeOn(
                    "/pooled",
                    ex -> {
                        throw new java.io.IOException("secret internals");
                    },
                    pool);
            HttpClient client = HttpClient.newHttpClient();
            for (String path : List.of("/direct", "/pooled")) {
                HttpResponse<String> r =
                        client.send(
                                HttpRequest.newBuilder(URI.create(http.url() + path)).build(),
                                HttpResponse.BodyHandlers.ofString());

                assertThat(r.statusCode()).as(path).isEqualTo(500);
                assertThat(r.body())
                        .contains("\"error\":\"internal_error\"")
                        .containsPattern("internal error [0-9a-f]{8}, see the service log")
                        .doesNotContain("secret");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** A server on a free loopback port with {@code threads} threads and an empty health. */
    private static AdminHttpServer start(int threads) {
        return AdminHttpServer.start(
                "test",
                "127.0.0.1",
                0,
                "http.port",
                new Health(),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                threads);
    }
}
