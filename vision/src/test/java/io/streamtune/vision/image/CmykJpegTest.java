package io.streamtune.vision.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class CmykJpegTest {

    /**
     * A 32x16 JPEG of eight 8x8 colour blocks ({@link TestImages#BLOCKS}, rows of four), written by
     * ImageMagick 6.9 as print workflows write CMYK: {@code convert blocks.png -colorspace CMYK
     * -quality 95 -sampling-factor 1x1 -strip} — four components, stored as YCCK (Adobe APP14,
     * transform 2).
     */
    private static final byte[] YCCK =
            Base64.getDecoder()
                    .decode(
                            "/9j/7gAOQWRvYmUAZAAAAAAC/9sAQwACAQEBAQECAQEBAgICAgIEAwICAgIFBAQDBAYFBgYGBQYGBgcJ"
                                    + "CAYHCQcGBggLCAkKCgoKCgYICwwLCgwJCgoK/9sAQwECAgICAgIFAwMFCgcGBwoKCgoKCgoKCgoKCgoK"
                                    + "CgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoK/8AAFAgAEAAgBAERAAIRAQMRAQQRAP/E"
                                    + "ABgAAQADAQAAAAAAAAAAAAAAAAkHCAoA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/EABgBAAMBAQAAAAAA"
                                    + "AAAAAAAAAAcICQAK/8QAFBEBAAAAAAAAAAAAAAAAAAAAAP/aAA4EAQACEQMRBAAAPwCXB4RTJAN8WHYA"
                                    + "i8tDmvJmlBlbWALuN9ZRYgFzMK1o7jQxbuZm3Aih5Cdgff/Z");

    @Test
    void shouldReadTheFrameAndAdobeSegmentOfACmykJpeg() {
        CmykJpeg.Header header = CmykJpeg.header(YCCK);

        assertThat(header.components()).isEqualTo(4);
        assertThat(header.adobeTransform()).isEqualTo(2);
        assertThat(CmykJpeg.header(Jpeg.encode(new RgbImage(8, 8, new byte[192]), 0.9f)))
                .isEqualTo(new CmykJpeg.Header(3, CmykJpeg.NO_ADOBE));
    }

    @Test
    void shouldDecodeAYcckJpegToTheColoursItShows() throws Exception {
        RgbImage image = new ImageDecoder(ImageLimits.defaults()).decode(YCCK);

        // ImageIO's own CMYK conversion is off by up to 60 here (washed out)
        TestImages.assertBlocks(image, 4);
    }

    @Test
    void shouldConvertAdobeInvertedAndPlainCmyk() {
        // C, M, Y, K = 0, 35, 55, 99 (as a person reads them): shown as 156, 135, 122
        Raster adobe = raster(255, 220, 200, 156);
        Raster plain = raster(0, 35, 55, 99);

        RgbImage fromAdobe = CmykJpeg.toRgb(adobe, 0);
        RgbImage fromPlain = CmykJpeg.toRgb(plain, CmykJpeg.NO_ADOBE);

        assertThat(fromAdobe.pixels()).containsExactly(156, 135, 122);
        assertThat(fromPlain.pixels()).containsExactly(156, 135, 122);
    }

    private static Raster raster(int c, int m, int y, int k) {
        WritableRaster r = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 1, 1, 4, null);
        r.setPixel(0, 0, new int[] {c, m, y, k});
        return r;
    }
}
