/**
 * Pure decoders from raw model outputs (plain arrays and shapes) to detections, masks and class
 * scores.
 */
package io.streamtune.vision.decode;
