package io.streamtune.ingest.validate;

/** How deeply image bytes are checked before acceptance ({@code image.check}). */
public enum ImageCheck {
    /**
     * Header, limits and completeness (JPEG ends with EOI after its last scan, PNG carries IEND)
     * without decoding pixels: cheap, catches truncation and bombs, misses corrupt entropy data
     * inside a scan.
     */
    HEADER,
    /** Everything {@link #HEADER} checks, then a full pixel decode: proves the image decodes. */
    DECODE
}
