package io.streamtune.trainer.style;

import io.streamtune.runtime.ConfigDef;
import io.streamtune.runtime.ConfigDef.Setting;
import io.streamtune.runtime.ConfigException;
import io.streamtune.runtime.ConfigSource;
import java.util.ArrayList;
import java.util.List;

/**
 * How stylization models are built and trained ({@code trainer.style.*}); each key is declared once
 * in {@link #DEF}, from which the trainer README's style table is generated.
 *
 * @param isolated train in a child JVM held to oneDNN's SSE4.1 kernels ({@link StyleProcess})
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

    /** Every {@code trainer.style.*} key, declared once. */
    public static final ConfigDef DEF = new ConfigDef("trainer-style");

    private static final Setting<Integer> SIZE =
            DEF.integer(
                    "trainer.style.size",
                    64,
                    16,
                    2048,
                    "training resolution (square, multiple of 4; the network serves at any size)");
    private static final Setting<Integer> CHANNELS =
            DEF.integer(
                    "trainer.style.channels", 16, 2, 256, "width of the first layer (then 2×, 4×)");
    private static final Setting<Integer> BLOCKS =
            DEF.integer("trainer.style.blocks", 3, 0, 32, "residual blocks");
    private static final Setting<Integer> STEPS =
            DEF.integer("trainer.style.steps", 600, 1, 1_000_000, "Adam steps per run");
    private static final Setting<Integer> BATCH_SIZE =
            DEF.integer("trainer.style.batch.size", 4, 1, 256, "content images per step");
    private static final Setting<Double> LR =
            DEF.decimal("trainer.style.lr", 1e-3, 1e-6, 1, "learning rate");
    private static final Setting<Double> STYLE_WEIGHT =
            DEF.decimal("trainer.style.weight", 1, 0, 1e6, "weight of the style loss");
    private static final Setting<Double> CONTENT_WEIGHT =
            DEF.decimal("trainer.style.content.weight", 1, 0, 1e6, "weight of the content loss");
    private static final Setting<Double> TV_WEIGHT =
            DEF.decimal(
                    "trainer.style.tv.weight", 0.1, 0, 1e6, "weight of the total-variation loss");
    private static final Setting<List<String>> LAYERS =
            DEF.list("trainer.style.layers", "2,4,8,16", "strides of the style layers");
    private static final Setting<Integer> CONTENT_STRIDE =
            DEF.integer("trainer.style.content.stride", 8, 1, 64, "stride of the content layer");
    private static final Setting<PerceptualNet.Activations> ACTIVATIONS =
            DEF.choice(
                    "trainer.style.activations",
                    PerceptualNet.Activations.RAW,
                    "what the loss reads of each tapped map: `raw`, or `softmax` (per image, a"
                            + " softmax over the whole map times its element count: Wang et al.'s"
                            + " activation smoothing, in the perceptual graph itself)");
    private static final Setting<Boolean> ISOLATE =
            DEF.bool(
                    "trainer.style.isolate",
                    true,
                    "train in a child JVM held to oneDNN's SSE4.1 kernels (below)");
    private static final Setting<Double> GATE_FLOOR =
            DEF.decimal(
                    "trainer.style.gate.floor",
                    0,
                    -1,
                    1,
                    "a first stylizer's lower bound of mean gain (share of an unchanged image's"
                            + " loss the model removes) must reach this (0: measurably better than"
                            + " leaving the frames as they are)");

    /** Reads {@code trainer.style.*}. */
    public static StyleSettings from(ConfigSource c) {
        int size = SIZE.get(c);
        if (size % 4 != 0) {
            throw new ConfigException(SIZE.name(), "must be a multiple of 4, was " + size);
        }
        List<Integer> strides = new ArrayList<>();
        for (String s : LAYERS.get(c)) {
            try {
                strides.add(Integer.parseInt(s.trim()));
            } catch (NumberFormatException e) {
                throw new ConfigException(
                        LAYERS.name(), "must be strides such as 2,4,8,16, was " + s);
            }
        }
        return new StyleSettings(
                size,
                CHANNELS.get(c),
                BLOCKS.get(c),
                STEPS.get(c),
                BATCH_SIZE.get(c),
                LR.get(c),
                STYLE_WEIGHT.get(c),
                CONTENT_WEIGHT.get(c),
                TV_WEIGHT.get(c),
                strides,
                CONTENT_STRIDE.get(c),
                ACTIVATIONS.get(c),
                GATE_FLOOR.get(c),
                ISOLATE.get(c));
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
