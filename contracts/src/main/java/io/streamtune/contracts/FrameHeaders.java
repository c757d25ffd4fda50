package io.streamtune.contracts;

/**
 * Headers a camera may set on a frame record. The value is the raw JPEG/PNG bytes and the key the
 * camera id; both headers are optional (UTF-8 strings).
 */
public final class FrameHeaders {

    /** Frame id; defaults to {@code <topic>-<partition>-<offset>}. */
    public static final String FRAME_ID = "frame-id";

    /** Capture time in epoch milliseconds, decimal; defaults to the record timestamp. */
    public static final String CAPTURE_TIME = "capture-ts";

    private FrameHeaders() {}
}
