package io.streamtune.vision.image;

import io.streamtune.vision.image.ImageRejectedException.Reason;
import io.streamtune.vision.mask.LabelMap;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes JPEG/PNG/WebP bytes to {@link RgbImage}, checking {@link ImageLimits} from the header
 * before any pixel is decoded.
 *
 * <p>Order of checks: empty, byte size, format recognised, format allowed, header dimensions, pixel
 * count, completeness (JPEG must end with an EOI marker after its last scan, PNG must carry IEND,
 * WebP must hold the bytes its RIFF header declares), then decoding. ImageIO fills a truncated JPEG
 * with grey without complaint, hence the explicit EOI check.
 *
 * <p>Pixel rule, applied to every accepted image ({@link RgbImage#of} applies the same): the result
 * is always 8-bit RGB. 16-bit samples keep their high byte ({@code v >> 8}, exact for values
 * widened from 8 bits); samples of fewer than 8 bits are scaled to 0..255; palette images are
 * expanded through their palette; grey is replicated to three channels; alpha (including palette
 * transparency) is dropped without compositing. Colour profiles are ignored: samples are taken as
 * they are stored; CMYK and YCCK JPEGs are converted without one, as browsers show them ({@link
 * CmykJpeg}). An EXIF orientation (a JPEG's APP1, a PNG's {@code eXIf}, a WebP's {@code EXIF}) is
 * applied ({@link ExifOrientation}): pixels, width and height are those of the image shown upright,
 * as browsers, labelling tools and OpenCV show it.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ImageDecoder {

    private final ImageLimits limits;

    public ImageDecoder(ImageLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public ImageLimits limits() {
        return limits;
    }

    /**
     * Reads format and dimensions from the header and checks every limit, without decoding pixels.
     */
    public ImageInfo probe(byte[] bytes) throws ImageRejectedException {
        checkBytes(bytes);
        try (ImageInputStream in =
                new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            ImageReader reader = readerFor(in);
            try {
                return upright(checkHeader(reader, bytes), ExifOrientation.of(bytes));
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new ImageRejectedException(
                    Reason.CORRUPT, "cannot read image header: " + e.getMessage(), e);
        }
    }

    /** Checks every limit, then decodes to 8-bit RGB following the class's pixel rule. */
    public RgbImage decode(byte[] bytes) throws ImageRejectedException {
        return decode(bytes, null).image();
    }

    /**
     * The smallest size (width, height) a consumer of the decoded pixels needs from a source of the
     * given size, e.g. the area a model's resize maps the source onto.
     */
    @FunctionalInterface
    public interface MinimumSize {
        int[] of(int sourceWidth, int sourceHeight);
    }

    /** Decoded pixels and the size of the image they were decoded from. */
    public record Decoded(RgbImage image, ImageInfo source) {

        /** The factor from source to decoded pixels per axis: {@code decoded / source}. */
        public double scaleX() {
            return (double) image.width() / source.width();
        }

        public double scaleY() {
            return (double) image.height() / source.height();
        }
    }

    /**
     * Like {@link #decode(byte[])}, but a JPEG may come out smaller than its source, decoded at a
     * reduced scale in the DCT domain (libjpeg-turbo, when installed), never smaller than {@code
     * minimum} asks for. {@code null}, other formats, and ImageIO decode at full size. With
     * libjpeg-turbo JPEGs decode through it at any size; the pixel rule is the same (both are
     * libjpeg decoders with the same default IDCT and upsampling).
     */
    public Decoded decode(byte[] bytes, MinimumSize minimum) throws ImageRejectedException {
        checkBytes(bytes);
        int orientation = ExifOrientation.of(bytes);
        boolean swap = ExifOrientation.swapsAxes(orientation);
        if (TurboJpeg.INSTANCE.isPresent()
                && bytes.length > 3
                && (bytes[0] & 0xFF) == 0xFF
                && (bytes[1] & 0xFF) == 0xD8
                && (bytes[2] & 0xFF) == 0xFF
                && limits.allowedFormats().contains(ImageFormat.JPEG)
                && !CmykJpeg.header(bytes).fourComponents()) {
            // libjpeg-turbo reads the header itself: the same checks, without an ImageIO reader.
            ImageInfo[] info = new ImageInfo[1];
            Optional<RgbImage> fast =
                    TurboJpeg.INSTANCE
                            .get()
                            .decode(
                                    bytes,
                                    (w, h) -> {
                                        info[0] = checkSize(ImageFormat.JPEG, w, h, bytes);
                                        if (minimum == null) {
                                            return new int[] {w, h};
                                        }
                                        // the consumer sizes the upright image
                                        if (!swap) {
                                            return minimum.of(w, h);
                                        }
                                        int[] m = minimum.of(h, w);
                                        return new int[] {m[1], m[0]};
                                    });
            if (fast.isPresent()) {
                return new Decoded(
                        ExifOrientation.apply(fast.get(), orientation),
                        upright(info[0], orientation));
            }
        }
        try (ImageInputStream in =
                new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            ImageReader reader = readerFor(in);
            try {
                ImageInfo info = checkHeader(reader, bytes);
                CmykJpeg.Header jpeg =
                        info.format() == ImageFormat.JPEG ? CmykJpeg.header(bytes) : null;
                RgbImage rgb;
                try {
                    rgb =
                            jpeg != null && jpeg.fourComponents()
                                    ? CmykJpeg.toRgb(
                                            reader.readRaster(0, null), jpeg.adobeTransform())
                                    : RgbImage.of(reader.read(0));
                } catch (IOException | RuntimeException e) {
                    // ImageIO signals broken entropy data and bad chunks with a mix of
                    // IIOException, IndexOutOfBounds and IllegalArgument: all mean the same here.
                    throw new ImageRejectedException(
                            Reason.CORRUPT, "cannot decode " + info.format() + " pixels: " + e, e);
                }
                return new Decoded(
                        ExifOrientation.apply(rgb, orientation), upright(info, orientation));
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new ImageRejectedException(
                    Reason.CORRUPT, "cannot read image: " + e.getMessage(), e);
        }
    }

    /** The size an image of this orientation shows at. */
    private static ImageInfo upright(ImageInfo info, int orientation) {
        return ExifOrientation.swapsAxes(orientation)
                ? new ImageInfo(info.format(), info.height(), info.width())
                : info;
    }

    /** Whether JPEGs decode through libjpeg-turbo in this JVM (else through ImageIO). */
    public static boolean turboJpeg() {
        return TurboJpeg.INSTANCE.isPresent();
    }

    /**
     * Decodes a label mask (segmentation ground truth): a PNG whose pixels are class ids, either
     * palette indices (the VOC convention, colours ignored) or grey values of 8 or 16 bits. 255 is
     * conventionally "ignore"; that is for the evaluator to decide, values are returned as stored.
     * Colour and lossy images are refused as {@link Reason#NOT_A_MASK}.
     */
    public LabelMap decodeLabels(byte[] bytes) throws ImageRejectedException {
        checkBytes(bytes);
        try (ImageInputStream in =
                new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            ImageReader reader = readerFor(in);
            try {
                ImageInfo info = checkHeader(reader, bytes);
                if (info.format() != ImageFormat.PNG) {
                    throw new ImageRejectedException(
                            Reason.NOT_A_MASK, "label masks must be PNG, got " + info.format());
                }
                // the band count is in the header: refuse a colour PNG before decoding its pixels
                var raw = reader.getRawImageType(0);
                if (raw != null
                        && !(raw.getColorModel() instanceof IndexColorModel)
                        && raw.getSampleModel(1, 1).getNumBands() != 1) {
                    throw new ImageRejectedException(
                            Reason.NOT_A_MASK,
                            "label masks must be palette or grey PNGs, this one has "
                                    + raw.getSampleModel(1, 1).getNumBands()
                                    + " channels");
                }
                BufferedImage image;
                try {
                    image = reader.read(0);
                } catch (IOException | RuntimeException e) {
                    throw new ImageRejectedException(
                            Reason.CORRUPT, "cannot decode PNG mask pixels: " + e, e);
                }
                boolean palette = image.getColorModel() instanceof IndexColorModel;
                if (!palette && image.getColorModel().getNumColorComponents() != 1) {
                    throw new ImageRejectedException(
                            Reason.NOT_A_MASK,
                            "label masks must be palette or grey PNGs, this one has colour"
                                    + " channels");
                }
                int w = image.getWidth();
                int h = image.getHeight();
                int[] labels = new int[w * h];
                image.getRaster().getSamples(0, 0, w, h, 0, labels);
                return new LabelMap(w, h, labels);
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new ImageRejectedException(
                    Reason.CORRUPT, "cannot read image: " + e.getMessage(), e);
        }
    }

    private void checkBytes(byte[] bytes) throws ImageRejectedException {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length == 0) {
            throw new ImageRejectedException(Reason.EMPTY, "image is empty (0 bytes)");
        }
        if (bytes.length > limits.maxBytes()) {
            throw new ImageRejectedException(
                    Reason.TOO_LARGE_BYTES,
                    "image is " + bytes.length + " bytes, limit is " + limits.maxBytes());
        }
    }

    private static ImageReader readerFor(ImageInputStream in) throws ImageRejectedException {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) {
            throw new ImageRejectedException(
                    Reason.UNRECOGNIZED, "bytes are not a recognised image format");
        }
        ImageReader reader = readers.next();
        reader.setInput(in, true, true);
        return reader;
    }

    private ImageInfo checkHeader(ImageReader reader, byte[] bytes) throws ImageRejectedException {
        String name;
        try {
            name = reader.getFormatName();
        } catch (IOException e) {
            throw new ImageRejectedException(
                    Reason.CORRUPT, "cannot read image format: " + e.getMessage(), e);
        }
        Optional<ImageFormat> format = ImageFormat.fromImageIoName(name);
        if (format.isEmpty() || !limits.allowedFormats().contains(format.get())) {
            throw new ImageRejectedException(
                    Reason.UNSUPPORTED_FORMAT,
                    "format " + name + " is not accepted; accepted: " + limits.allowedFormats());
        }
        int width;
        int height;
        try {
            width = reader.getWidth(0);
            height = reader.getHeight(0);
        } catch (IOException | RuntimeException e) {
            throw new ImageRejectedException(
                    Reason.CORRUPT,
                    "cannot read " + format.get() + " header: " + e.getMessage(),
                    e);
        }
        ImageInfo info = checkSize(format.get(), width, height, bytes);
        checkDecodedBytes(reader, info);
        return info;
    }

    /**
     * The pixel limit assumes 8-bit samples: an image within it can still decode to far more memory
     * (a 16-bit RGBA PNG takes 8 bytes a pixel). Decoded bytes (bits per pixel as stored × pixels)
     * may not exceed what {@code maxPixels} 8-bit RGBA pixels take, checked from the header before
     * decoding.
     */
    private void checkDecodedBytes(ImageReader reader, ImageInfo info)
            throws ImageRejectedException {
        int bitsPerPixel;
        try {
            var type = reader.getRawImageType(0);
            if (type == null) {
                var types = reader.getImageTypes(0);
                type = types.hasNext() ? types.next() : null;
            }
            if (type == null) {
                return;
            }
            var model = type.getSampleModel(1, 1);
            bitsPerPixel = 0;
            for (int b = 0; b < model.getNumBands(); b++) {
                bitsPerPixel += model.getSampleSize(b);
            }
        } catch (IOException | RuntimeException e) {
            throw new ImageRejectedException(
                    Reason.CORRUPT,
                    "cannot read " + info.format() + " header: " + e.getMessage(),
                    e);
        }
        long decoded =
                info.pixels() > Long.MAX_VALUE / 64
                        ? Long.MAX_VALUE
                        : info.pixels() * bitsPerPixel / 8;
        long budget =
                limits.maxPixels() > Long.MAX_VALUE / 4 ? Long.MAX_VALUE : limits.maxPixels() * 4;
        if (decoded > budget) {
            throw new ImageRejectedException(
                    Reason.TOO_MANY_PIXELS,
                    String.format(
                            java.util.Locale.ROOT,
                            "%dx%d at %d bits a pixel decodes to %d MB, more than the %d MB that"
                                    + " %d 8-bit RGBA pixels take",
                            info.width(),
                            info.height(),
                            bitsPerPixel,
                            decoded >> 20,
                            budget >> 20,
                            limits.maxPixels()));
        }
    }

    /** The checks that follow from the header's format and dimensions. */
    private ImageInfo checkSize(ImageFormat format, int width, int height, byte[] bytes)
            throws ImageRejectedException {
        if (width <= 0 || height <= 0) {
            throw new ImageRejectedException(
                    Reason.INVALID_DIMENSIONS, "header claims " + width + "x" + height + " pixels");
        }
        ImageInfo info = new ImageInfo(format, width, height);
        if (info.pixels() > limits.maxPixels()) {
            throw new ImageRejectedException(
                    Reason.TOO_MANY_PIXELS,
                    "header claims "
                            + width
                            + "x"
                            + height
                            + " = "
                            + info.pixels()
                            + " pixels, limit is "
                            + limits.maxPixels());
        }
        if (info.format() == ImageFormat.JPEG && !jpegComplete(bytes)) {
            throw new ImageRejectedException(
                    Reason.TRUNCATED, "JPEG has no end-of-image marker after its last scan");
        }
        if (info.format() == ImageFormat.PNG && !pngComplete(bytes)) {
            throw new ImageRejectedException(Reason.TRUNCATED, "PNG has no IEND chunk");
        }
        if (info.format() == ImageFormat.WEBP && !webpComplete(bytes)) {
            throw new ImageRejectedException(
                    Reason.TRUNCATED, "WebP is shorter than its RIFF header says");
        }
        return info;
    }

    /**
     * True when an EOI marker (FF D9) follows the last start-of-scan marker (FF DA). Inside
     * entropy-coded data FF is always followed by 00 or a restart marker, so neither pair can occur
     * there by chance; embedded EXIF thumbnails come before the main image's scans and do not
     * confuse the check. Reads the header up to the first scan and the file backwards from its end
     * to the last of either marker, not the entropy-coded data in between.
     */
    static boolean jpegComplete(byte[] b) {
        int firstSos = -1;
        for (int i = 0; i + 1 < b.length; i++) {
            if (b[i] == (byte) 0xFF && b[i + 1] == (byte) 0xDA) {
                firstSos = i;
                break;
            }
        }
        if (firstSos < 0) {
            return false;
        }
        for (int i = b.length - 2; i > firstSos; i--) {
            if (b[i] == (byte) 0xFF) {
                if (b[i + 1] == (byte) 0xD9) {
                    return true;
                }
                if (b[i + 1] == (byte) 0xDA) {
                    return false;
                }
            }
        }
        return false;
    }

    /**
     * True when the file holds at least the bytes its RIFF header declares ({@code RIFF}, the
     * little-endian size of what follows, {@code WEBP}); trailing bytes after it are allowed, as
     * decoders ignore them.
     */
    static boolean webpComplete(byte[] b) {
        if (b.length < 12) {
            return false;
        }
        long size =
                (b[4] & 0xFFL) | (b[5] & 0xFFL) << 8 | (b[6] & 0xFFL) << 16 | (b[7] & 0xFFL) << 24;
        return size >= 4 && b.length >= size + 8;
    }

    /** True when the chunk type {@code IEND} occurs in the data (searched from the end). */
    static boolean pngComplete(byte[] b) {
        for (int i = b.length - 4; i >= 8; i--) {
            if (b[i] == 'I' && b[i + 1] == 'E' && b[i + 2] == 'N' && b[i + 3] == 'D') {
                return true;
            }
        }
        return false;
    }
}
