/**
 * Inference benchmark: the frame pipeline against a bare ONNX Runtime session on the same model,
 * batch size and threads.
 */
package io.streamtune.bench.inference;
