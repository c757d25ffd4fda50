package io.streamtune.onnx.ir;

import java.util.List;
import java.util.Objects;

/**
 * One node attribute; {@code value} is a Long, Float, String, long[], float[], List of String or
 * OnnxTensor.
 */
public record Attribute(String name, Kind kind, Object value) {

    /** Attribute kinds the IR carries. */
    public enum Kind {
        INT,
        FLOAT,
        STRING,
        INTS,
        FLOATS,
        STRINGS,
        TENSOR
    }

    public Attribute {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
    }

    public static Attribute of(String name, long v) {
        return new Attribute(name, Kind.INT, v);
    }

    public static Attribute of(String name, float v) {
        return new Attribute(name, Kind.FLOAT, v);
    }

    public static Attribute of(String name, String v) {
        return new Attribute(name, Kind.STRING, v);
    }

    public static Attribute ints(String name, long... v) {
        return new Attribute(name, Kind.INTS, v.clone());
    }

    public static Attribute floats(String name, float... v) {
        return new Attribute(name, Kind.FLOATS, v.clone());
    }

    public static Attribute strings(String name, List<String> v) {
        return new Attribute(name, Kind.STRINGS, List.copyOf(v));
    }

    public static Attribute tensor(String name, OnnxTensor v) {
        return new Attribute(name, Kind.TENSOR, v);
    }
}
