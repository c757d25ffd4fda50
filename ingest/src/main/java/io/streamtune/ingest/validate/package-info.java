/**
 * Validation of labelled images before acceptance: image limits from the header, decodability,
 * label sanity, content-hash ids.
 */
package io.streamtune.ingest.validate;
