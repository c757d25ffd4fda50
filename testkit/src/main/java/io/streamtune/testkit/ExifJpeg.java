package io.streamtune.testkit;

import java.io.ByteArrayOutputStream;

/**
 * JPEGs as phones write them: the sensor's pixels and an EXIF orientation saying how to turn them.
 */
public final class ExifJpeg {

    private ExifJpeg() {}

    /**
     * {@code jpeg} with an APP1 EXIF segment after SOI holding one tag, the orientation (1-8 are
     * valid; other values are written as given), in little- or big-endian TIFF order.
     */
    public static byte[] withOrientation(byte[] jpeg, int orientation, boolean littleEndian) {
        ByteArrayOutputStream tiff = new ByteArrayOutputStream();
        if (littleEndian) {
            tiff.writeBytes(new byte[] {'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0});
            tiff.writeBytes(new byte[] {0x12, 0x01, 3, 0, 1, 0, 0, 0, (byte) orientation, 0, 0, 0});
        } else {
            tiff.writeBytes(new byte[] {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1});
            tiff.writeBytes(new byte[] {0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte) orientation, 0, 0});
        }
        tiff.writeBytes(new byte[] {0, 0, 0, 0}); // no next directory
        byte[] body = tiff.toByteArray();
        int length = 2 + 6 + body.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xFF);
        out.write(0xD8);
        out.write(0xFF);
        out.write(0xE1);
        out.write(length >> 8);
        out.write(length & 0xFF);
        out.writeBytes(new byte[] {'E', 'x', 'i', 'f', 0, 0});
        out.writeBytes(body);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }
}
