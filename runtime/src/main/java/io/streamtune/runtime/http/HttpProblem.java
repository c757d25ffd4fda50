package io.streamtune.runtime.http;

/**
 * A request that cannot be served as sent: answered with this status and a JSON body {@code
 * {"error": error, "detail": message}}.
 */
public class HttpProblem extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String error;

    /**
     * @param status the HTTP status (4xx; 503 for "busy")
     * @param error a stable, machine-readable tag ({@code not_found}, {@code request_too_large})
     * @param detail one line for a person: what is wrong and, where it helps, the setting at fault
     */
    public HttpProblem(int status, String error, String detail) {
        super(detail);
        this.status = status;
        this.error = error;
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }
}
