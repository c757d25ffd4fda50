/**
 * Benchmarks of the ONNX ⇄ DJL bridge: imported vs native DJL ResNet-18 speed, import heap, prefix
 * caching.
 */
package io.streamtune.bench.onnx;
