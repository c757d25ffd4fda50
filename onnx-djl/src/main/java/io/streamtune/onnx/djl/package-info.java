/** The ONNX ⇄ DJL bridge: read an ONNX model into an IR, train it as a DJL block, write it back. */
package io.streamtune.onnx.djl;
