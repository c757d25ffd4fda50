package io.streamtune.onnx.djl.ops;

import ai.djl.nn.Parameter;
import java.util.List;
import java.util.Objects;

/**
 * An input of an operator that, when it is an initializer, becomes a DJL parameter of this type
 * (running statistics are parameters that take no gradient).
 */
public record ParameterRole(int input, Parameter.Type type) {

    /** A layer's weight at input 1 and bias at input 2 (Conv, ConvTranspose). */
    public static final List<ParameterRole> WEIGHT_AND_BIAS =
            List.of(
                    new ParameterRole(1, Parameter.Type.WEIGHT),
                    new ParameterRole(2, Parameter.Type.BIAS));

    /** A normalisation's scale at input 1 and shift at input 2 (InstanceNorm, LayerNorm). */
    public static final List<ParameterRole> SCALE_AND_SHIFT =
            List.of(
                    new ParameterRole(1, Parameter.Type.GAMMA),
                    new ParameterRole(2, Parameter.Type.BETA));

    public ParameterRole {
        Objects.requireNonNull(type, "type");
        if (input < 0) {
            throw new IllegalArgumentException("input index must not be negative: " + input);
        }
    }
}
