package io.streamtune.vision.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class CmykJpegTest {

    /**
     * A 32x16 JPEG of eight 8x8 colour blocks ({@link #BLOCKS}, rows of four), written by
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

    private static final int[][] BLOCKS = {
        {200, 30, 40}, {40, 180, 60}, {30, 60, 200}, {128, 128, 128},
        {230, 210, 40}, {20, 20, 20}, {240, 240, 240}, {120, 80, 40}
    };

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

        assertThat(image.width()).isEqualTo(32);
        assertThat(image.height()).isEqualTo(16);
        for (int b = 0; b < BLOCKS.length; b++) {
            int x = (b % 4) * 8 + 4;
            int y = (b / 4) * 8 + 4;
            int o = (y * 32 + x) * 3;
            for (int c = 0; c < 3; c++) {
                // ImageIO's own CMYK conversion is off by up to 60 here (washed out)
                assertThat(image.pixels()[o + c] & 0xFF)
                        .as("block %d channel %d", b, c)
                        .isBetween(BLOCKS[b][c] - 4, BLOCKS[b][c] + 4);
            }
        }
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
