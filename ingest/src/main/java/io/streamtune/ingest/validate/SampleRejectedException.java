package io.streamtune.ingest.validate;

import java.util.Objects;

/**
 * A sample failed validation; {@link #reason()} is machine-readable, the message names what is
 * wrong.
 */
public final class SampleRejectedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final RejectReason reason;

    public SampleRejectedException(RejectReason reason, String detail) {
        super(detail);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public SampleRejectedException(RejectReason reason, String detail, Throwable cause) {
        super(detail, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public RejectReason reason() {
        return reason;
    }
}
