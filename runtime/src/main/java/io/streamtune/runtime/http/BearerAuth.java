package io.streamtune.runtime.http;

import com.sun.net.httpserver.HttpExchange;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Checks {@code Authorization: Bearer <token>} in constant time; a missing or wrong token is 401
 * with {@code WWW-Authenticate} (set by {@link JsonResponses#problem}).
 */
public final class BearerAuth {

    private final byte[] token;
    private final String realm;

    private BearerAuth(byte[] token, String realm) {
        this.token = token;
        this.realm = realm;
    }

    /** A check for {@code token}. */
    public static BearerAuth of(String token, String realm) {
        if (token == null || token.isEmpty()) {
            throw new IllegalArgumentException("a bearer token must not be empty");
        }
        return new BearerAuth(token.getBytes(StandardCharsets.UTF_8), realm);
    }

    /** No check: every request passes (a local demo). */
    public static BearerAuth disabled(String realm) {
        return new BearerAuth(null, realm);
    }

    /** The realm named in {@code WWW-Authenticate}. */
    public String realm() {
        return realm;
    }

    /**
     * @throws HttpProblem 401 when a token is required and the request lacks it
     */
    public void check(HttpExchange exchange) throws HttpProblem {
        check(exchange.getRequestHeaders().getFirst("Authorization"));
    }

    /**
     * @throws HttpProblem 401 when a token is required and {@code header} does not carry it
     */
    public void check(String header) throws HttpProblem {
        if (token == null) {
            return;
        }
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new HttpProblem(
                    401, "unauthorized", "missing bearer token (Authorization: Bearer <token>)");
        }
        byte[] given = header.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, token)) {
            throw new HttpProblem(401, "unauthorized", "invalid bearer token");
        }
    }
}
