package io.streamtune.runtime.http;

import com.sun.net.httpserver.HttpExchange;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A request matched by {@link Routes}: the exchange and the route's path parameters. */
public final class HttpRequest {

    private final HttpExchange exchange;
    private final Map<String, String> params;

    HttpRequest(HttpExchange exchange, Map<String, String> params) {
        this.exchange = exchange;
        this.params = params;
    }

    public HttpExchange exchange() {
        return exchange;
    }

    /** A path parameter ({@code {model}} in the route), URL-decoded. */
    public String param(String name) {
        String v = params.get(name);
        if (v == null) {
            throw new IllegalArgumentException("the route has no parameter {" + name + "}");
        }
        return v;
    }

    /** A request header, or null. */
    public String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    /** The media type of the body, lower case, without parameters; empty when none was sent. */
    public String contentType() {
        String type = header("Content-Type");
        if (type == null) {
            return "";
        }
        int semi = type.indexOf(';');
        return (semi >= 0 ? type.substring(0, semi) : type).strip().toLowerCase(Locale.ROOT);
    }

    /** The query parameters, URL-decoded; the last of a repeated name wins. */
    public Map<String, String> query() {
        return query(exchange.getRequestURI().getRawQuery());
    }

    static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
