/** The one ONNX Runtime wrapper: sessions with streamtune's options, tensors in and out. */
package io.streamtune.onnx.ort;
