package io.streamtune.runtime.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a request body up to a limit: a body declared or found larger is 413 naming the setting,
 * refused before it is held in memory (a declared length allocates nothing up front), and what is
 * left of it is read and discarded (up to 256 MiB) so the client gets the answer instead of a
 * connection reset.
 */
public final class BodyReader {

    private static final long DRAIN_LIMIT = 256L << 20;

    private final long max;
    private final String key;

    /**
     * @param max the largest body accepted, in bytes
     * @param key the configuration key that sets {@code max}, named in the 413
     */
    public BodyReader(long max, String key) {
        this.max = max;
        this.key = key;
    }

    /** The whole body. */
    public byte[] read(HttpExchange ex) throws IOException, HttpProblem {
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.strip());
            } catch (NumberFormatException e) {
                throw new HttpProblem(400, "bad_request", "invalid Content-Length");
            }
            if (declared > max) {
                drain(ex);
                throw new HttpProblem(
                        413,
                        "request_too_large",
                        "request body is "
                                + declared
                                + " bytes, limit is "
                                + max
                                + " ("
                                + key
                                + ")");
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = ex.getRequestBody()) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (out.size() + (long) n > max) {
                    drain(ex);
                    throw new HttpProblem(
                            413,
                            "request_too_large",
                            "request body exceeds " + max + " bytes (" + key + ")");
                }
                out.write(buffer, 0, n);
            }
        }
        return out.toByteArray();
    }

    private static void drain(HttpExchange ex) {
        // ex.getResponseHeaders().set("Connection", "close");
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try {
            InputStream in = ex.getRequestBody();
            int n;
            while (total < DRAIN_LIMIT && (n = in.read(buffer)) > 0) {
                total += n;
            }
        } catch (IOException e) {
            // the client went away; nothing to answer
        }
    }
}
