package io.streamtune.vision.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/** Encoded test images built in memory. */
final class TestImages {

    private TestImages() {}

    static byte[] encode(BufferedImage image, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no writer for " + format + " and " + image);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static BufferedImage noise(int width, int height, long seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        return image;
    }

    static BufferedImage solid(int width, int height, int rgb) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        return image;
    }

    /** A PNG signature, an IHDR claiming the given size (valid CRC), one tiny IDAT and IEND. */
    static byte[] pngWithHeader(int width, int height) {
        ByteBuffer ihdr = ByteBuffer.allocate(13);
        ihdr.putInt(width)
                .putInt(height)
                .put((byte) 8)
                .put((byte) 2)
                .put((byte) 0)
                .put((byte) 0)
                .put((byte) 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /**
     * The colours of the eight 8x8 blocks (rows of four, 32x16) the format fixtures were written
     * from ({@code CmykJpegTest}, {@code WebpTest}).
     */
    static final int[][] BLOCKS = {
        {200, 30, 40}, {40, 180, 60}, {30, 60, 200}, {128, 128, 128},
        {230, 210, 40}, {20, 20, 20}, {240, 240, 240}, {120, 80, 40}
    };

    /** Asserts that each block's centre pixel is its colour within {@code tolerance} levels. */
    static void assertBlocks(RgbImage image, int tolerance) {
        org.assertj.core.api.Assertions.assertThat(image.width()).isEqualTo(32);
        org.assertj.core.api.Assertions.assertThat(image.height()).isEqualTo(16);
        for (int b = 0; b < BLOCKS.length; b++) {
            int o = (((b / 4) * 8 + 4) * 32 + (b % 4) * 8 + 4) * 3;
            for (int c = 0; c < 3; c++) {
                org.assertj.core.api.Assertions.assertThat(image.pixels()[o + c] & 0xFF)
                        .as("block %d channel %d", b, c)
                        .isBetween(BLOCKS[b][c] - tolerance, BLOCKS[b][c] + tolerance);
            }
        }
    }
}
