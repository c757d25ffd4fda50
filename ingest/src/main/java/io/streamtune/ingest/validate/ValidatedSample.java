package io.streamtune.ingest.validate;

import io.streamtune.contracts.Label;
import io.streamtune.contracts.LabelledImageAccepted;
import java.util.Objects;

/**
 * A sample that passed validation, with its content-hash id.
 *
 * @param model model/dataset name
 * @param sampleId hex SHA-256 of the image bytes
 * @param image the encoded image, as received
 * @param mediaType {@code image/jpeg} or {@code image/png}
 * @param width pixels
 * @param height pixels
 * @param label the checked label
 * @param labelHash first 8 bytes of the SHA-256 of the label's canonical JSON: equal labels, equal
 *     hashes
 */
public record ValidatedSample(
        String model,
        String sampleId,
        byte[] image,
        String mediaType,
        int width,
        int height,
        Label label,
        long labelHash) {

    public ValidatedSample {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(sampleId, "sampleId");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(label, "label");
    }

    /** Key on the labelled-images topic. */
    public String key() {
        return LabelledImageAccepted.key(model, sampleId);
    }
}
