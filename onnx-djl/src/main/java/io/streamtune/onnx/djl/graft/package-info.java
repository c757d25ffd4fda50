/**
 * Graph surgery for fine-tuning: cutting, head grafting, block freezing and frozen-prefix caching.
 */
package io.streamtune.onnx.djl.graft;
