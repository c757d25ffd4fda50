package io.streamtune.contracts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The vision task a dataset and its models serve; for a model it also decides the decoder its
 * outputs go through.
 */
public enum Task {
    /** One label per image; models output {@code [N, C]} scores. */
    CLASSIFICATION,
    /** Boxes; models output the YOLOv8 layout {@code [N, 4 + nc, A]}. */
    DETECTION,
    /** A class per pixel; models output logits {@code [N, C, H, W]}. */
    SEGMENTATION,
    /**
     * Boxes with a mask each (YOLOv8-seg: the detection layout with mask coefficients, plus
     * prototypes). Served from imported models; their predictions are detections with masks.
     */
    INSTANCE_SEGMENTATION,
    /**
     * Image-to-image style transfer: one or more style images and a stream of content images;
     * models output {@code [N, 3, H, W]} RGB in {@code [0, 1]}.
     */
    STYLIZATION;

    /**
     * Lower-case wire name with hyphens ({@code instance-segmentation}), as used in JSON, ONNX
     * metadata ({@code streamtune.task}) and configuration.
     */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Parses a wire name case-insensitively, hyphens or underscores alike; names the bad value and
     * the known ones in the error.
     */
    @JsonCreator
    public static Task parse(String value) {
        if (value != null) {
            String v = value.trim().replace('-', '_');
            for (Task t : values()) {
                if (t.name().equalsIgnoreCase(v)) {
                    return t;
                }
            }
        }
        throw new IllegalArgumentException(
                "unknown task '"
                        + value
                        + "', expected one of "
                        + Arrays.stream(values())
                                .map(Task::wireName)
                                .collect(Collectors.joining(", ")));
    }

    /**
     * Parses Ultralytics' {@code task} metadata ({@code detect}, {@code segment}, {@code
     * classify}).
     */
    public static Task parseUltralytics(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "detect" -> DETECTION;
            case "segment" -> INSTANCE_SEGMENTATION;
            case "classify" -> CLASSIFICATION;
            default -> throw new IllegalArgumentException("unsupported Ultralytics task: " + value);
        };
    }
}
