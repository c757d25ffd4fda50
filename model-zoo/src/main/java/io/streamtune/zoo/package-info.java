/** The model zoo: pinned pretrained networks from registry packages, converted once to ONNX. */
package io.streamtune.zoo;
