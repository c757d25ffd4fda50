package io.streamtune.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The body reader behind a real loopback HTTP server. */
class BodyReaderTest {

    private HttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        BodyReader reader = new BodyReader(1000, "test.max.bytes");
        JsonResponses responses =
                new JsonResponses(new com.fasterxml.jackson.databind.ObjectMapper());
        server.createContext(
                "/",
                ex -> {
                    try (ex) {
                        try {
                            byte[] body = reader.read(ex);
                            responses.json(ex, 200, java.util.Map.of("bytes", body.length));
                        } catch (HttpProblem p) {
                            responses.problem(ex, p, "test");
                        }
                    }
                });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private HttpResponse<String> post(java.net.http.HttpRequest.BodyPublisher body)
            throws Exception {
        return client.send(
                java.net.http.HttpRequest.newBuilder(
                                URI.create(
                                        "http://127.0.0.1:" + server.getAddress().getPort() + "/"))
                        .POST(body)
                        .build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldReadABodyWithinTheLimit() throws Exception {
        HttpResponse<String> r =
                post(java.net.http.HttpRequest.BodyPublishers.ofByteArray(new byte[1000]));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"bytes\":1000}");
    }

    @Test
    void shouldRefuseADeclaredLengthOverTheLimitNamingTheSetting() throws Exception {
        HttpResponse<String> r =
                post(java.net.http.HttpRequest.BodyPublishers.ofByteArray(new byte[5000]));

        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body())
                .contains("request_too_large")
                .contains("request body is 5000 bytes, limit is 1000 (test.max.bytes)");
    }

    @Test
    void shouldRefuseAChunkedBodyOnceItPassesTheLimit() throws Exception {
        // no Content-Length: the body streams in chunks of unknown total size
        HttpResponse<String> r =
                post(
                        java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                                () -> new java.io.ByteArrayInputStream(new byte[200_000])));

        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).contains("request body exceeds 1000 bytes (test.max.bytes)");
    }
}
