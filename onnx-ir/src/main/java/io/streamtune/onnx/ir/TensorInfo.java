package io.streamtune.onnx.ir;

import java.util.Arrays;
import java.util.Objects;

/** A graph input or output: name, element type and shape ({@code -1} marks a dynamic dimension). */
public record TensorInfo(String name, ElementType type, long[] shape) {

    public TensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        shape = shape == null ? null : shape.clone();
    }

    /** Whether every dimension is known. */
    public boolean isStatic() {
        return shape != null && Arrays.stream(shape).allMatch(d -> d >= 0);
    }

    @Override
    public String toString() {
        return name + ":" + type + (shape == null ? "[?]" : Arrays.toString(shape));
    }
}
