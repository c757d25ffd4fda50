package io.streamtune.contracts;

import java.util.Arrays;
import java.util.Objects;

/**
 * A labelled image as a producer submits it to the intake topic (or ingest's HTTP API), before
 * validation. JSON; {@code image} is base64.
 *
 * @param model dataset/model the sample belongs to
 * @param image encoded image bytes (JPEG or PNG)
 * @param label the annotation
 * @param source free-form origin (tool, file name), for tracing; may be null
 */
public record LabelledImageSubmitted(String model, byte[] image, Label label, String source) {

    public LabelledImageSubmitted {
        Names.requireModelName(model);
        Objects.requireNonNull(image, "image");
        if (image.length == 0) {
            throw new IllegalArgumentException("image must not be empty");
        }
        Objects.requireNonNull(label, "label");
        if (source != null && source.length() > 1024) {
            throw new IllegalArgumentException("source must be at most 1024 characters");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelledImageSubmitted s
                && model.equals(s.model)
                && Arrays.equals(image, s.image)
                && label.equals(s.label)
                && Objects.equals(source, s.source);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, Arrays.hashCode(image), label, source);
    }

    @Override
    public String toString() {
        return "LabelledImageSubmitted[model="
                + model
                + ", image="
                + image.length
                + " bytes, label="
                + label
                + ", source="
                + source
                + "]";
    }
}
