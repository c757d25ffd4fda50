package io.streamtune.ingest.accept;

import io.streamtune.ingest.validate.RejectReason;

/**
 * What became of a submission; returned only once Kafka acknowledged the write (labelled or dead
 * letter).
 *
 * @param status what happened
 * @param key labelled-topic key ({@code model/sha256}), null when rejected before hashing
 * @param reason why rejected, null otherwise
 * @param detail human-readable detail of a rejection, null otherwise
 * @param width image width, 0 when rejected
 * @param height image height, 0 when rejected
 */
public record Acceptance(
        Status status, String key, RejectReason reason, String detail, int width, int height) {

    /** Result kinds. */
    public enum Status {
        /** A new sample was written. */
        ACCEPTED,
        /** The image was in with another label; the new label was written. */
        RELABELLED,
        /** The image was in with the same label; nothing written. */
        UNCHANGED,
        /** Refused; a dead letter was written. */
        REJECTED
    }

    /** Whether the sample is in the labelled topic now. */
    public boolean isIn() {
        return status != Status.REJECTED;
    }

    static Acceptance rejected(RejectReason reason, String detail, String key) {
        return new Acceptance(Status.REJECTED, key, reason, detail, 0, 0);
    }
}
