package io.streamtune.vision.image;

import java.util.Locale;
import java.util.Optional;

/**
 * Container formats the decoder can recognise; which of them are accepted is a {@link ImageLimits}
 * setting.
 */
public enum ImageFormat {
    JPEG,
    PNG,
    GIF,
    BMP,
    WBMP,
    TIFF,
    /** Lossy (VP8) and lossless (VP8L) WebP, with or without alpha; an animation's first frame. */
    WEBP;

    /**
     * Maps an ImageIO reader format name ({@code "jpeg"}, {@code "JPG"}, {@code "png"}, ...) to a
     * format.
     */
    public static Optional<ImageFormat> fromImageIoName(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "jpeg", "jpg" -> Optional.of(JPEG);
            case "png" -> Optional.of(PNG);
            case "gif" -> Optional.of(GIF);
            case "bmp" -> Optional.of(BMP);
            case "wbmp" -> Optional.of(WBMP);
            case "tif", "tiff" -> Optional.of(TIFF);
            case "webp" -> Optional.of(WEBP);
            default -> Optional.empty();
        };
    }

    /**
     * The media type of encoded image bytes by their signature, for serving them over HTTP or in a
     * data URL: PNG, WebP, else JPEG (the formats frames and samples come in).
     */
    public static String mediaType(byte[] image) {
        if (image.length > 3 && (image[0] & 0xFF) == 0x89 && image[1] == 'P') {
            return "image/png";
        }
        if (image.length >= 12
                && image[0] == 'R'
                && image[1] == 'I'
                && image[2] == 'F'
                && image[3] == 'F'
                && image[8] == 'W'
                && image[9] == 'E'
                && image[10] == 'B'
                && image[11] == 'P') {
            return "image/webp";
        }
        return "image/jpeg";
    }
}
