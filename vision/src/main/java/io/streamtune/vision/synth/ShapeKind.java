package io.streamtune.vision.synth;

import java.util.List;
import java.util.Locale;

/** The shapes drawn into synthetic scenes; the ordinal is the class id. */
public enum ShapeKind {
    CIRCLE,
    SQUARE,
    TRIANGLE;

    /** Class names by class id: {@code circle, square, triangle}. */
    public static List<String> classNames() {
        return List.of(CIRCLE.className(), SQUARE.className(), TRIANGLE.className());
    }

    /**
     * Segmentation class names by mask value: {@code background} is 0, then each shape at its class
     * id plus one.
     */
    public static List<String> segmentationClassNames() {
        return List.of("background", CIRCLE.className(), SQUARE.className(), TRIANGLE.className());
    }

    /** Lower-case name used as a label. */
    public String className() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Class id, 0-based. */
    public int classId() {
        return ordinal();
    }

    /** Whether pixel centre {@code (px, py)} lies inside this shape drawn in the box. */
    boolean contains(double px, double py, double x, double y, double w, double h) {
        double u = (px - x) / w;
        double v = (py - y) / h;
        if (u < 0 || u > 1 || v < 0 || v > 1) {
            return false;
        }
        return switch (this) {
            case SQUARE -> true;
            case CIRCLE -> (u - 0.5) * (u - 0.5) + (v - 0.5) * (v - 0.5) <= 0.25;
            // Apex at the top centre, base along the bottom edge.
            case TRIANGLE -> Math.abs(u - 0.5) <= v / 2;
        };
    }
}
