package io.streamtune.vision.preprocess;

import java.util.List;
import java.util.Objects;

/**
 * Per-channel mean and standard deviation in RGB order, applied after pixels are scaled to 0..1:
 * {@code (v / 255 - mean) / std}.
 */
public record Normalization(List<Double> mean, List<Double> std) {

    /** Scale to 0..1 only (Ultralytics YOLO). */
    public static final Normalization UNIT =
            new Normalization(List.of(0.0, 0.0, 0.0), List.of(1.0, 1.0, 1.0));

    /**
     * The pixel values themselves, 0..255: what a model with an 8-bit input (TensorFlow's
     * object-detection and TFLite-converted exports) expects.
     */
    public static final Normalization RAW =
            new Normalization(List.of(0.0, 0.0, 0.0), List.of(1 / 255.0, 1 / 255.0, 1 / 255.0));

    /** torchvision's ImageNet statistics. */
    public static final Normalization IMAGENET =
            new Normalization(List.of(0.485, 0.456, 0.406), List.of(0.229, 0.224, 0.225));

    public Normalization {
        mean = List.copyOf(Objects.requireNonNull(mean, "mean"));
        std = List.copyOf(Objects.requireNonNull(std, "std"));
        if (mean.size() != 3 || std.size() != 3) {
            throw new IllegalArgumentException(
                    "mean and std need 3 values each: " + mean + " / " + std);
        }
        for (int c = 0; c < 3; c++) {
            if (!Double.isFinite(mean.get(c))) {
                throw new IllegalArgumentException("mean must be finite: " + mean);
            }
            if (!(std.get(c) > 0) || !Double.isFinite(std.get(c))) {
                throw new IllegalArgumentException("std must be positive and finite: " + std);
            }
        }
    }

    /** Parses two comma-separated triples such as {@code "0.485,0.456,0.406"}. */
    public static Normalization parse(String mean, String std) {
        return new Normalization(parseTriple(mean), parseTriple(std));
    }

    private static List<Double> parseTriple(String csv) {
        String[] parts = csv.replace("[", "").replace("]", "").split(",");
        if (parts.length != 3) {
            throw new IllegalArgumentException("expected 3 comma-separated numbers: " + csv);
        }
        return List.of(
                Double.parseDouble(parts[0].trim()),
                Double.parseDouble(parts[1].trim()),
                Double.parseDouble(parts[2].trim()));
    }
}
