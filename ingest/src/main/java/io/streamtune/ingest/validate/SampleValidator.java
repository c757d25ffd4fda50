package io.streamtune.ingest.validate;

import io.streamtune.contracts.Label;
import io.streamtune.contracts.Names;
import io.streamtune.vision.image.ImageDecoder;
import io.streamtune.vision.image.ImageFormat;
import io.streamtune.vision.image.ImageInfo;
import io.streamtune.vision.image.ImageRejectedException;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Objects;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Checks a labelled image before acceptance. Image limits (bytes, then pixels from the header) are
 * enforced before any pixel is decoded, by {@link ImageDecoder}; then, with {@link
 * ImageCheck#DECODE}, the pixels are decoded. Labels: class names by the {@link ClassRegistry},
 * boxes inside the image with positive area, masks an 8-bit single-channel PNG of the image's size
 * whose values are class indices or 255 (ignore).
 *
 * <p>Pixel rule for images (inherited from {@link ImageDecoder}): 16-bit PNGs and palette PNGs are
 * accepted and stored as sent; they decode to 8-bit RGB (16-bit keeps the high byte, palettes
 * expand). Masks are different: their values are class indices, so a palette mask is read by index
 * (never by colour) and a 16-bit mask is refused as {@link RejectReason#BAD_MASK}.
 *
 * <p>Thread-safe.
 */
public final class SampleValidator {

    /** Largest number of objects one detection label may hold. */
    private final int maxObjects;

    private final ImageDecoder decoder;
    private final ImageCheck check;
    private final ClassRegistry classes;

    public SampleValidator(
            ImageDecoder decoder, ImageCheck check, ClassRegistry classes, int maxObjects) {
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        this.check = Objects.requireNonNull(check, "check");
        this.classes = Objects.requireNonNull(classes, "classes");
        this.maxObjects = maxObjects;
    }

    /** Validates one sample; the returned value carries its ids and dimensions. */
    public ValidatedSample validate(String model, byte[] image, Label label)
            throws SampleRejectedException {
        return validate(model, image, label, null);
    }

    /**
     * Like {@link #validate(String, byte[], Label)}, reusing the image's SHA-256 (lower-case hex)
     * when the caller already computed it ({@code null}: computed here).
     */
    public ValidatedSample validate(String model, byte[] image, Label label, String sha256Hex)
            throws SampleRejectedException {
        try {
            Names.requireModelName(model);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new SampleRejectedException(
                    RejectReason.MALFORMED_RECORD, String.valueOf(e.getMessage()));
        }
        if (label == null) {
            throw new SampleRejectedException(RejectReason.MALFORMED_RECORD, "label is missing");
        }
        ImageInfo info = checkImage(image);
        checkLabel(model, label, info.width(), info.height());
        return new ValidatedSample(
                model,
                sha256Hex != null ? sha256Hex : Digests.sha256Hex(image),
                image,
                mediaType(info.format()),
                info.width(),
                info.height(),
                label,
                Digests.labelHash(label));
    }

    /** The largest accepted image, in bytes. */
    public long maxImageBytes() {
        return decoder.limits().maxBytes();
    }

    /** Reads format and size from the header and checks the limits, without decoding pixels. */
    public ImageInfo probe(byte[] image) throws SampleRejectedException {
        if (image == null || image.length == 0) {
            throw new SampleRejectedException(RejectReason.EMPTY_IMAGE, "image is empty (0 bytes)");
        }
        try {
            return decoder.probe(image);
        } catch (ImageRejectedException e) {
            throw new SampleRejectedException(map(e.reason()), e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new SampleRejectedException(
                    RejectReason.CORRUPT_IMAGE, "cannot read image header: " + e, e);
        }
    }

    /**
     * Checks image bytes alone: limits from the header, then decodability per {@link ImageCheck}.
     */
    public ImageInfo checkImage(byte[] image) throws SampleRejectedException {
        if (image == null || image.length == 0) {
            throw new SampleRejectedException(RejectReason.EMPTY_IMAGE, "image is empty (0 bytes)");
        }
        try {
            ImageInfo info = decoder.probe(image);
            if (check == ImageCheck.DECODE) {
                decoder.decode(image);
            }
            return info;
        } catch (ImageRejectedException e) {
            throw new SampleRejectedException(map(e.reason()), e.getMessage(), e);
        } catch (RuntimeException e) {
            // ImageIO plugins throw unchecked exceptions on some malformed inputs.
            throw new SampleRejectedException(
                    RejectReason.CORRUPT_IMAGE, "cannot decode image: " + e, e);
        }
    }

    private static RejectReason map(ImageRejectedException.Reason reason) {
        return switch (reason) {
            case EMPTY -> RejectReason.EMPTY_IMAGE;
            case TOO_LARGE_BYTES -> RejectReason.TOO_LARGE;
            case TOO_MANY_PIXELS -> RejectReason.TOO_MANY_PIXELS;
            case UNRECOGNIZED, UNSUPPORTED_FORMAT -> RejectReason.UNSUPPORTED_FORMAT;
            default -> RejectReason.CORRUPT_IMAGE;
        };
    }

    private static String mediaType(ImageFormat format) {
        return switch (format) {
            case JPEG -> "image/jpeg";
            case PNG -> "image/png";
            default -> "image/" + format.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private void checkLabel(String model, Label label, int width, int height)
            throws SampleRejectedException {
        if (label instanceof Label.ClassLabel c) {
            classes.check(model, c.className());
        } else if (label instanceof Label.BoxesLabel b) {
            {
                if (b.objects().size() > maxObjects) {
                    throw new SampleRejectedException(
                            RejectReason.BAD_LABEL,
                            b.objects().size()
                                    + " objects in one label, limit is "
                                    + maxObjects
                                    + " (label.max.objects)");
                }
                for (int i = 0; i < b.objects().size(); i++) {
                    Label.BoxedObject o = b.objects().get(i);
                    var box = o.box();
                    if (box.width() <= 0 || box.height() <= 0) {
                        throw new SampleRejectedException(
                                RejectReason.BOX_ZERO_AREA,
                                "object " + i + " (" + o.className() + ") has an empty box " + box);
                    }
                    if (!box.isInside(width, height)) {
                        throw new SampleRejectedException(
                                RejectReason.BOX_OUT_OF_BOUNDS,
                                "object "
                                        + i
                                        + " ("
                                        + o.className()
                                        + ") box "
                                        + box
                                        + " is not inside the "
                                        + width
                                        + "x"
                                        + height
                                        + " image");
                    }
                    classes.check(model, o.className());
                }
            }
        } else if (label instanceof Label.MaskLabel m) {
            checkMask(m, width, height);
            for (String name : m.classes()) {
                classes.check(model, name);
            }
        }
    }

    /**
     * Mask: PNG, the image's size (from the header, before decoding), one 8-bit (or less) channel,
     * values in range.
     */
    private void checkMask(Label.MaskLabel mask, int width, int height)
            throws SampleRejectedException {
        byte[] png = mask.png();
        if (png.length > decoder.limits().maxBytes()) {
            throw new SampleRejectedException(
                    RejectReason.TOO_LARGE,
                    "mask is " + png.length + " bytes, limit is " + decoder.limits().maxBytes());
        }
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(png))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new SampleRejectedException(RejectReason.BAD_MASK, "mask is not a PNG");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                if (!"png".equalsIgnoreCase(reader.getFormatName())) {
                    throw new SampleRejectedException(
                            RejectReason.BAD_MASK,
                            "mask must be a PNG, was " + reader.getFormatName());
                }
                int mw = reader.getWidth(0);
                int mh = reader.getHeight(0);
                if (mw != width || mh != height) {
                    throw new SampleRejectedException(
                            RejectReason.MASK_SIZE_MISMATCH,
                            "mask is " + mw + "x" + mh + ", image is " + width + "x" + height);
                }
                Raster raster = reader.read(0).getRaster();
                if (raster.getNumBands() != 1 || raster.getSampleModel().getSampleSize(0) > 8) {
                    throw new SampleRejectedException(
                            RejectReason.BAD_MASK,
                            "mask must be a single-channel PNG of at most 8 bits (grey or indexed), was "
                                    + raster.getNumBands()
                                    + " channel(s) of "
                                    + raster.getSampleModel().getSampleSize(0)
                                    + " bits");
                }
                int classCount = mask.classes().size();
                int[] row = new int[mw];
                for (int y = 0; y < mh; y++) {
                    raster.getSamples(0, y, mw, 1, 0, row);
                    for (int x = 0; x < mw; x++) {
                        int v = row[x];
                        if (v >= classCount && v != 255) {
                            throw new SampleRejectedException(
                                    RejectReason.BAD_MASK,
                                    "mask value "
                                            + v
                                            + " at ("
                                            + x
                                            + ","
                                            + y
                                            + ") is not a class index (0.."
                                            + (classCount - 1)
                                            + ") or 255 (ignore)");
                        }
                    }
                }
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new SampleRejectedException(
                    RejectReason.BAD_MASK, "cannot read mask PNG: " + e.getMessage(), e);
        }
    }
}
