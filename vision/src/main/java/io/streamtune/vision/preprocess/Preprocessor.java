package io.streamtune.vision.preprocess;

import io.streamtune.vision.image.RgbImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns decoded images into model inputs ({@code [planes, H, W]} floats) following one {@link
 * PreprocessConfig}.
 */
public final class Preprocessor {

    private final PreprocessConfig config;

    public Preprocessor(PreprocessConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public PreprocessConfig config() {
        return config;
    }

    /** Floats per image: {@code planes × height × width}. */
    public int inputSize() {
        return config.channels().planes() * config.width() * config.height();
    }

    /** The transform this preprocessor applies to a source of the given size. */
    public ResizeTransform transformFor(int sourceWidth, int sourceHeight) {
        return ResizeTransform.of(
                config.resize(), sourceWidth, sourceHeight, config.width(), config.height());
    }

    /** Writes one image at {@code offset} of {@code dst} and returns the transform used. */
    public ResizeTransform apply(RgbImage image, float[] dst, int offset) {
        ResizeTransform t = transformFor(image.width(), image.height());
        RgbImage resized = isIdentity(t) ? image : ImageOps.warp(image, t, config.padValue());
        ImageOps.toChw(resized, config.channels(), config.normalization(), dst, offset);
        return t;
    }

    /** One image in, one {@code [3, H, W]} array out. */
    public Preprocessed apply(RgbImage image) {
        float[] out = new float[inputSize()];
        ResizeTransform t = apply(image, out, 0);
        return new Preprocessed(out, t);
    }

    /** Preprocesses each image; the arrays are ready for {@code ModelRunner.run(float[][])}. */
    public PreprocessedBatch applyAll(List<RgbImage> images) {
        float[][] inputs = new float[images.size()][];
        List<ResizeTransform> transforms = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            Preprocessed p = apply(images.get(i));
            inputs[i] = p.input();
            transforms.add(p.transform());
        }
        return new PreprocessedBatch(inputs, transforms);
    }

    private static boolean isIdentity(ResizeTransform t) {
        return t.sourceWidth() == t.inputWidth()
                && t.sourceHeight() == t.inputHeight()
                && t.padX() == 0
                && t.padY() == 0;
    }

    /** One preprocessed image: {@code [3, H, W]} floats and the transform back to source pixels. */
    public record Preprocessed(float[] input, ResizeTransform transform) {
        public Preprocessed {
            Objects.requireNonNull(input, "input");
            Objects.requireNonNull(transform, "transform");
        }
    }

    /** Preprocessed images in batch order, each with its own transform. */
    public record PreprocessedBatch(float[][] inputs, List<ResizeTransform> transforms) {
        public PreprocessedBatch {
            Objects.requireNonNull(inputs, "inputs");
            transforms = List.copyOf(transforms);
            if (inputs.length != transforms.size()) {
                throw new IllegalArgumentException("inputs and transforms differ in length");
            }
        }
    }
}
