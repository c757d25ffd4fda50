package io.streamtune.trainer.style;

import io.streamtune.runtime.ConfigSource;
import java.util.ArrayList;
import java.util.List;

/**
 * How stylization models are built and trained ({@code trainer.style.*}).
 *
 * @param size {@code trainer.style.size} (64): square training resolution; the network is fully
 *     convolutional and serves at any size
 * @param channels {@code trainer.style.channels} (16): width of the first layer (then 2x, 4x)
 * @param blocks {@code trainer.style.blocks} (3): residual blocks
 * @param steps {@code trainer.style.steps} (600): optimisation steps per run
 * @param batchSize {@code trainer.style.batch.size} (4): content images per step
 * @param learningRate {@code trainer.style.lr} (0.001): Adam's learning rate
 * @param styleWeight {@code trainer.style.weight} (1)
 * @param contentWeight {@code trainer.style.content.weight} (1)
 * @param tvWeight {@code trainer.style.tv.weight} (0.1)
 * @param styleStrides {@code trainer.style.layers} (2,4,8,16): strides of the style layers
 * @param contentStride {@code trainer.style.content.stride} (8): stride of the content layer
 * @param activations {@code trainer.style.activations} (raw): what the loss reads of each tapped
 *     map, {@code raw} or {@code softmax} (see {@link PerceptualNet.Activations})
 * @param floor {@code trainer.style.gate.floor} (0): the lower end of a first model's interval of
 *     mean gain (share of an unchanged image's loss the model removes) must reach this: by default
 *     a first stylizer must measurably beat leaving the frames as they are
 */
public record StyleSettings(
        int size,
        int channels,
        int blocks,
        int steps,
        int batchSize,
        double learningRate,
        double styleWeight,
        double contentWeight,
        double tvWeight,
        List<Integer> styleStrides,
        int contentStride,
        PerceptualNet.Activations activations,
        double floor,
        boolean isolated) {

    public StyleSettings {
        styleStrides = List.copyOf(styleStrides);
    }

    /** Reads {@code trainer.style.*}. */
    public static StyleSettings from(ConfigSource c) {
        int size = c.integer("trainer.style.size", 64, 16, 2048);
        if (size % 4 != 0) {
            throw new io.streamtune.runtime.ConfigException(
                    "trainer.style.size", "must be a multiple of 4, was " + size);
        }
        List<Integer> strides = new ArrayList<>();
        for (String s : c.string("trainer.style.layers", "2,4,8,16").split(",")) {
            try {
                strides.add(Integer.parseInt(s.trim()));
            } catch (NumberFormatException e) {
                throw new io.streamtune.runtime.ConfigException(
                        "trainer.style.layers", "must be strides such as 2,4,8,16, was " + s);
            }
        }
        return new StyleSettings(
                size,
                c.integer("trainer.style.channels", 16, 2, 256),
                c.integer("trainer.style.blocks", 3, 0, 32),
                c.integer("trainer.style.steps", 600, 1, 1_000_000),
                c.integer("trainer.style.batch.size", 4, 1, 256),
                c.decimal("trainer.style.lr", 1e-3, 1e-6, 1),
                c.decimal("trainer.style.weight", 1, 0, 1e6),
                c.decimal("trainer.style.content.weight", 1, 0, 1e6),
                c.decimal("trainer.style.tv.weight", 0.1, 0, 1e6),
                strides,
                c.integer("trainer.style.content.stride", 8, 1, 64),
                activations(c.string("trainer.style.activations", "raw")),
                c.decimal("trainer.style.gate.floor", 0, -1, 1),
                c.bool("trainer.style.isolate", true));
    }

    private static PerceptualNet.Activations activations(String v) {
        try {
            return PerceptualNet.Activations.valueOf(v.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new io.streamtune.runtime.ConfigException(
                    "trainer.style.activations", "must be raw or softmax, was " + v);
        }
    }

    /** The perceptual network of {@code base} for these settings. */
    public PerceptualNet perceptual(io.streamtune.onnx.ir.OnnxGraph base) {
        return PerceptualNet.of(base, size, styleStrides, activations);
    }

    public PerceptualLoss loss(PerceptualNet net) {
        return new PerceptualLoss(styleWeight, contentWeight, tvWeight, net.layerAt(contentStride));
    }

    public StyleTrainer.Settings training(long seed) {
        return new StyleTrainer.Settings(
                size, steps, batchSize, learningRate, Math.max(10, steps / 12), seed);
    }
}
