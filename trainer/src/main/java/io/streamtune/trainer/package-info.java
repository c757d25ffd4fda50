/**
 * Trainer: fine-tunes pretrained models on the labelled data, evaluates them and publishes the
 * better ones as ONNX.
 */
package io.streamtune.trainer;
