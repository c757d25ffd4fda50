package io.streamtune.vision.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamtune.testkit.ExifImages;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class WebpTest {

    /**
     * Eight 8x8 colour blocks ({@link TestImages#BLOCKS}, rows of four), 32x16, as ImageMagick 6.9
     * (libwebp 1.2.4) writes WebP: {@code convert blocks.png -define webp:lossless=true -strip}
     * (VP8L).
     */
    private static final byte[] LOSSLESS =
            Base64.getDecoder()
                    .decode(
                            "UklGRm4AAABXRUJQVlA4TGEAAAAvH8ADAD+gppEUyMSJuPIBGfgXgAIqtJBpQLwmmwQSyiWBy60m"
                                    + "ACFILFGMQhov0hth/uP29zSFVyMDNkE6xcCatq1AKaSQQgoppDAK4w/Q/z4R/Y+FH6f6qvdm"
                                    + "tauBi/cAAA==");

    /** The same blocks, lossy: {@code convert blocks.png -quality 90 -strip} (VP8). */
    private static final byte[] LOSSY =
            Base64.getDecoder()
                    .decode(
                            "UklGRlgAAABXRUJQVlA4IEwAAABQAgCdASogABAAAMASJaACdMvaBD4B+AAEKtAA/vB1//+w"
                                    + "K6wv//vPh//Owad3eJX/+48s1tTKv/96Qf/1un//9v/xYNS2v9Hw0AAA");

    /** The same blocks with alpha 0.5 on the right half, lossless. */
    private static final byte[] ALPHA =
            Base64.getDecoder()
                    .decode(
                            "UklGRmwAAABXRUJQVlA4TGAAAAAvH8ADED+gpI0kiC9evBqeOxkn98SSaUC85naLIJCEAghI"
                                    + "JmAhxMI5BRVABHEEBEXTPRcU43iLuC7HhmG7ZmBN21agFFJIIYUUUhiF8Qfof5+I/ses"
                                    + "fpzqq95bGNjVxXs=");

    private final ImageDecoder decoder = new ImageDecoder(ImageLimits.defaults());

    @Test
    void shouldDecodeLosslessWebpExactly() throws Exception {
        assertThat(decoder.probe(LOSSLESS)).isEqualTo(new ImageInfo(ImageFormat.WEBP, 32, 16));
        TestImages.assertBlocks(decoder.decode(LOSSLESS), 0);
    }

    @Test
    void shouldDecodeLossyWebpToTheColoursItShows() throws Exception {
        assertThat(decoder.probe(LOSSY)).isEqualTo(new ImageInfo(ImageFormat.WEBP, 32, 16));
        TestImages.assertBlocks(decoder.decode(LOSSY), 8);
    }

    @Test
    void shouldDropAlphaAsForEveryOtherFormat() throws Exception {
        TestImages.assertBlocks(decoder.decode(ALPHA), 0);
    }

    @Test
    void shouldDecodeTheFirstFrameOfAnAnimation() throws Exception {
        // ImageMagick: a red 16x8 frame, then a blue one (VP8X, ANIM, two ANMF chunks)
        byte[] animation =
                Base64.getDecoder()
                        .decode(
                                "UklGRogAAABXRUJQVlA4WAoAAAACAAAADwAABwAAQU5JTQYAAAD/////AABBTk1GKgAAAAAA"
                                        + "AAAAAA8AAAcAAGQAAAJWUDhMEQAAAC8PwAEAB1CPIhel/4GI6H8AAEFOTUYqAAAAAAAA"
                                        + "AAAADwAABwAAZAAAAFZQOEwRAAAALw/AAQAHUJ56FLn/gYjofwAAUklGRh4AAABXRUJQ"
                                        + "VlA4TBEAAAAvD8ABAAdQjyIXpf+BiOh/AAA=");

        RgbImage first = decoder.decode(animation);

        assertThat(first.width()).isEqualTo(16);
        assertThat(first.height()).isEqualTo(8);
        assertThat(first.pixels()[0] & 0xFF).isEqualTo(200);
        assertThat(first.pixels()[2] & 0xFF).isEqualTo(40);
    }

    @Test
    void shouldRefuseATruncatedWebp() {
        byte[] cut = Arrays.copyOf(LOSSY, LOSSY.length - 20);

        assertThatThrownBy(() -> decoder.decode(cut))
                .isInstanceOfSatisfying(
                        ImageRejectedException.class,
                        e ->
                                assertThat(e.reason())
                                        .isEqualTo(ImageRejectedException.Reason.TRUNCATED))
                .hasMessageContaining("WebP");
        assertThat(ImageDecoder.webpComplete(LOSSY)).isTrue();
        assertThat(ImageDecoder.webpComplete(Arrays.copyOf(LOSSY, 11))).isFalse();
    }

    @Test
    void shouldRefuseWebpWhereTheLimitsDoNotAcceptIt() {
        ImageDecoder jpegAndPng =
                new ImageDecoder(
                        new ImageLimits(
                                1 << 20, 1 << 20, EnumSet.of(ImageFormat.JPEG, ImageFormat.PNG)));

        assertThatThrownBy(() -> jpegAndPng.decode(LOSSLESS))
                .isInstanceOfSatisfying(
                        ImageRejectedException.class,
                        e ->
                                assertThat(e.reason())
                                        .isEqualTo(
                                                ImageRejectedException.Reason.UNSUPPORTED_FORMAT));
    }

    @Test
    void shouldRefuseCorruptWebpData() {
        byte[] broken = LOSSY.clone();
        for (int i = 30; i < broken.length; i++) {
            broken[i] = (byte) 0xFF;
        }

        assertThatThrownBy(() -> decoder.decode(broken)).isInstanceOf(ImageRejectedException.class);
    }

    @Test
    void shouldShowAWebpUprightAsItsExifSays() throws Exception {
        byte[] turned = ExifImages.webpWithOrientation(LOSSLESS, 32, 16, 6);

        assertThat(ExifOrientation.of(turned)).isEqualTo(6);
        RgbImage shown = decoder.decode(turned);
        assertThat(shown.width()).isEqualTo(16);
        assertThat(shown.height()).isEqualTo(32);
        assertThat(shown.pixels())
                .isEqualTo(ExifOrientation.apply(decoder.decode(LOSSLESS), 6).pixels());
        assertThat(decoder.probe(turned)).isEqualTo(new ImageInfo(ImageFormat.WEBP, 16, 32));
    }
}
