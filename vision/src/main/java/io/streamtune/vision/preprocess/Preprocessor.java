package io.streamtune.vision.preprocess;

import io.streamtune.vision.image.ImageDecoder;
import io.streamtune.vision.image.ImageInfo;
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

    /**
     * The smallest decoded size that loses nothing for a source of the given size: the area the
     * resize maps it onto (the content of a letterbox, the whole input of a stretch). A decoder may
     * hand {@link #apply(ImageDecoder.Decoded, float[], int)} pixels scaled down to it.
     */
    /**
     * Decodes an image for this model the one way training, evaluation and serving all use: a JPEG
     * may come out at a reduced DCT scale, never below what this preprocessing's resize needs.
     */
    public io.streamtune.vision.image.ImageDecoder.Decoded decode(
            io.streamtune.vision.image.ImageDecoder decoder, byte[] bytes)
            throws io.streamtune.vision.image.ImageRejectedException {
        return decoder.decode(bytes, this::minimumSourceSize);
    }

    public int[] minimumSourceSize(int sourceWidth, int sourceHeight) {
        ResizeTransform t = transformFor(sourceWidth, sourceHeight);
        return new int[] {
            Math.min(sourceWidth, t.contentWidth()), Math.min(sourceHeight, t.contentHeight())
        };
    }

    /**
     * Like {@link #apply(RgbImage, float[], int)} for pixels that may have been decoded at a
     * reduced scale: the returned transform maps the original source (not the decoded pixels) to
     * the input, so boxes and masks come back in source-image pixels.
     */
    public ResizeTransform apply(ImageDecoder.Decoded decoded, float[] dst, int offset) {
        ResizeTransform onPixels = apply(decoded.image(), dst, offset);
        ImageInfo source = decoded.source();
        if (decoded.image().width() == source.width()
                && decoded.image().height() == source.height()) {
            return onPixels;
        }
        return new ResizeTransform(
                source.width(),
                source.height(),
                onPixels.inputWidth(),
                onPixels.inputHeight(),
                onPixels.scaleX() * decoded.scaleX(),
                onPixels.scaleY() * decoded.scaleY(),
                onPixels.padX(),
                onPixels.padY());
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
