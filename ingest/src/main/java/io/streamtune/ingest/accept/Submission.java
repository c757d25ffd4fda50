package io.streamtune.ingest.accept;

import io.streamtune.contracts.Label;
import java.util.Objects;

/**
 * A labelled image offered for acceptance, not yet validated (fields may be wrong; the validator says how).
 *
 * @param model model/dataset name
 * @param image encoded image bytes
 * @param label annotation, may be null (rejected)
 * @param source free-form origin (file, tool), may be null
 * @param origin channel and position, for metrics and the dead letter
 */
public record Submission(String model, byte[] image, Label label, String source, Origin origin) {

    public Submission {
        Objects.requireNonNull(origin, "origin");
    }
}
