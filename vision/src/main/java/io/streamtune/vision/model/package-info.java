/**
 * Model description from ONNX metadata and the ONNX Runtime runner that inference and evaluation
 * share.
 */
package io.streamtune.vision.model;
