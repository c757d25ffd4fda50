package io.streamtune.ingest.accept;

import io.streamtune.contracts.Label;
import java.util.Objects;

/**
 * A labelled image offered for acceptance, not yet validated (fields may be wrong; the validator
 * says how).
 *
 * @param model model/dataset name
 * @param image encoded image bytes
 * @param label annotation, may be null (rejected)
 * @param source free-form origin (file, tool), may be null
 * @param origin channel and position, for metrics and the dead letter
 * @param imageBase64 the image's base64 text as received, or null; must encode exactly {@code
 *     image}
 */
public record Submission(
        String model,
        byte[] image,
        Label label,
        String source,
        Origin origin,
        EncodedImage imageBase64) {

    public Submission {
        Objects.requireNonNull(origin, "origin");
    }

    /** A submission whose image arrived as raw bytes. */
    public Submission(String model, byte[] image, Label label, String source, Origin origin) {
        this(model, image, label, source, origin, null);
    }
}
