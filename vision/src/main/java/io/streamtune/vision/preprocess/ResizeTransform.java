package io.streamtune.vision.preprocess;

/**
 * The affine map from source-image pixels to model-input pixels: {@code input = source * scale +
 * pad}.
 *
 * <p>Coordinates are continuous (pixel edges at integers), so a box maps exactly through {@link
 * #toSourceX}/{@link #toSourceY} on its corners.
 */
public record ResizeTransform(
        int sourceWidth,
        int sourceHeight,
        int inputWidth,
        int inputHeight,
        double scaleX,
        double scaleY,
        double padX,
        double padY) {

    public ResizeTransform {
        if (sourceWidth <= 0 || sourceHeight <= 0 || inputWidth <= 0 || inputHeight <= 0) {
            throw new IllegalArgumentException("sizes must be positive");
        }
        if (!(scaleX > 0)
                || !(scaleY > 0)
                || !Double.isFinite(scaleX)
                || !Double.isFinite(scaleY)) {
            throw new IllegalArgumentException(
                    "scales must be positive: " + scaleX + ", " + scaleY);
        }
        if (padX < 0 || padY < 0) {
            throw new IllegalArgumentException(
                    "padding must not be negative: " + padX + ", " + padY);
        }
    }

    /** Plain resize of the whole source to the whole input. */
    public static ResizeTransform stretch(
            int sourceWidth, int sourceHeight, int inputWidth, int inputHeight) {
        return new ResizeTransform(
                sourceWidth,
                sourceHeight,
                inputWidth,
                inputHeight,
                (double) inputWidth / sourceWidth,
                (double) inputHeight / sourceHeight,
                0,
                0);
    }

    /**
     * Aspect-preserving fit, centred: one scale {@code min(inW/srcW, inH/srcH)}, content of {@code
     * round(src * scale)} pixels, left/top padding {@code round(slack / 2 - 0.1)}, rounding half to
     * even as Python's {@code round} does, so boxes line up with Ultralytics' own letterbox.
     */
    public static ResizeTransform letterbox(
            int sourceWidth, int sourceHeight, int inputWidth, int inputHeight) {
        double scale =
                Math.min((double) inputWidth / sourceWidth, (double) inputHeight / sourceHeight);
        int contentW = Math.max(1, Math.min(inputWidth, (int) Math.rint(sourceWidth * scale)));
        int contentH = Math.max(1, Math.min(inputHeight, (int) Math.rint(sourceHeight * scale)));
        double padX = Math.max(0, Math.rint((inputWidth - contentW) / 2.0 - 0.1));
        double padY = Math.max(0, Math.rint((inputHeight - contentH) / 2.0 - 0.1));
        return new ResizeTransform(
                sourceWidth, sourceHeight, inputWidth, inputHeight, scale, scale, padX, padY);
    }

    /** The transform for the given mode. */
    public static ResizeTransform of(
            ResizeMode mode, int sourceWidth, int sourceHeight, int inputWidth, int inputHeight) {
        return mode == ResizeMode.LETTERBOX
                ? letterbox(sourceWidth, sourceHeight, inputWidth, inputHeight)
                : stretch(sourceWidth, sourceHeight, inputWidth, inputHeight);
    }

    /** Width in input pixels that the source content covers. */
    public int contentWidth() {
        return (int) Math.min(inputWidth - padX, Math.rint(sourceWidth * scaleX));
    }

    /** Height in input pixels that the source content covers. */
    public int contentHeight() {
        return (int) Math.min(inputHeight - padY, Math.rint(sourceHeight * scaleY));
    }

    public double toInputX(double sourceX) {
        return sourceX * scaleX + padX;
    }

    public double toInputY(double sourceY) {
        return sourceY * scaleY + padY;
    }

    public double toSourceX(double inputX) {
        return (inputX - padX) / scaleX;
    }

    public double toSourceY(double inputY) {
        return (inputY - padY) / scaleY;
    }
}
