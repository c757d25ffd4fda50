package io.streamtune.ingest.accept;

import java.util.Objects;

/**
 * The base64 text of an image as it arrived inside a JSON message (standard alphabet, padded, no
 * line breaks), so it can be copied into the labelled record without re-encoding.
 *
 * @param bytes buffer holding the text
 * @param offset start of the text
 * @param length length of the text
 */
public record EncodedImage(byte[] bytes, int offset, int length) {

    public EncodedImage {
        Objects.requireNonNull(bytes, "bytes");
        Objects.checkFromIndexSize(offset, length, bytes.length);
    }
}
