/** ONNX operator kernels implemented on DJL NDArrays (PyTorch engine). */
package io.streamtune.onnx.djl.ops;
