/**
 * Label maps and binary masks with their COCO run-length encoding, shared by decoders, ingest and
 * metrics.
 */
package io.streamtune.vision.mask;
