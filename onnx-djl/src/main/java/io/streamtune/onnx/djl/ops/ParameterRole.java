package io.streamtune.onnx.djl.ops;

import ai.djl.nn.Parameter;
import java.util.Objects;

/**
 * An input of an operator that, when it is an initializer, becomes a DJL parameter of this type
 * (running statistics are parameters that take no gradient).
 */
public record ParameterRole(int input, Parameter.Type type) {

    public ParameterRole {
        Objects.requireNonNull(type, "type");
        if (input < 0) {
            throw new IllegalArgumentException("input index must not be negative: " + input);
        }
    }
}
