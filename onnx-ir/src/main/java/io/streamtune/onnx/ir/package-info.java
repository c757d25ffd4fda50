/** A small, immutable graph IR with ONNX operator semantics, plus its ONNX reader and writer. */
package io.streamtune.onnx.ir;
