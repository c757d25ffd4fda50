package io.streamtune.inference;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import javax.imageio.ImageIO;

/** Encoded test frames. */
public final class TestFrames {

    private TestFrames() {}

    /** A JPEG of one colour. */
    public static byte[] jpeg(int width, int height, Color colour) {
        return encode(width, height, colour, null, "jpg");
    }

    /** A PNG whose left half is {@code left} and right half {@code right}. */
    public static byte[] png(int width, int height, Color left, Color right) {
        return encode(width, height, left, right, "png");
    }

    /** The first half of a JPEG: a frame cut short in transit. */
    public static byte[] truncatedJpeg() {
        BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_3BYTE_BGR);
        java.util.Random random = new java.util.Random(7);
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "jpg", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Noise makes the entropy-coded scan most of the file, so the cut lands inside it.
        byte[] full = out.toByteArray();
        return Arrays.copyOf(full, full.length * 3 / 4);
    }

    private static byte[] encode(int width, int height, Color left, Color right, String format) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = image.createGraphics();
        g.setColor(left);
        g.fillRect(0, 0, width, height);
        if (right != null) {
            g.setColor(right);
            g.fillRect(width / 2, 0, width - width / 2, height);
        }
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, format, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
