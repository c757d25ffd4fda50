package io.streamtune.testkit;

import java.io.ByteArrayOutputStream;
import java.util.zip.CRC32;

/**
 * Images as phones and photo tools write them: the sensor's pixels and an EXIF orientation saying
 * how to turn them — in a JPEG's APP1 segment, a PNG's {@code eXIf} chunk or a WebP's {@code EXIF}
 * chunk.
 */
public final class ExifImages {

    private ExifImages() {}

    /**
     * {@code jpeg} with an APP1 EXIF segment after SOI holding one tag, the orientation (1-8 are
     * valid; other values are written as given), in little- or big-endian TIFF order.
     */
    public static byte[] withOrientation(byte[] jpeg, int orientation, boolean littleEndian) {
        byte[] body = tiff(orientation, littleEndian);
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

    /** {@code png} with an {@code eXIf} chunk (big-endian TIFF) right after its IHDR chunk. */
    public static byte[] pngWithOrientation(byte[] png, int orientation) {
        byte[] body = tiff(orientation, false);
        int ihdrEnd = 8 + 8 + 13 + 4; // signature, IHDR's length and type, its data, CRC
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(png, 0, ihdrEnd);
        writeBigEndian(out, body.length);
        byte[] typed = new byte[4 + body.length];
        typed[0] = 'e';
        typed[1] = 'X';
        typed[2] = 'I';
        typed[3] = 'f';
        System.arraycopy(body, 0, typed, 4, body.length);
        out.writeBytes(typed);
        CRC32 crc = new CRC32();
        crc.update(typed);
        writeBigEndian(out, (int) crc.getValue());
        out.write(png, ihdrEnd, png.length - ihdrEnd);
        return out.toByteArray();
    }

    /**
     * A simple-format WebP ({@code RIFF}, {@code WEBP}, one {@code VP8 } or {@code VP8L} chunk) of
     * {@code width × height} rewritten in the extended format: a {@code VP8X} chunk flagging EXIF,
     * the image chunk, then an {@code EXIF} chunk (little-endian TIFF) holding the orientation.
     */
    public static byte[] webpWithOrientation(byte[] webp, int width, int height, int orientation) {
        byte[] image = java.util.Arrays.copyOfRange(webp, 12, webp.length);
        byte[] exif = tiff(orientation, true);
        ByteArrayOutputStream chunks = new ByteArrayOutputStream();
        chunks.writeBytes(new byte[] {'V', 'P', '8', 'X'});
        writeLittleEndian(chunks, 10, 4);
        chunks.write(0x08); // EXIF present
        chunks.writeBytes(new byte[3]);
        writeLittleEndian(chunks, width - 1, 3);
        writeLittleEndian(chunks, height - 1, 3);
        chunks.writeBytes(image);
        chunks.writeBytes(new byte[] {'E', 'X', 'I', 'F'});
        writeLittleEndian(chunks, exif.length, 4);
        chunks.writeBytes(exif);
        if ((exif.length & 1) != 0) {
            chunks.write(0);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {'R', 'I', 'F', 'F'});
        writeLittleEndian(out, 4 + chunks.size(), 4);
        out.writeBytes(new byte[] {'W', 'E', 'B', 'P'});
        out.writeBytes(chunks.toByteArray());
        return out.toByteArray();
    }

    /** A TIFF structure whose first directory holds one tag, the orientation (0x0112). */
    private static byte[] tiff(int orientation, boolean littleEndian) {
        ByteArrayOutputStream tiff = new ByteArrayOutputStream();
        if (littleEndian) {
            tiff.writeBytes(new byte[] {'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0});
            tiff.writeBytes(new byte[] {0x12, 0x01, 3, 0, 1, 0, 0, 0, (byte) orientation, 0, 0, 0});
        } else {
            tiff.writeBytes(new byte[] {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1});
            tiff.writeBytes(new byte[] {0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte) orientation, 0, 0});
        }
        tiff.writeBytes(new byte[] {0, 0, 0, 0}); // no next directory
        return tiff.toByteArray();
    }

    private static void writeBigEndian(ByteArrayOutputStream out, int v) {
        out.write(v >>> 24);
        out.write((v >>> 16) & 0xFF);
        out.write((v >>> 8) & 0xFF);
        out.write(v & 0xFF);
    }

    private static void writeLittleEndian(ByteArrayOutputStream out, int v, int bytes) {
        for (int i = 0; i < bytes; i++) {
            out.write((v >>> (8 * i)) & 0xFF);
        }
    }
}
