package io.streamtune.runtime.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON answers: a body, an error {@code {"error": tag, "detail": line}}, and the answer for each
 * way a request fails (a problem, a dependency unavailable, a bug).
 */
public final class JsonResponses {

    private static final Logger log = LoggerFactory.getLogger(JsonResponses.class);

    private final ObjectMapper mapper;

    public JsonResponses(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** {@code body} as JSON with {@code status}. */
    public void json(HttpExchange ex, int status, Object body) throws IOException {
        respond(ex, status, mapper.writeValueAsBytes(body));
    }

    /** An error; 5xx are logged (without the request's content). */
    public void error(HttpExchange ex, int status, String error, String detail) throws IOException {
        if (status >= 500) {
            log.warn(
                    "{} {} -> {}: {}",
                    ex.getRequestMethod(),
                    ex.getRequestURI().getPath(),
                    status,
                    detail);
        }
        write(ex, status, error, detail);
    }

    private void write(HttpExchange ex, int status, String error, String detail)
            throws IOException {
        ObjectNode node = mapper.createObjectNode();
        node.put("error", error);
        node.put("detail", detail);
        respond(ex, status, mapper.writeValueAsBytes(node));
    }

    /**
     * The answer to a problem: its status and tag; 401 names the realm in {@code WWW-Authenticate},
     * 405 lists the methods in {@code Allow}, 503 asks to retry after 1 s.
     */
    public void problem(HttpExchange ex, HttpProblem p, String realm) throws IOException {
        if (p.status() == 401) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"" + realm + "\"");
        }
        if (p instanceof Routes.MethodNotAllowed m) {
            ex.getResponseHeaders().set("Allow", m.allow());
        }
        if (p.status() == 503) {
            ex.getResponseHeaders().set("Retry-After", "1");
        }
        error(ex, p.status(), p.error(), p.getMessage());
    }

    /**
     * 503 with {@code Retry-After}: the dependency's own message (Kafka's names brokers and
     * addresses) is logged, the client gets {@link UnavailableException#clientMessage()}.
     */
    public void unavailable(HttpExchange ex, UnavailableException e) throws IOException {
        log.warn("{} {}: {}", ex.getRequestMethod(), ex.getRequestURI().getPath(), e.getMessage());
        ex.getResponseHeaders().set("Retry-After", "1");
        error(ex, 503, "unavailable", e.clientMessage());
    }

    /**
     * 500 for a bug: the error is logged once with an id, the client gets only the id to quote.
     * When the answer had already started (the client went away mid-response), there is nothing to
     * answer and nothing wrong: one DEBUG line.
     */
    public void internalError(HttpExchange ex, Exception e) {
        if (ex.getResponseCode() != -1) {
            // the answer had started (a client that went away mid-response: a broken pipe):
            // nothing can be answered, and nothing is wrong with the service
            log.debug(
                    "{} {}: response not completed: {}",
                    ex.getRequestMethod(),
                    ex.getRequestURI().getPath(),
                    e.toString());
            return;
        }
        String id = java.util.UUID.randomUUID().toString().substring(0, 8);
        log.warn(
                "{} {} failed (error {}): {}",
                ex.getRequestMethod(),
                ex.getRequestURI().getPath(),
                id,
                e.toString());
        try {
            write(ex, 500, "internal_error", "internal error " + id + ", see the service log");
        } catch (IOException | RuntimeException ignored) {
            // the client went away meanwhile
        }
    }

    private static void respond(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
