package io.streamtune.runtime.http;

/**
 * A dependency the request needs cannot serve it now (Kafka did not take or acknowledge a write,
 * the stats store is rebuilding): the API answers 503 with {@code Retry-After}. Any other error is
 * a bug and answers 500 — so a bug never looks like an outage.
 */
public final class UnavailableException extends RuntimeException {

    private final boolean sayWhy;

    /**
     * @param message what is unavailable (logged; sent to the client only when {@code sayWhy})
     * @param sayWhy whether the message is safe to show a client (Kafka's name brokers and
     *     addresses; a store's state does not)
     */
    public UnavailableException(String message, boolean sayWhy) {
        super(message);
        this.sayWhy = sayWhy;
    }

    /** The message a client may see. */
    public String clientMessage() {
        return sayWhy ? getMessage() : "Kafka is not available for this request; retry";
    }
}
