package io.streamtune.contracts;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A validated labelled image, the value of the compacted labelled-images topic. Keyed by {@code
 * model + "/" + sampleId}; the sample id is the SHA-256 of the image bytes, so the same image sent
 * again with a new label replaces the old one (a relabel), and a tombstone deletes it.
 *
 * @param sampleId lower-case hex SHA-256 of {@code image}
 * @param model dataset/model name
 * @param image encoded image bytes (base64 in JSON)
 * @param mediaType {@code image/jpeg} or {@code image/png}
 * @param width image width in pixels
 * @param height image height in pixels
 * @param label the validated annotation
 * @param source free-form origin, may be null
 * @param acceptedAt when ingest accepted it
 */
public record LabelledImageAccepted(
        String sampleId,
        String model,
        byte[] image,
        String mediaType,
        int width,
        int height,
        Label label,
        String source,
        Instant acceptedAt) {

    public LabelledImageAccepted {
        Objects.requireNonNull(sampleId, "sampleId");
        if (!sampleId.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException(
                    "sampleId must be a hex SHA-256, was '" + sampleId + "'");
        }
        Names.requireModelName(model);
        Objects.requireNonNull(image, "image");
        Names.requireText(mediaType, "mediaType", 64);
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException(
                    "width and height must be positive, was " + width + "x" + height);
        }
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(acceptedAt, "acceptedAt");
    }

    /** The record key on the labelled-images topic. */
    public String key() {
        return key(model, sampleId);
    }

    /** The record key for a sample of a model. */
    public static String key(String model, String sampleId) {
        return model + "/" + sampleId;
    }

    /** The task of this sample, from its label. */
    public Task task() {
        return label.task();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelledImageAccepted a
                && sampleId.equals(a.sampleId)
                && model.equals(a.model)
                && Arrays.equals(image, a.image)
                && mediaType.equals(a.mediaType)
                && width == a.width
                && height == a.height
                && label.equals(a.label)
                && Objects.equals(source, a.source)
                && acceptedAt.equals(a.acceptedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sampleId, model, mediaType, width, height, label, source, acceptedAt);
    }

    @Override
    public String toString() {
        return "LabelledImageAccepted["
                + key()
                + ", "
                + width
                + "x"
                + height
                + " "
                + mediaType
                + ", "
                + label
                + "]";
    }
}
