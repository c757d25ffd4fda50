package io.streamtune.vision.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamtune.vision.image.ImageRejectedException.Reason;
import io.streamtune.vision.mask.LabelMap;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class ImageDecoderTest {

    private final ImageDecoder decoder = new ImageDecoder(ImageLimits.defaults());

    @Test
    void shouldDecodeValidJpegToRgb() throws Exception {
        byte[] jpeg = TestImages.encode(TestImages.solid(40, 30, 0xC83214), "jpg");

        RgbImage image = decoder.decode(jpeg);

        assertThat(image.width()).isEqualTo(40);
        assertThat(image.height()).isEqualTo(30);
        assertThat(image.get(20, 15, 0)).isCloseTo(0xC8, org.assertj.core.data.Offset.offset(4));
        assertThat(image.get(20, 15, 1)).isCloseTo(0x32, org.assertj.core.data.Offset.offset(4));
        assertThat(image.get(20, 15, 2)).isCloseTo(0x14, org.assertj.core.data.Offset.offset(4));
    }

    @Test
    void shouldDecodeValidPngExactly() throws Exception {
        BufferedImage source = TestImages.noise(17, 9, 7);
        byte[] png = TestImages.encode(source, "png");

        RgbImage image = decoder.decode(png);

        assertThat(image.width()).isEqualTo(17);
        assertThat(image.height()).isEqualTo(9);
        for (int y = 0; y < 9; y++) {
            for (int x = 0; x < 17; x++) {
                int rgb = source.getRGB(x, y);
                assertThat(image.get(x, y, 0)).isEqualTo((rgb >> 16) & 0xFF);
                assertThat(image.get(x, y, 1)).isEqualTo((rgb >> 8) & 0xFF);
                assertThat(image.get(x, y, 2)).isEqualTo(rgb & 0xFF);
            }
        }
    }

    @Test
    void shouldProbeHeaderWithoutDecoding() throws Exception {
        byte[] jpeg = TestImages.encode(TestImages.noise(64, 48, 1), "jpg");

        ImageInfo info = decoder.probe(jpeg);

        assertThat(info).isEqualTo(new ImageInfo(ImageFormat.JPEG, 64, 48));
    }

    @Test
    void shouldRejectTruncatedJpeg() {
        byte[] jpeg = TestImages.encode(TestImages.noise(64, 48, 2), "jpg");
        byte[] truncated = Arrays.copyOf(jpeg, jpeg.length * 6 / 10);

        assertThatThrownBy(() -> decoder.decode(truncated))
                .isInstanceOfSatisfying(
                        ImageRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.TRUNCATED));
    }

    @Test
    void shouldRejectJpegMissingOnlyItsEndMarker() {
        byte[] jpeg = TestImages.encode(TestImages.noise(64, 48, 3), "jpg");
        byte[] truncated = Arrays.copyOf(jpeg, jpeg.length - 2);

        assertThatThrownBy(() -> decoder.decode(truncated))
                .isInstanceOfSatisfying(
                        ImageRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.TRUNCATED));
    }

    @Test
    void shouldJudgeJpegCompletenessByTheLastScanAndEndMarkers() {
        byte[] header = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 4, 1, 2};
        byte[] scan = {(byte) 0xFF, (byte) 0xDA, 5, (byte) 0xFF, 0, 7, (byte) 0xFF, (byte) 0xD3};
        byte[] eoi = {(byte) 0xFF, (byte) 0xD9};
        byte[] garbage = {9, 9, 9};

        assertThat(ImageDecoder.jpegComplete(concat(header, scan, eoi))).isTrue();
        assertThat(ImageDecoder.jpegComplete(concat(header, scan, eoi, garbage))).isTrue();
        assertThat(ImageDecoder.jpegComplete(concat(header, scan, scan, eoi))).isTrue();
        assertThat(ImageDecoder.jpegComplete(concat(header, scan))).isFalse();
        assertThat(ImageDecoder.jpegComplete(concat(header, scan, eoi, scan))).isFalse();
        assertThat(ImageDecoder.jpegComplete(concat(header, eoi))).isFalse();
    }

    private static byte[] concat(byte[]... parts) {
        var out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void shouldRejectTruncatedPng() {
        byte[] png = TestImages.encode(TestImages.noise(64, 48, 4), "png");
        byte[] truncated = Arrays.copyOf(png, png.length / 2);

        assertThatThrownBy(() -> decoder.decode(truncated))
                .isInstanceOfSatisfying(
                        ImageRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.TRUNCATED));
    }

    @Test
    void shouldRejectZeroBytes() {
        assertThatThrownBy(() -> decoder.decode(new byte[0]))
                .isInstanceOfSatisfying(
                        ImageRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.EMPTY));
    }

    @Test
    void shouldRejectPngClaimingFiftyThousandSquaredPixelsBeforeDecoding() throws Exception {
        byte[] bomb = TestImages.pngWithHeader(50_000, 50_000);
        ImageDecoder unlimited =
                new ImageDecoder(
                        new ImageLimits(
                                ImageLimits.DEFAULT_MAX_BYTES,
                                Long.MAX_VALUE,
                                EnumSet.of(ImageFormat.PNG)));

        ImageInfo claimed = unlimited.probe(bomb);

        assertThat(claimed.pixels()).isEqualTo(2_500_000_000L);
        assertThatThrownBy(() -> decoder.decode(bomb))
                .isInstanceOfSatisfying(
                        ImageRejectedException.class,
                        e -> {
                            assertThat(e.reason()).isEqualTo(Reason.TOO_MANY_PIXELS);
                            assertThat(e.getMessage()).contains("50000x50000");
                        });
    }

    @Test
    void shouldRejectNonImageBytes() {
        byte[] text = "this is a text file with a .jpg name".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> decoder.decode(text))
                .isInstanceOfSatisfying(
                        ImageRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNRECOGNIZED));
    }

    @Test
    void shouldRejectFormatsNotAllowed() {
        byte[] gif = TestImages.encode(TestImages.solid(8, 8, 0x123456), "gif");

        assertThatThrownBy(() -> decoder.decode(gif))
                .isInstanceOfSatisfying(
                        ImageRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_FORMAT));
    }

    @Test
    void shouldRejectMoreBytesThanTheLimit() {
        byte[] png = TestImages.encode(TestImages.noise(32, 32, 5), "png");
        ImageDecoder strict =
                new ImageDecoder(new ImageLimits(100, 1_000_000, EnumSet.of(ImageFormat.PNG)));

        assertThatThrownBy(() -> strict.decode(png))
                .isInstanceOfSatisfying(
                        ImageRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE_BYTES));
    }

    @Test
    void shouldRejectPngWithGarbledPixelData() {
        byte[] png = TestImages.pngWithHeader(8, 8);

        assertThatThrownBy(() -> decoder.decode(png))
                .isInstanceOfSatisfying(
                        ImageRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.CORRUPT));
    }

    @Test
    void shouldAcceptSixteenBitRgbPngKeepingTheHighByte() throws Exception {
        ComponentColorModel cm =
                new ComponentColorModel(
                        ColorSpace.getInstance(ColorSpace.CS_sRGB),
                        false,
                        false,
                        Transparency.OPAQUE,
                        DataBuffer.TYPE_USHORT);
        WritableRaster raster = cm.createCompatibleWritableRaster(3, 2);
        raster.setPixel(0, 0, new int[] {0xABCD, 0x1234, 0xFFFF});
        raster.setPixel(2, 1, new int[] {0x0101 * 200, 0, 0x00FF});
        byte[] png = TestImages.encode(new BufferedImage(cm, raster, false, null), "png");

        RgbImage image = decoder.decode(png);

        assertThat(png[24]).as("IHDR bit depth").isEqualTo((byte) 16);
        assertThat(new int[] {image.get(0, 0, 0), image.get(0, 0, 1), image.get(0, 0, 2)})
                .containsExactly(0xAB, 0x12, 0xFF);
        assertThat(new int[] {image.get(2, 1, 0), image.get(2, 1, 1), image.get(2, 1, 2)})
                .containsExactly(200, 0, 0);
    }

    @Test
    void shouldAcceptSixteenBitGreyPngAsReplicatedRgb() throws Exception {
        BufferedImage grey = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
        grey.getRaster().setSample(0, 0, 0, 0x8040);
        grey.getRaster().setSample(1, 0, 0, 0x0101 * 17);
        byte[] png = TestImages.encode(grey, "png");

        RgbImage image = decoder.decode(png);

        assertThat(png[24]).as("IHDR bit depth").isEqualTo((byte) 16);
        assertThat(new int[] {image.get(0, 0, 0), image.get(0, 0, 1), image.get(0, 0, 2)})
                .containsExactly(0x80, 0x80, 0x80);
        assertThat(image.get(1, 0, 1)).isEqualTo(17);
    }

    @Test
    void shouldAcceptPalettePngExpandedThroughItsPalette() throws Exception {
        byte[] r = {0, (byte) 255, 10, 0};
        byte[] g = {0, 0, 20, (byte) 255};
        byte[] b = {0, 0, 30, 0};
        IndexColorModel palette = new IndexColorModel(2, 4, r, g, b);
        BufferedImage indexed = new BufferedImage(4, 1, BufferedImage.TYPE_BYTE_BINARY, palette);
        for (int x = 0; x < 4; x++) {
            indexed.getRaster().setSample(x, 0, 0, x);
        }
        byte[] png = TestImages.encode(indexed, "png");

        RgbImage image = decoder.decode(png);

        assertThat(png[25]).as("IHDR colour type").isEqualTo((byte) 3);
        assertThat(new int[] {image.get(1, 0, 0), image.get(1, 0, 1), image.get(1, 0, 2)})
                .containsExactly(255, 0, 0);
        assertThat(new int[] {image.get(2, 0, 0), image.get(2, 0, 1), image.get(2, 0, 2)})
                .containsExactly(10, 20, 30);
        assertThat(image.get(3, 0, 1)).isEqualTo(255);
    }

    @Test
    void shouldAcceptJpegWithBytesAfterItsEndMarker() throws Exception {
        byte[] jpeg = TestImages.encode(TestImages.noise(16, 16, 8), "jpg");
        byte[] padded = Arrays.copyOf(jpeg, jpeg.length + 32);

        RgbImage image = decoder.decode(padded);

        assertThat(image.width()).isEqualTo(16);
    }

    @Test
    void shouldDecodePaletteMaskAsIndicesNotColours() throws Exception {
        byte[] r = new byte[256];
        byte[] g = new byte[256];
        byte[] b = new byte[256];
        r[1] = (byte) 128;
        g[2] = (byte) 128;
        r[255] = g[255] = b[255] = (byte) 224;
        IndexColorModel palette = new IndexColorModel(8, 256, r, g, b);
        BufferedImage mask = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_INDEXED, palette);
        int[] values = {0, 1, 2, 255, 1, 0};
        mask.getRaster().setSamples(0, 0, 3, 2, 0, values);
        byte[] png = TestImages.encode(mask, "png");

        LabelMap labels = decoder.decodeLabels(png);

        assertThat(png[25]).as("IHDR colour type").isEqualTo((byte) 3);
        assertThat(labels.width()).isEqualTo(3);
        assertThat(labels.labels()).containsExactly(0, 1, 2, 255, 1, 0);
    }

    @Test
    void shouldDecodeGreyMaskValuesAsLabels() throws Exception {
        BufferedImage mask = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY);
        mask.getRaster().setSamples(0, 0, 2, 2, 0, new int[] {3, 0, 255, 7});

        LabelMap labels = decoder.decodeLabels(TestImages.encode(mask, "png"));

        assertThat(labels.labels()).containsExactly(3, 0, 255, 7);
    }

    @Test
    void shouldRefuseColourAndJpegMasks() {
        byte[] colour = TestImages.encode(TestImages.noise(4, 4, 9), "png");
        byte[] jpeg = TestImages.encode(TestImages.noise(4, 4, 9), "jpg");

        assertThatThrownBy(() -> decoder.decodeLabels(colour))
                .isInstanceOfSatisfying(
                        ImageRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.NOT_A_MASK));
        assertThatThrownBy(() -> decoder.decodeLabels(jpeg))
                .isInstanceOfSatisfying(
                        ImageRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.NOT_A_MASK));
    }

    @Test
    void shouldConvertBufferedImagesByTheSameRuleAsDecoding() throws Exception {
        BufferedImage grey = new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(0, 0, 0, 100);

        RgbImage direct = RgbImage.of(grey);
        RgbImage decoded = decoder.decode(TestImages.encode(grey, "png"));

        // Samples as stored: no linear-to-sRGB brightening of grey.
        assertThat(direct.pixels()).containsExactly(100, 100, 100);
        assertThat(decoded.pixels()).containsExactly(direct.pixels());
    }

    @Test
    void shouldRefuseAnImageThatDecodesToMoreBytesThanThePixelLimitAllowsBeforeDecodingIt()
            throws Exception {
        var decoder =
                new ImageDecoder(
                        new ImageLimits(10_000_000, 10_000, java.util.EnumSet.of(ImageFormat.PNG)));
        // 100x80 = 8000 pixels, within 10 000; 16-bit RGBA takes 64 000 bytes, over 40 000
        var cm =
                new java.awt.image.ComponentColorModel(
                        java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_sRGB),
                        true,
                        false,
                        java.awt.Transparency.TRANSLUCENT,
                        java.awt.image.DataBuffer.TYPE_USHORT);
        var deep =
                new java.awt.image.BufferedImage(
                        cm, cm.createCompatibleWritableRaster(100, 80), false, null);
        var out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(deep, "png", out);
        var shallow =
                new java.awt.image.BufferedImage(
                        100, 80, java.awt.image.BufferedImage.TYPE_INT_RGB);
        var ok = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(shallow, "png", ok);

        assertThatThrownBy(() -> decoder.decode(out.toByteArray()))
                .isInstanceOf(ImageRejectedException.class)
                .hasMessageContaining("100x80 at 64 bits a pixel");
        assertThat(decoder.decode(ok.toByteArray()).width()).isEqualTo(100);
    }
}
