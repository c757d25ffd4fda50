package io.streamtune.runtime.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A route table: method and path pattern ({@code /v1/models/{model}/images}, a {@code {name}}
 * segment matches one non-empty path segment) to a handler. A path no route matches is 404; a path
 * that matches with another method is 405 with {@code Allow}.
 */
public final class Routes {

    /** Serves one matched request. */
    @FunctionalInterface
    public interface Handler {
        void handle(HttpRequest request) throws IOException, HttpProblem;
    }

    private record Route(String method, String[] segments, Handler handler) {}

    /** A route and the path parameters it bound. */
    public record Match(Handler handler, Map<String, String> params) {}

    private final List<Route> routes = new ArrayList<>();

    public Routes get(String pattern, Handler handler) {
        return add("GET", pattern, handler);
    }

    public Routes post(String pattern, Handler handler) {
        return add("POST", pattern, handler);
    }

    /** Adds a route; patterns start with {@code /}. */
    public Routes add(String method, String pattern, Handler handler) {
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("route pattern must start with /: " + pattern);
        }
        routes.add(new Route(method.toUpperCase(Locale.ROOT), segments(pattern), handler));
        return this;
    }

    /** Finds and runs the route for {@code exchange}. */
    public void dispatch(HttpExchange exchange) throws IOException, HttpProblem {
        Match m = match(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath());
        m.handler().handle(new HttpRequest(exchange, m.params()));
    }

    /**
     * The route for {@code method} and the raw (still URL-encoded) {@code path}.
     *
     * @throws HttpProblem 404 when no route has the path, 405 when none has it with the method
     */
    public Match match(String method, String rawPath) throws HttpProblem {
        String[] path = segments(rawPath);
        Set<String> allowed = new LinkedHashSet<>();
        for (Route r : routes) {
            Optional<Map<String, String>> params = bind(r.segments(), path);
            if (params.isEmpty()) {
                continue;
            }
            if (r.method().equalsIgnoreCase(method)) {
                return new Match(r.handler(), params.get());
            }
            allowed.add(r.method());
        }
        if (allowed.isEmpty()) {
            throw new HttpProblem(
                    404,
                    "not_found",
                    "no such resource: " + URLDecoder.decode(rawPath, StandardCharsets.UTF_8));
        }
        throw new MethodNotAllowed(String.join(", ", allowed));
    }

    /** 405, carrying the methods the path takes (for the {@code Allow} header). */
    public static final class MethodNotAllowed extends HttpProblem {
        private static final long serialVersionUID = 1L;
        private final String allow;

        MethodNotAllowed(String allow) {
            super(405, "method_not_allowed", "use " + allow);
            this.allow = allow;
        }

        public String allow() {
            return allow;
        }
    }

    private static Optional<Map<String, String>> bind(String[] pattern, String[] path) {
        if (pattern.length != path.length) {
            return Optional.empty();
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < pattern.length; i++) {
            String p = pattern[i];
            if (p.length() > 2 && p.startsWith("{") && p.endsWith("}")) {
                if (path[i].isEmpty()) {
                    return Optional.empty();
                }
                params.put(
                        p.substring(1, p.length() - 1),
                        URLDecoder.decode(path[i], StandardCharsets.UTF_8));
            } else if (!p.equals(path[i])) {
                return Optional.empty();
            }
        }
        return Optional.of(params);
    }

    private static String[] segments(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.isEmpty() ? new String[0] : p.split("/", -1);
    }
}
