/** ONNX operator kernels implemented on DJL NDArrays (PyTorch engine). */
package io.streamtune.trainer.onnx.ops;
