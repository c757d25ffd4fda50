package io.streamtune.contracts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The vision task a dataset and its models serve. */
public enum Task {
    CLASSIFICATION,
    DETECTION,
    SEGMENTATION,
    /** Image-to-image style transfer: one or more style images and a stream of content images. */
    STYLIZATION;

    /** Lower-case wire name, as used in JSON and ONNX metadata. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name case-insensitively; names the bad value in the error. */
    @JsonCreator
    public static Task parse(String value) {
        if (value != null) {
            for (Task t : values()) {
                if (t.name().equalsIgnoreCase(value.trim())) {
                    return t;
                }
            }
        }
        throw new IllegalArgumentException(
                "unknown task '"
                        + value
                        + "', expected classification, detection, segmentation or stylization");
    }
}
