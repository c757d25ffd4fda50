/**
 * Evaluation of exported ONNX files through vision's runner, decoders and metrics: what is measured
 * is what is served.
 */
package io.streamtune.trainer.evaluate;
