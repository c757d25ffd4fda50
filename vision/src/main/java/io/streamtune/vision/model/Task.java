package io.streamtune.vision.model;

import java.util.Locale;

/** What a model predicts, which decides the decoder its outputs go through. */
public enum Task {
    /** {@code [N, C]} scores. */
    CLASSIFICATION,
    /** YOLOv8 layout {@code [N, 4 + nc, A]}. */
    DETECTION,
    /** Semantic segmentation logits {@code [N, C, H, W]}. */
    SEGMENTATION,
    /** YOLOv8-seg: detection layout with mask coefficients plus prototypes. */
    INSTANCE_SEGMENTATION,
    /** Image-to-image: {@code [N, 3, H, W]} RGB in {@code [0, 1]}, the stylized frame. */
    STYLIZATION;

    /**
     * Parses streamtune's names ({@code classification}, {@code detection}, {@code segmentation},
     * {@code instance-segmentation}).
     */
    public static Task parse(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT).replace('_', '-')) {
            case "classification" -> CLASSIFICATION;
            case "detection" -> DETECTION;
            case "segmentation" -> SEGMENTATION;
            case "instance-segmentation" -> INSTANCE_SEGMENTATION;
            case "stylization" -> STYLIZATION;
            default -> throw new IllegalArgumentException("unknown task: " + value);
        };
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

    /** The value streamtune writes into {@code streamtune.task}. */
    public String metadataValue() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
