/**
 * Inference: runs camera frames through the current ONNX model and emits predictions, hot-swapping
 * versions.
 */
package io.streamtune.inference;
