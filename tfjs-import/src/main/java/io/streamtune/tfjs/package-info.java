/** Imports TensorFlow.js graph models (model.json + weight shards) as ONNX graphs. */
package io.streamtune.tfjs;
